// One signed-in user: the store of what the console shows, fed by the REST history and by the client
// library's MessagingClient (which reconnects, resumes, hands each event once and in order, acks what
// the console applied, and retries sends with their clientRef). Replaced on sign-out.

import { MessagingClient, newClientRef } from './client/index.js';
import { serverBase, userApi } from './api.js';
import { Broadcasts } from './broadcasts.js';
import { keys, storage } from './storage.js';
import { Store } from './store.js';
import { ThreadPager } from './thread-pager.js';

const PAGE = 500; // events per history request (the server allows up to 1000)
const WINDOW = 500; // how far back the first load goes; each thread scrolls back further (thread-pager.js)
const ACK_DELAY = 400; // ms: acks are gathered, one per burst of events

export class Session {
  #hooks;
  #abort = new AbortController();
  #stopped = false;

  /**
   * @param {{ userId: string, token: string, pageUrl: string, hooks: {
   *   changed: () => void, state: (state: object) => void, event: (event: object) => void,
   *   refused: (pending: object, error: { code: string, message: string }) => void, error: (frame: object) => void,
   *   notice: (text: string | null) => void, apiError: (error: Error) => boolean, authExpired: () => void,
   * } }} options
   */
  constructor({ userId, token, pageUrl, hooks }) {
    this.userId = userId;
    this.token = token;
    this.pageUrl = pageUrl;
    this.#hooks = hooks;
    this.api = userApi(pageUrl, userId, token);
    this.client = null;
    this.loaded = false;
    this.store = new Store({
      seen: storage.get('localStorage', keys.seen(userId)) ?? {},
      pending: storage.get('sessionStorage', keys.outbox(userId)) ?? [],
    });
    this.broadcasts = new Broadcasts({ api: this.api, userId, changed: () => hooks.changed() });
    this.pager = new ThreadPager({
      api: this.api, store: this.store, signal: this.signal, changed: () => hooks.changed(),
      failed: (error) => hooks.apiError(error) || hooks.notice(`Earlier messages could not be loaded (${error.message}).`),
    });
    this.store.subscribe((change) => {
      if (change.type === 'events') {
        this.broadcasts.applyEvents(change.events);
      } else if (change.type === 'reset') {
        this.pager.reset();
        this.broadcasts.clear();
      }
      if (change.type === 'pending' || change.type === 'events' || change.type === 'reset') {
        storage.set('sessionStorage', keys.outbox(userId), this.store.pending());
      }
      if (change.type !== 'pending') {
        storage.set('localStorage', keys.seen(userId), this.store.seenMarks());
      }
      hooks.changed();
    });
  }

  get signal() {
    return this.#abort.signal;
  }

  /** The newest WINDOW events from the REST history, then the live socket resuming right after them. */
  async start(rows) {
    try {
      const newest = Math.max(0, ...rows.map((r) => r.lastMessage?.seq ?? 0));
      this.store.setFloor(Math.max(0, newest - WINDOW));
      await this.#loadForward(this.store.floor);
    } catch (error) {
      if (!this.#hooks.apiError(error) && error?.name !== 'AbortError') {
        this.#hooks.notice(`History could not be loaded (${error.message}); live messages still arrive.`);
      }
    }
    this.loaded = true;
    if (this.#stopped) {
      return;
    }
    const client = new MessagingClient({
      url: serverBase(this.pageUrl), userId: this.userId, token: this.token, since: this.store.cursor, ackDelay: ACK_DELAY,
    });
    client.on('event', (event) => {
      if (this.store.applyEvent(event)) {
        this.#hooks.event(event);
      }
    });
    client.on('welcome', () => {
      this.#hooks.notice(null);
      for (const p of this.store.pending()) {
        if (p.state === 'waiting') {
          this.store.setPendingState(p.clientRef, 'sending');
        }
      }
    });
    client.on('reset', (reset) => this.#onReset(reset));
    client.on('state', (state) => this.#hooks.state(state));
    client.on('error', (frame) => this.#hooks.error(frame));
    client.on('authexpired', () => this.#hooks.authExpired());
    client.on('connectfailed', () => this.#checkAccess());
    this.client = client;
    for (const p of this.store.pending()) {
      if (p.state !== 'failed') {
        this.#track(p);
      }
    }
    client.start();
  }

  stop() {
    this.#stopped = true;
    this.#abort.abort();
    this.client?.stop();
  }

  /** A new send: shown at once, sent when the socket is live (and again on each new one until it is stored). */
  send(to, body, media = []) {
    const clientRef = newClientRef('web');
    this.store.addPending(to, body, clientRef, media);
    this.#track({ to, body, media, clientRef });
  }

  /** A refused send, tried again: refused sends stored nothing, so the same clientRef is still free and still idempotent. */
  retry(clientRef) {
    const p = this.store.pending().find((x) => x.clientRef === clientRef);
    if (p) {
      this.#track(p);
    }
  }

  discard(clientRef) {
    this.store.discardPending(clientRef);
  }

  #track({ to, body, media, clientRef }) {
    if (!this.client) {
      this.store.setPendingState(clientRef, 'waiting');
      return; // sent when the client starts, after the history
    }
    this.store.setPendingState(clientRef, this.client.state.name === 'live' ? 'sending' : 'waiting');
    this.client.send({ to, body, media: media?.length ? media : undefined, clientRef }).then(
      (outbound) => {
        this.store.applyEvent(outbound); // a repeated clientRef is answered with the first, older event
        this.store.discardPending(clientRef);
      },
      (error) => {
        if (this.#stopped || error.code === 'stopped' || error.code === 'aborted' || !this.store.hasPending(clientRef)) {
          return;
        }
        const problem = { code: error.code, message: error.message };
        this.store.setPendingState(clientRef, 'failed', problem);
        this.#hooks.refused(this.store.pending().find((p) => p.clientRef === clientRef), problem);
      });
  }

  /** The server's history is behind what this page has shown (an in-memory journal restarted): start over. */
  async #onReset({ lastSeq }) {
    this.store.reset();
    this.#hooks.notice('The server\'s message history was reset; showing what it has now.');
    try {
      const rows = await this.api.conversations({ signal: this.signal });
      if (this.#stopped) {
        return;
      }
      this.store.loadConversations(rows);
      this.store.setFloor(Math.max(0, lastSeq - WINDOW));
      await this.#loadForward(this.store.floor);
    } catch (error) {
      this.#hooks.apiError(error);
    }
  }

  async #loadForward(since) {
    for (;;) {
      const page = await this.api.history({ since, limit: PAGE, signal: this.signal });
      if (this.#stopped) {
        return;
      }
      this.store.applyEvents(page);
      if (page.length < PAGE) {
        return;
      }
      since = page.at(-1).seq;
    }
  }

  /** The socket closed before it opened: a browser cannot see a 401/403, so ask the REST API. */
  async #checkAccess() {
    try {
      await this.api.conversations({ signal: this.signal });
    } catch (error) {
      this.#hooks.apiError(error);
    }
  }
}
