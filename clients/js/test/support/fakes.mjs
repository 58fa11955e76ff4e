// Test doubles: timers run by hand, and a WebSocket class whose instances the test drives as the server.

/** Timers run by hand: `advance(ms)` fires what is due, in time order. */
export function fakeEnv({ online = true } = {}) {
  let now = 0;
  let next = 1;
  const timers = new Map();
  const listeners = new Map();
  const env = {
    online,
    now: () => now,
    setTimeout: (f, ms) => {
      if (!Number.isFinite(ms) || ms < 0) {
        throw new RangeError(`setTimeout with ${ms} ms`);
      }
      const id = next++;
      timers.set(id, { at: now + ms, f });
      return id;
    },
    clearTimeout: (id) => timers.delete(id),
    random: () => 0.5,
    isOnline: () => env.online,
    addEventListener: (name, f) => listeners.set(name, f),
    removeEventListener: (name) => listeners.delete(name),
    fire: (name) => listeners.get(name)?.(),
    pending: () => [...timers.values()].map((t) => t.at - now).sort((a, b) => a - b),
    advance(ms) {
      const until = now + ms;
      for (;;) {
        const due = [...timers.entries()].filter(([, t]) => t.at <= until).sort((a, b) => a[1].at - b[1].at)[0];
        if (!due) {
          break;
        }
        timers.delete(due[0]);
        now = due[1].at;
        due[1].f();
      }
      now = until;
    },
  };
  return env;
}

/** A WebSocket class; each instance records what the client sent and lets the test open, speak and drop. */
export function fakeSockets() {
  const sockets = [];
  class FakeSocket {
    constructor(url) {
      this.url = url;
      this.readyState = 0;
      this.sent = [];
      this.closedWith = null;
      sockets.push(this);
    }

    send(text) {
      if (this.readyState !== 1) {
        throw new Error('send on a socket that is not open');
      }
      this.sent.push(text);
    }

    close(code, reason) {
      this.closedWith = { code, reason };
      this.readyState = 3;
    }

    // what the server does
    open() {
      this.readyState = 1;
      this.onopen?.();
    }

    receive(frame) {
      this.onmessage?.({ data: typeof frame === 'string' ? frame : JSON.stringify(frame) });
    }

    drop(code, reason = '') {
      this.readyState = 3;
      this.onclose?.({ code, reason });
    }

    /** The JSON frames this socket carried from the client. */
    get frames() {
      return this.sent.map((text) => JSON.parse(text));
    }
  }
  return { FakeSocket, sockets };
}
