// @messaging-server/client: the MessagingServer client for browsers and Node 20+ (docs/client.md).

export { MessagingClient } from './client.js';
export { Connection, backoffDelay } from './connection.js';
export { EventCursor } from './event-cursor.js';
export { Outbox, SendError, RETRYABLE_CODES } from './outbox.js';
export { ApiError, RestApi, apiErrorOf } from './rest.js';
export {
  CloseCode, EVENT_TYPES, apiUrl, baseUrl, frames, isEvent, newClientRef, parseFrame, socketUrl, tokenExpiry,
} from './protocol.js';
