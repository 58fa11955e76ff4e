// The REST side: the client library's RestApi for the user API (relative to the page: /app/ -> /) and,
// in Development, the dev token endpoint. A token, when the user gave one, goes in `Authorization: Bearer`.

import { ApiError, RestApi, apiErrorOf, baseUrl } from './client/index.js';

export { ApiError };

/** The server's root as seen from the console's page. */
export const serverBase = (pageUrl) => baseUrl('../', pageUrl);

/** The user API with a fixed token (what the user typed, or none). */
export function userApi(pageUrl, userId, token) {
  return new RestApi({ base: serverBase(pageUrl), userId, token: () => token || '', fetch: globalThis.fetch.bind(globalThis) });
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
    throw await apiErrorOf(response);
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
