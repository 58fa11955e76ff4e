// MessagingClient: one user's session with the server. It connects with a token (or a function that
// returns a fresh one), reconnects with jittered backoff, resumes after the last event it handed to the
// app (`since`), hands every event once and in order, acknowledges what the app handled (`ack`), and
// retries each send with the same clientRef until its `outbound` event (or an error) settles it.

import { backoffDelay, Connection } from './connection.js';
import { Emitter } from './emitter.js';
import { EventCursor } from './event-cursor.js';
import { Outbox, SendError } from './outbox.js';
import { baseUrl, frames, isEvent, newClientRef, socketUrl, tokenExpiry } from './protocol.js';
import { RestApi } from './rest.js';

const E164 = /^\+[0-9]{8,15}$/;

export class MessagingClient {
  #base;
  #token;
  #lastToken = '';
  #emitter;
  #cursor;
  #outbox = new Outbox();
  #connection;
  #env;
  #options;
  #ackTimer = null;
  #refreshTimer = null;
  #started = false;
  #renewable;

  /**
   * @param {import('./index.js').MessagingClientOptions} options
   */
  constructor(options) {
    const { url, userId, token = '', WebSocket, fetch, since = null, env = {}, ...rest } = options ?? {};
    if (typeof userId !== 'string' || userId === '') {
      throw new TypeError('MessagingClient needs a userId');
    }
    if (url === undefined && globalThis.location === undefined) {
      throw new TypeError('MessagingClient needs the server url outside a browser, e.g. http://127.0.0.1:8080/');
    }
    this.userId = userId;
    this.#base = baseUrl(url ?? '/');
    this.#token = typeof token === 'function' ? token : () => token;
    this.#renewable = typeof token === 'function';
    this.#options = { autoAck: true, ackDelay: 200, sendRetries: 5, tokenRefreshMargin: 30_000, ...rest };
    this.#env = {
      setTimeout: (f, ms) => globalThis.setTimeout(f, ms),
      clearTimeout: (t) => globalThis.clearTimeout(t),
      now: () => Date.now(),
      random: Math.random,
      ...env,
    };
    this.#emitter = new Emitter(this.#options.onListenerError);
    this.#cursor = new EventCursor(since);
    this.api = new RestApi({ base: this.#base, userId, token: async () => this.#token(), fetch });
    this.#connection = new Connection({
      url: () => this.#socketUrl(),
      onFrame: (frame) => this.#onFrame(frame),
      onState: (state) => this.#emitter.emit('state', state),
      onAuthExpired: (event) => this.#emitter.emit('authexpired', event),
      onConnectFailed: () => this.#emitter.emit('connectfailed', {}),
      WebSocketImpl: WebSocket ?? globalThis.WebSocket,
      env: this.#env,
      retryOnPolicyClose: this.#renewable,
      // Only the ones given: an undefined would replace the connection's defaults (and ping at once).
      ...(this.#options.pingInterval === undefined ? {} : { pingInterval: this.#options.pingInterval }),
      ...(this.#options.pongTimeout === undefined ? {} : { pongTimeout: this.#options.pongTimeout }),
      ...(this.#options.backoff === undefined ? {} : { backoff: this.#options.backoff }),
    });
  }

  /** `connecting`, `live`, `reconnecting` or `offline`, with details (retryAt, lastCode, reason). */
  get state() {
    return this.#connection.state;
  }

  /** The highest seq handed to the app (null before the first welcome when no `since` was given). */
  get position() {
    return this.#cursor.position;
  }

  /** The sends not yet confirmed: `{to, body, media?, clientRef}`, oldest first (e.g. to keep across a reload). */
  get pendingSends() {
    return this.#outbox.requests().map((r) => ({ ...r }));
  }

  /** Subscribes to `event`, `message`, `outbound`, `status`, `broadcast`, `welcome`, `state`, `error`, `reset`, `authexpired`, `connectfailed`. */
  on(type, listener) {
    return this.#emitter.on(type, listener);
  }

  off(type, listener) {
    this.#emitter.off(type, listener);
  }

  start() {
    this.#started = true;
    this.#connection.start();
    return this;
  }

  /** Closes for good. Unconfirmed sends reject with code `stopped` (send them again with the same clientRef to learn their fate). */
  stop() {
    this.#started = false;
    this.#connection.stop();
    this.#clearTimers();
    this.#outbox.failAll(new SendError('stopped', 'The client stopped before the server confirmed this send; send it again with the same clientRef to learn whether it was stored.'));
  }

  /** Skips the wait of a pending retry. */
  reconnectNow() {
    this.#connection.reconnectNow();
  }

  /**
   * Sends an SMS. Resolves with its `outbound` event once stored; rejects with a SendError (the server's
   * code: `invalid_to`, `opted_out`...). Until then it is sent again on every new socket with the same
   * clientRef, so the SMS goes out once. Queued while offline.
   * @param {{ to: string, body: string, media?: string[], clientRef?: string, signal?: AbortSignal }} request
   */
  send({ to, body, media, clientRef = newClientRef(), signal } = {}) {
    const problem = !E164.test(to ?? '') ? ['invalid_to', `'to' must be E.164 (+ and 8 to 15 digits), not ${JSON.stringify(to)}`]
      : typeof body !== 'string' ? ['invalid_field', "'body' must be a string"]
        : media !== undefined && !(Array.isArray(media) && media.every((m) => typeof m === 'string')) ? ['invalid_field', "'media' must be an array of URLs"]
          : typeof clientRef !== 'string' || clientRef.length < 1 || clientRef.length > 128 ? ['invalid_field', "'clientRef' must be 1 to 128 characters"]
            : null;
    if (problem) {
      return Promise.reject(new SendError(problem[0], problem[1], typeof clientRef === 'string' ? clientRef : null));
    }
    if (signal?.aborted) {
      return Promise.reject(new SendError('aborted', 'The send was aborted before it was sent.', clientRef));
    }
    const known = this.#outbox.has(clientRef);
    const request = media?.length ? { to, body, media: [...media], clientRef } : { to, body, clientRef };
    const promise = this.#outbox.add(request);
    if (!known) {
      this.#connection.send(frames.send(request)); // false when not live: sent on the next welcome
      signal?.addEventListener('abort', () => this.#outbox.fail(clientRef,
        new SendError('aborted', 'The send was aborted; it may still have been stored (send again with the same clientRef to know).', clientRef)), { once: true });
    }
    return promise;
  }

  /** With `autoAck: false`: the app has handled every event up to `seq`. */
  ack(seq) {
    this.#cursor.handle(seq);
    this.#scheduleAck();
  }

  /** Stored events after `since`, oldest first (REST). */
  history(options) {
    return this.api.history(options);
  }

  /** One row per client number (REST). */
  conversations(options) {
    return this.api.conversations(options);
  }

  #socketUrl() {
    const build = (token) => {
      this.#lastToken = token ?? '';
      return socketUrl(this.#base, this.userId, { since: this.#cursor.since ?? undefined, token: this.#lastToken });
    };
    const token = this.#token();
    return typeof token?.then === 'function' ? token.then(build) : build(token);
  }

  #onFrame(frame) {
    if (isEvent(frame)) {
      this.#onEvent(frame);
      return;
    }
    switch (frame.type) {
      case 'welcome':
        this.#onWelcome(frame);
        break;
      case 'error':
        this.#onError(frame);
        break;
      default:
        break; // pong: the connection counted it as a sign of life
    }
  }

  #onWelcome(welcome) {
    const { reset } = this.#cursor.welcome(welcome);
    this.#cursor.reconnected();
    this.#emitter.emit('welcome', welcome);
    if (reset) {
      this.#emitter.emit('reset', { lastSeq: welcome.lastSeq, position: this.#cursor.position });
    }
    for (const request of this.#outbox.requests()) {
      this.#connection.send(frames.send(request));
    }
    this.#scheduleAck();
    this.#scheduleTokenRefresh();
  }

  #onEvent(event) {
    if (event.type === 'outbound') {
      // Before the duplicate check: a repeated clientRef is answered with the first (older) outbound event.
      this.#outbox.confirm(event);
    }
    switch (this.#cursor.offer(event.seq)) {
      case 'deliver': {
        const byType = this.#emitter.emit(event.type, event);
        const byAll = this.#emitter.emit('event', event);
        // A listener that threw has not handled it: no ack, so another device (or a reload) still gets it.
        if (this.#options.autoAck && byType && byAll) {
          this.#cursor.handle(event.seq);
          this.#scheduleAck();
        }
        break;
      }
      case 'gap':
        // Something before it is missing: resume from what the app has, the server replays the rest.
        this.#connection.restart('gap');
        break;
      default:
        break; // a duplicate: already handed over
    }
  }

  #onError(frame) {
    const { outcome, request, attempt } = this.#outbox.refuse(frame, this.#options.sendRetries);
    if (outcome === 'retry') {
      // Sent again after a backoff (or on the next welcome, whichever comes first: the clientRef makes it one send).
      this.#env.setTimeout(() => {
        if (this.#started && this.#outbox.has(request.clientRef)) {
          this.#connection.send(frames.send(request));
        }
      }, backoffDelay(attempt - 1, this.#env.random, this.#options.backoff));
    } else if (outcome === 'unknown') {
      this.#emitter.emit('error', frame);
    }
  }

  #scheduleAck() {
    if (this.#ackTimer !== null || this.#cursor.ackDue() === null) {
      return;
    }
    this.#ackTimer = this.#env.setTimeout(() => {
      this.#ackTimer = null;
      const seq = this.#cursor.ackDue();
      if (seq !== null && this.#connection.send(frames.ack(seq))) {
        this.#cursor.acknowledged(seq);
      }
    }, this.#options.ackDelay);
  }

  /** A renewable token is renewed before it expires: a new socket carries the new one, resuming where this one was. */
  #scheduleTokenRefresh() {
    if (this.#refreshTimer !== null) {
      this.#env.clearTimeout(this.#refreshTimer);
      this.#refreshTimer = null;
    }
    const expiry = this.#renewable ? tokenExpiry(this.#lastToken) : null;
    if (expiry === null) {
      return;
    }
    const left = expiry - this.#env.now();
    const delay = Math.max(left - this.#options.tokenRefreshMargin, left / 2, 1_000);
    this.#refreshTimer = this.#env.setTimeout(() => {
      this.#refreshTimer = null;
      this.#connection.restart('token renewal');
    }, delay);
  }

  #clearTimers() {
    for (const timer of [this.#ackTimer, this.#refreshTimer]) {
      if (timer !== null) {
        this.#env.clearTimeout(timer);
      }
    }
    this.#ackTimer = this.#refreshTimer = null;
  }
}
