// The wire protocol of /message/{userId} (docs/protocol.md, docs/schemas/): frame builders, the parser,
// close codes and URLs. Pure functions: no socket, no DOM.

/** Close codes a client acts on (docs/protocol.md, "Close codes"). */
export const CloseCode = Object.freeze({
  Normal: 1000,
  GoingAway: 1001, // the server shuts down: reconnect
  PolicyViolation: 1008, // the token expired or was revoked: a fresh token, or sign in again
  TooBig: 1009,
  ServerError: 1011,
  Restart: 1012,
  TryAgainLater: 1013, // the app fell behind: reconnect, the events are stored
});

/** The stored, replayable events: each carries a `seq`. */
export const EVENT_TYPES = Object.freeze(['message', 'outbound', 'status', 'broadcast']);

export const frames = Object.freeze({
  /** @param {{ to: string, body: string, media?: string[], clientRef?: string }} send */
  send: ({ to, body, media, clientRef }) =>
    JSON.stringify(media?.length ? { type: 'send', to, body, media, clientRef } : { type: 'send', to, body, clientRef }),
  ack: (seq) => JSON.stringify({ type: 'ack', seq }),
  ping: () => '{"type":"ping"}',
});

/** One server frame as an object with a string `type`, or null when it is not one. */
export function parseFrame(text) {
  try {
    const frame = JSON.parse(text);
    return frame !== null && typeof frame === 'object' && !Array.isArray(frame) && typeof frame.type === 'string'
      ? frame
      : null;
  } catch {
    return null;
  }
}

/** A stored event (message, outbound, status, broadcast) with a valid seq. */
export function isEvent(frame) {
  return EVENT_TYPES.includes(frame?.type) && Number.isSafeInteger(frame.seq) && frame.seq > 0;
}

/** A fresh idempotency key for a send; works outside secure contexts too (no randomUUID). */
export function newClientRef(prefix = 'c', crypto = globalThis.crypto) {
  const bytes = crypto.getRandomValues(new Uint8Array(16));
  return prefix + '-' + Array.from(bytes, (b) => b.toString(16).padStart(2, '0')).join('');
}

/**
 * The server's base URL as a URL ending in '/', from an absolute URL or one relative to `page`
 * (a page under a path base works: `new URL('../', location.href)` for a page at /app/).
 */
export function baseUrl(server, page = globalThis.location?.href) {
  const url = page ? new URL(String(server), page) : new URL(String(server));
  url.hash = '';
  url.search = '';
  if (!url.pathname.endsWith('/')) {
    url.pathname += '/';
  }
  return url;
}

/**
 * The socket URL of a user's session: `?since=` resumes after that seq, `?access_token=` carries the
 * token (browsers cannot set headers on a WebSocket).
 */
export function socketUrl(base, userId, { since, token } = {}) {
  const url = new URL(`message/${encodeURIComponent(userId)}`, base);
  url.protocol = url.protocol === 'https:' || url.protocol === 'wss:' ? 'wss:' : 'ws:';
  if (Number.isSafeInteger(since) && since >= 0) {
    url.searchParams.set('since', String(since));
  }
  if (token) {
    url.searchParams.set('access_token', token);
  }
  return url.toString();
}

/** The REST URL of a user's resource, e.g. `apiUrl(base, 'alice', 'messages', {since: 0})`. */
export function apiUrl(base, userId, path, query = {}) {
  const url = new URL(`api/users/${encodeURIComponent(userId)}/${path}`, base);
  url.protocol = url.protocol === 'wss:' ? 'https:' : url.protocol === 'ws:' ? 'http:' : url.protocol;
  for (const [key, value] of Object.entries(query)) {
    if (value !== undefined && value !== null) {
      url.searchParams.set(key, String(value));
    }
  }
  return url;
}

/** The `exp` of a JWT in milliseconds since the epoch, or null when it is not a readable JWT. */
export function tokenExpiry(token) {
  const part = typeof token === 'string' ? token.split('.')[1] : undefined;
  if (!part) {
    return null;
  }
  try {
    const json = atob(part.replace(/-/g, '+').replace(/_/g, '/').padEnd(Math.ceil(part.length / 4) * 4, '='));
    const exp = JSON.parse(json)?.exp;
    return Number.isFinite(exp) ? exp * 1000 : null;
  } catch {
    return null;
  }
}
