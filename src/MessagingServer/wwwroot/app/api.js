// The REST side: the user API (/api/users/{userId}/...) and, in Development, the dev token endpoint.
// A token, when the user gave one, goes in `Authorization: Bearer`.

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

export class Api {
  /**
   * @param {{ pageUrl: string, userId: string, token?: string, fetchImpl?: typeof fetch }} options
   */
  constructor({ pageUrl, userId, token, fetchImpl }) {
    this.pageUrl = pageUrl;
    this.userId = userId;
    this.token = token || '';
    this.fetch = fetchImpl ?? globalThis.fetch.bind(globalThis);
  }

  /** One row per client number, newest activity first. */
  conversations(signal) {
    return this.#get('conversations', signal);
  }

  /** Stored events after `since`, oldest first, at most `limit`. */
  history(since, limit, signal) {
    return this.#get(`messages?since=${encodeURIComponent(since)}&limit=${encodeURIComponent(limit)}`, signal);
  }

  async #get(path, signal) {
    const url = new URL(`../api/users/${encodeURIComponent(this.userId)}/${path}`, this.pageUrl);
    const headers = { Accept: 'application/json' };
    if (this.token) {
      headers.Authorization = `Bearer ${this.token}`;
    }
    let response;
    try {
      response = await this.fetch(url, { headers, signal, cache: 'no-store' });
    } catch (error) {
      if (error?.name === 'AbortError') {
        throw error;
      }
      throw new ApiError(0, 'unreachable', 'The server cannot be reached.');
    }
    if (!response.ok) {
      throw await problemOf(response);
    }
    return response.json();
  }
}

/** `GET /dev/token?userId=` (Development only, from the security feature): is it there? */
export async function devTokenAvailable(pageUrl, fetchImpl = globalThis.fetch.bind(globalThis)) {
  try {
    const response = await fetchImpl(devTokenUrl(pageUrl, 'console-probe'), { cache: 'no-store' });
    return response.ok;
  } catch {
    return false;
  }
}

/** A token minted by the dev token endpoint, whether it answers JSON ({token} / {access_token}) or plain text. */
export async function fetchDevToken(pageUrl, userId, fetchImpl = globalThis.fetch.bind(globalThis)) {
  let response;
  try {
    response = await fetchImpl(devTokenUrl(pageUrl, userId), { cache: 'no-store' });
  } catch {
    throw new ApiError(0, 'unreachable', 'The server cannot be reached.');
  }
  if (!response.ok) {
    throw await problemOf(response);
  }
  const text = (await response.text()).trim();
  if ((response.headers.get('Content-Type') ?? '').includes('json') || text.startsWith('{') || text.startsWith('"')) {
    const body = JSON.parse(text);
    const token = typeof body === 'string' ? body : body.token ?? body.access_token ?? body.accessToken;
    if (typeof token === 'string' && token) {
      return token;
    }
    throw new ApiError(response.status, 'no_token', 'The dev token endpoint answered without a token.');
  }
  return text;
}

function devTokenUrl(pageUrl, userId) {
  return new URL(`../dev/token?userId=${encodeURIComponent(userId)}`, pageUrl);
}

async function problemOf(response) {
  let code = `http_${response.status}`;
  let message = `${response.status} ${response.statusText}`.trim();
  try {
    const problem = await response.json();
    code = problem.code ?? code;
    message = problem.title ?? problem.detail ?? message;
  } catch {
    // not a problem+json body: keep the status line
  }
  return new ApiError(response.status, code, message);
}
