// The user's socket: connects, waits for `welcome`, keeps the link checked with ping, and when it
// drops reconnects by itself with exponential backoff and jitter. Where to resume from (and with which
// token) is asked of the caller at each attempt (`url()`, which may return a promise), so a reconnect
// carries the newest `?since=` and a fresh token.

import { CloseCode, frames, parseFrame } from './protocol.js';

/** Exponential backoff with "equal jitter": half the step fixed, half random, capped. */
export function backoffDelay(attempt, random = Math.random, { base = 500, cap = 30_000 } = {}) {
  const step = Math.min(cap, base * 2 ** Math.max(0, attempt));
  return Math.round(step / 2 + random() * (step / 2));
}

/**
 * States: `connecting` (first attempt or a retry under way), `live` (welcome received),
 * `reconnecting` (waiting `retryAt` before the next attempt), `offline` (stopped, or the browser
 * has no network: it resumes on the `online` event).
 */
export class Connection {
  #options;
  #socket = null;
  #state = { name: 'offline' };
  #attempt = 0;
  #retryTimer = null;
  #pingTimer = null;
  #pongTimer = null;
  #stopped = true;
  #generation = 0;
  #onOnline = () => {
    if (!this.#stopped && this.#state.name === 'offline') {
      this.#connect();
    }
  };

  /**
   * @param {{
   *   url: () => string | Promise<string>,
   *   onFrame: (frame: object) => void,
   *   onState?: (state: object) => void,
   *   onAuthExpired?: (event: { code: number, reason: string }) => void,
   *   onConnectFailed?: () => void,
   *   WebSocketImpl?: typeof WebSocket,
   *   env?: { setTimeout, clearTimeout, random, isOnline, addEventListener, removeEventListener },
   *   pingInterval?: number, pongTimeout?: number,
   *   retryOnPolicyClose?: boolean,
   *   backoff?: { base?: number, cap?: number },
   * }} options
   * `retryOnPolicyClose`: a 1008 close (token expired) reconnects like any drop, for callers whose `url()`
   * brings a fresh token; otherwise the connection stops and `onAuthExpired` is called.
   */
  constructor(options) {
    this.#options = {
      pingInterval: 25_000,
      pongTimeout: 10_000,
      WebSocketImpl: globalThis.WebSocket,
      ...options,
      env: {
        setTimeout: (f, ms) => globalThis.setTimeout(f, ms),
        clearTimeout: (t) => globalThis.clearTimeout(t),
        random: Math.random,
        isOnline: () => globalThis.navigator?.onLine !== false,
        addEventListener: (name, f) => globalThis.addEventListener?.(name, f),
        removeEventListener: (name, f) => globalThis.removeEventListener?.(name, f),
        ...options.env,
      },
    };
  }

  get state() {
    return this.#state;
  }

  get isLive() {
    return this.#state.name === 'live';
  }

  start() {
    if (!this.#stopped) {
      return;
    }
    this.#stopped = false;
    this.#attempt = 0;
    this.#options.env.addEventListener('online', this.#onOnline);
    this.#connect();
  }

  /** Closes for good (sign-out): no reconnect. */
  stop() {
    this.#stopped = true;
    this.#generation++;
    this.#options.env.removeEventListener('online', this.#onOnline);
    this.#clearTimers();
    const socket = this.#socket;
    this.#socket = null;
    if (socket) {
      try {
        socket.close(CloseCode.Normal, 'signed out');
      } catch {
        // already closing
      }
    }
    this.#setState({ name: 'offline' });
  }

  /** Skips the wait of a pending retry. */
  reconnectNow() {
    if (!this.#stopped && this.#state.name !== 'live' && this.#state.name !== 'connecting') {
      this.#attempt = 0;
      this.#connect();
    }
  }

  /** Closes the current socket (1000) and connects again at once: e.g. to carry a renewed token. */
  restart(reason = 'reconnect') {
    if (this.#stopped) {
      return;
    }
    const socket = this.#socket;
    this.#socket = null;
    if (socket) {
      try {
        socket.close(CloseCode.Normal, reason);
      } catch {
        // already closing
      }
    }
    this.#attempt = 0;
    this.#connect();
  }

  /** Sends a text frame when the session is live; false otherwise (the caller keeps it for later). */
  send(text) {
    if (!this.isLive || this.#socket?.readyState !== 1) {
      return false;
    }
    this.#socket.send(text);
    return true;
  }

  #connect() {
    this.#clearTimers();
    this.#generation++;
    if (this.#stopped) {
      return;
    }
    if (!this.#options.env.isOnline()) {
      this.#setState({ name: 'offline', reason: 'no network' });
      return;
    }
    this.#setState({ name: 'connecting', attempt: this.#attempt });
    let url;
    try {
      url = this.#options.url();
    } catch {
      this.#scheduleRetry(false);
      return;
    }
    if (typeof url?.then === 'function') {
      // A token being fetched: connect once it is there, unless stopped or restarted meanwhile.
      const generation = ++this.#generation;
      url.then(
        (resolved) => {
          if (generation === this.#generation && !this.#stopped && this.#socket === null) {
            this.#open(resolved);
          }
        },
        () => {
          if (generation === this.#generation && !this.#stopped) {
            this.#options.onConnectFailed?.();
            this.#scheduleRetry(false);
          }
        });
      return;
    }
    this.#open(url);
  }

  #open(url) {
    let socket;
    try {
      socket = new this.#options.WebSocketImpl(url);
    } catch {
      this.#scheduleRetry(false);
      return;
    }
    this.#socket = socket;
    let opened = false;
    socket.onopen = () => {
      opened = true;
    };
    socket.onmessage = (message) => {
      if (socket !== this.#socket) {
        return;
      }
      this.#heard();
      const frame = typeof message.data === 'string' ? parseFrame(message.data) : null;
      if (!frame) {
        return;
      }
      if (frame.type === 'welcome') {
        this.#attempt = 0;
        this.#setState({ name: 'live', lastSeq: frame.lastSeq });
      }
      this.#options.onFrame(frame);
    };
    socket.onclose = (event) => {
      if (socket !== this.#socket) {
        return;
      }
      this.#socket = null;
      this.#closed(event.code, event.reason ?? '', opened);
    };
    socket.onerror = () => {
      // onclose follows with the details
    };
  }

  #closed(code, reason, opened) {
    this.#clearTimers();
    if (this.#stopped) {
      return;
    }
    if (code === CloseCode.PolicyViolation && !this.#options.retryOnPolicyClose) {
      this.#stopped = true;
      this.#options.env.removeEventListener('online', this.#onOnline);
      this.#setState({ name: 'offline', reason: 'token expired' });
      this.#options.onAuthExpired?.({ code, reason });
      return;
    }
    if (!opened) {
      // Refused before the upgrade (401/403 look like this to a browser) or unreachable.
      this.#options.onConnectFailed?.();
    }
    this.#scheduleRetry(opened, code);
  }

  #scheduleRetry(wasOpen, code) {
    if (this.#stopped) {
      return;
    }
    const delay = backoffDelay(this.#attempt, this.#options.env.random, this.#options.backoff);
    this.#attempt = Math.min(this.#attempt + 1, 16);
    this.#setState({ name: 'reconnecting', retryAt: Date.now() + delay, delay, lastCode: code ?? null, wasOpen });
    this.#retryTimer = this.#options.env.setTimeout(() => {
      this.#retryTimer = null;
      this.#connect();
    }, delay);
  }

  /** Any frame proves the link: plan the next ping and drop the pong deadline. */
  #heard() {
    const env = this.#options.env;
    if (this.#pongTimer !== null) {
      env.clearTimeout(this.#pongTimer);
      this.#pongTimer = null;
    }
    if (this.#pingTimer !== null) {
      env.clearTimeout(this.#pingTimer);
    }
    this.#pingTimer = env.setTimeout(() => this.#ping(), this.#options.pingInterval);
  }

  #ping() {
    this.#pingTimer = null;
    const socket = this.#socket;
    if (!socket || socket.readyState !== 1) {
      return;
    }
    socket.send(frames.ping());
    this.#pongTimer = this.#options.env.setTimeout(() => {
      // A half-open link (a laptop that slept, a dropped Wi-Fi): give up on it now.
      this.#pongTimer = null;
      if (socket === this.#socket) {
        this.#socket = null;
        try {
          socket.close(4000, 'no pong');
        } catch {
          // ignore
        }
        this.#closed(4000, 'no pong', true);
      }
    }, this.#options.pongTimeout);
  }

  #clearTimers() {
    const env = this.#options.env;
    for (const timer of [this.#retryTimer, this.#pingTimer, this.#pongTimer]) {
      if (timer !== null) {
        env.clearTimeout(timer);
      }
    }
    this.#retryTimer = this.#pingTimer = this.#pongTimer = null;
  }

  #setState(state) {
    this.#state = state;
    this.#options.onState?.(state);
  }
}
