// The REST side of a user (/api/users/{userId}/...): history, one conversation's pages, conversations, a
// send without a socket, broadcasts.
// A token goes in `Authorization: Bearer`.

import { apiUrl } from './protocol.js';

/** A refused or failed HTTP call; `status` is 0 when the server could not be reached. */
export class ApiError extends Error {
  constructor(status, code, message) {
    super(message);
    this.name = 'ApiError';
    this.status = status;
    this.code = code;
  }

  get isAuth() {
    return this.status === 401 || this.status === 403;
  }
}

export class RestApi {
  #base;
  #userId;
  #token;
  #fetch;

  /**
   * @param {{ base: URL, userId: string, token?: () => (string | Promise<string>), fetch?: typeof fetch }} options
   */
  constructor({ base, userId, token = () => '', fetch = globalThis.fetch?.bind(globalThis) }) {
    this.#base = base;
    this.#userId = userId;
    this.#token = token;
    this.#fetch = fetch;
  }

  /** Stored events after `since`, oldest first, at most `limit` (1–1000). */
  history({ since = 0, limit = 100, signal } = {}) {
    return this.#call('GET', 'messages', { since, limit }, undefined, signal);
  }

  /** Every stored event after `since`, page by page, oldest first. */
  async *events({ since = 0, pageSize = 500, signal } = {}) {
    for (;;) {
      const page = await this.history({ since, limit: pageSize, signal });
      yield* page;
      if (page.length < pageSize) {
        return;
      }
      since = page.at(-1).seq;
    }
  }

  /** One row per client number, newest activity first: `{clientNumber, lastMessage, unreadCount, lastStatus?}`. */
  conversations({ signal } = {}) {
    return this.#call('GET', 'conversations', {}, undefined, signal);
  }

  /**
   * One conversation's events, newest first: the `limit` (1–200, default 50) with the highest seq below `before`
   * (omit it for the newest page). Pass the last event's seq as the next `before`; a shorter page is the start.
   */
  conversationMessages(clientNumber, { before, limit = 50, signal } = {}) {
    const query = before === undefined ? { limit } : { before, limit };
    return this.#call('GET', `conversations/${encodeURIComponent(clientNumber)}/messages`, query, undefined, signal);
  }

  /** A send without a socket: `{id, seq}` once stored. `media`: up to 10 https:// URLs (MMS). */
  send({ to, body, media, clientRef, signal }) {
    return this.#call('POST', 'messages', {}, media?.length ? { to, body, media, clientRef } : { to, body, clientRef }, signal);
  }

  /** One body to many numbers: `{broadcastId}` once accepted (a repeated clientRef answers the first). */
  broadcast({ to, body, media, clientRef, signal }) {
    return this.#call('POST', 'broadcasts', {}, media?.length ? { to, body, media, clientRef } : { to, body, clientRef }, signal);
  }

  /** A broadcast's progress: `{id, total, sent, failed, skipped, cancelled}`. */
  broadcastProgress(broadcastId, { signal } = {}) {
    return this.#call('GET', `broadcasts/${encodeURIComponent(broadcastId)}`, {}, undefined, signal);
  }

  /** Cancels what of a broadcast has not gone yet; answers its progress (or nothing). */
  cancelBroadcast(broadcastId, { signal } = {}) {
    return this.#call('DELETE', `broadcasts/${encodeURIComponent(broadcastId)}`, {}, undefined, signal);
  }

  async #call(method, path, query, body, signal) {
    const headers = { Accept: 'application/json' };
    const token = await this.#token();
    if (token) {
      headers.Authorization = `Bearer ${token}`;
    }
    if (body !== undefined) {
      headers['Content-Type'] = 'application/json';
    }
    let response;
    try {
      response = await this.#fetch(apiUrl(this.#base, this.#userId, path, query), {
        method, headers, signal, cache: 'no-store', body: body === undefined ? undefined : JSON.stringify(body),
      });
    } catch (error) {
      if (error?.name === 'AbortError') {
        throw error;
      }
      throw new ApiError(0, 'unreachable', 'The server cannot be reached.');
    }
    if (!response.ok) {
      throw await apiErrorOf(response);
    }
    const text = await response.text();
    return text === '' ? null : JSON.parse(text);
  }
}

/** The ApiError of a refused response: its problem+json `code` and `title`, else the status line. */
export async function apiErrorOf(response) {
  let code = `http_${response.status}`;
  let message = `${response.status} ${response.statusText ?? ''}`.trim();
  try {
    const problem = await response.json();
    code = problem.code ?? code;
    message = problem.title ?? problem.detail ?? message;
  } catch {
    // not a problem+json body: keep the status line
  }
  return new ApiError(response.status, code, message);
}
