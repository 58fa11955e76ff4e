// Type declarations of @messaging-server/client (written by hand; the frames follow docs/schemas/).

export type DeliveryStatus = 'queued' | 'sent' | 'delivered' | 'undelivered' | 'failed';

/** An SMS (or MMS) from a client. */
export interface MessageEvent {
  type: 'message'; seq: number; id: string; from: string; to: string; body: string; media: string[]; at: string;
}

/** A message the user sent, from any device or the REST API. */
export interface OutboundEvent {
  type: 'outbound'; seq: number; id: string; clientRef?: string; from: string; to: string; body: string;
  media?: string[]; at: string; status: DeliveryStatus; encoding: 'GSM-7' | 'UCS-2'; segments: number;
}

/** Delivery progress of an outbound message. */
export interface StatusEvent {
  type: 'status'; seq: number; id: string; status: DeliveryStatus; error?: { code: string; message: string }; at: string;
}

/** Progress of a broadcast. */
export interface BroadcastEvent {
  type: 'broadcast'; seq: number; id: string; total: number; sent: number; failed: number; skipped: number; cancelled: number; at: string;
}

export type StoredEvent = MessageEvent | OutboundEvent | StatusEvent | BroadcastEvent;

export interface WelcomeFrame { type: 'welcome'; userId: string; lastSeq: number; resumeFrom: number }
export interface ErrorFrame { type: 'error'; code: string; message: string; clientRef?: string }

export type ConnectionState =
  | { name: 'connecting'; attempt: number }
  | { name: 'live'; lastSeq: number }
  | { name: 'reconnecting'; retryAt: number; delay: number; lastCode: number | null; wasOpen: boolean }
  | { name: 'offline'; reason?: string };

export interface SendRequest {
  /** E.164: + and 8 to 15 digits. */
  to: string;
  body: string;
  /** Up to 10 https:// URLs (MMS). */
  media?: string[];
  /** The idempotency key; one is made when absent. Reuse it to send the same message again safely. */
  clientRef?: string;
  /** Stops waiting (the promise rejects with code `aborted`); a send already on the wire may still be stored. */
  signal?: AbortSignal;
}

export interface Conversation {
  clientNumber: string; lastMessage: StoredEvent; unreadCount: number; lastStatus?: DeliveryStatus;
}

export type TokenSource = string | (() => string | Promise<string>);

export interface Timers {
  setTimeout(f: () => void, ms: number): unknown;
  clearTimeout(handle: unknown): void;
  now?(): number;
  random?(): number;
  isOnline?(): boolean;
  addEventListener?(name: string, f: () => void): void;
  removeEventListener?(name: string, f: () => void): void;
}

export interface MessagingClientOptions {
  /** The server's base URL (http(s)://host:port/ or one relative to the page); optional in a browser page served by the server's root. */
  url?: string | URL;
  userId: string;
  /** A JWT, or a function returning a fresh one: called on each connect, and before the current one expires. */
  token?: TokenSource;
  /** The WebSocket class: the global one by default (browsers, Node 22+); pass the `ws` package's on Node 20. */
  WebSocket?: unknown;
  fetch?: typeof fetch;
  /** The seq the app already has (e.g. kept in storage); without it the server resumes after the user's last ack. */
  since?: number | null;
  /** Ack each event once every listener returned (default true); false: call `ack(seq)` yourself. */
  autoAck?: boolean;
  /** ms to gather acks into one frame (default 200). */
  ackDelay?: number;
  /** How often a send refused with `unavailable` or `rate_limited` is tried again before it rejects (default 5). */
  sendRetries?: number;
  /** ms before a renewable token's `exp` at which the socket is renewed (default 30 000). */
  tokenRefreshMargin?: number;
  /** Reconnect delays: base * 2^attempt, half of it random, at most cap (default 500 ms and 30 s). */
  backoff?: { base?: number; cap?: number };
  pingInterval?: number;
  pongTimeout?: number;
  onListenerError?: (error: unknown, type: string) => void;
  env?: Partial<Timers>;
}

export interface ClientEvents {
  event: StoredEvent;
  message: MessageEvent;
  outbound: OutboundEvent;
  status: StatusEvent;
  broadcast: BroadcastEvent;
  welcome: WelcomeFrame;
  state: ConnectionState;
  /** An error frame that belongs to no pending send. */
  error: ErrorFrame;
  /** The server's history is behind what the app had (its journal was reset): seqs start over. */
  reset: { lastSeq: number; position: number };
  /** 1008 with a fixed token: it expired, the client stopped. */
  authexpired: { code: number; reason: string };
  /** A connect was refused before it opened (401/403 look like this in a browser) or the server is unreachable. */
  connectfailed: Record<string, never>;
}

export class MessagingClient {
  constructor(options: MessagingClientOptions);
  readonly userId: string;
  readonly api: RestApi;
  readonly state: ConnectionState;
  readonly position: number | null;
  readonly pendingSends: Array<Omit<SendRequest, 'signal'> & { clientRef: string }>;
  on<K extends keyof ClientEvents>(type: K, listener: (value: ClientEvents[K]) => void): () => void;
  off<K extends keyof ClientEvents>(type: K, listener: (value: ClientEvents[K]) => void): void;
  start(): this;
  stop(): void;
  reconnectNow(): void;
  send(request: SendRequest): Promise<OutboundEvent>;
  ack(seq: number): void;
  history(options?: { since?: number; limit?: number; signal?: AbortSignal }): Promise<StoredEvent[]>;
  conversations(options?: { signal?: AbortSignal }): Promise<Conversation[]>;
}

export class RestApi {
  constructor(options: { base: URL; userId: string; token?: () => string | Promise<string>; fetch?: typeof fetch });
  history(options?: { since?: number; limit?: number; signal?: AbortSignal }): Promise<StoredEvent[]>;
  events(options?: { since?: number; pageSize?: number; signal?: AbortSignal }): AsyncGenerator<StoredEvent>;
  conversations(options?: { signal?: AbortSignal }): Promise<Conversation[]>;
  /** One conversation, newest first; pass the last seq as the next `before` (a page shorter than `limit` is the start). */
  conversationMessages(clientNumber: string, options?: { before?: number; limit?: number; signal?: AbortSignal }): Promise<StoredEvent[]>;
  send(request: { to: string; body: string; media?: string[]; clientRef?: string; signal?: AbortSignal }): Promise<{ id: string; seq: number }>;
  broadcast(request: { to: string[]; body: string; media?: string[]; clientRef?: string; signal?: AbortSignal }): Promise<{ broadcastId: string }>;
  broadcastProgress(broadcastId: string, options?: { signal?: AbortSignal }): Promise<BroadcastProgress>;
  /** null when the server answers without a body. */
  cancelBroadcast(broadcastId: string, options?: { signal?: AbortSignal }): Promise<BroadcastProgress | null>;
}

export interface BroadcastProgress { id: string; total: number; sent: number; failed: number; skipped: number; cancelled: number }

export class ApiError extends Error {
  constructor(status: number, code: string, message: string);
  /** 0 when the server could not be reached. */
  readonly status: number;
  readonly code: string;
  readonly isAuth: boolean;
}

export class SendError extends Error {
  constructor(code: string, message: string, clientRef?: string | null);
  /** The server's code (invalid_to, opted_out, unavailable...) or stopped / aborted. */
  readonly code: string;
  readonly clientRef: string | null;
}

export const RETRYABLE_CODES: readonly string[];
export function apiErrorOf(response: Response): Promise<ApiError>;

export interface ConnectionOptions {
  url: () => string | Promise<string>;
  onFrame: (frame: { type: string; [key: string]: unknown }) => void;
  onState?: (state: ConnectionState) => void;
  onAuthExpired?: (event: { code: number; reason: string }) => void;
  onConnectFailed?: () => void;
  WebSocketImpl?: unknown;
  env?: Partial<Timers>;
  pingInterval?: number;
  pongTimeout?: number;
  retryOnPolicyClose?: boolean;
  backoff?: { base?: number; cap?: number };
}

/** The reconnecting socket under MessagingClient, for apps that keep their own event state. */
export class Connection {
  constructor(options: ConnectionOptions);
  readonly state: ConnectionState;
  readonly isLive: boolean;
  start(): void;
  stop(): void;
  restart(reason?: string): void;
  reconnectNow(): void;
  send(text: string): boolean;
}

export function backoffDelay(attempt: number, random?: () => number, limits?: { base?: number; cap?: number }): number;

export class EventCursor {
  constructor(position?: number | null);
  position: number | null;
  readonly since: number | null;
  welcome(welcome: { lastSeq: number; resumeFrom: number }): { reset: boolean };
  offer(seq: number): 'deliver' | 'duplicate' | 'gap';
  handle(seq: number): void;
  ackDue(): number | null;
  acknowledged(seq: number): void;
  reconnected(): void;
}

export class Outbox {
  readonly size: number;
  has(clientRef: string): boolean;
  add(request: SendRequest & { clientRef: string }): Promise<OutboundEvent>;
  requests(): Array<SendRequest & { clientRef: string }>;
  confirm(event: OutboundEvent): boolean;
  refuse(frame: ErrorFrame, maxRetries: number): { outcome: 'retry' | 'rejected' | 'unknown'; request?: SendRequest; attempt?: number };
  fail(clientRef: string, error: Error): void;
  failAll(error: Error): void;
}

export const CloseCode: Readonly<{
  Normal: 1000; GoingAway: 1001; PolicyViolation: 1008; TooBig: 1009; ServerError: 1011; Restart: 1012; TryAgainLater: 1013;
}>;
export const EVENT_TYPES: readonly ['message', 'outbound', 'status', 'broadcast'];
export const frames: Readonly<{
  send(request: { to: string; body: string; media?: string[]; clientRef?: string }): string;
  ack(seq: number): string;
  ping(): string;
}>;
export function parseFrame(text: string): { type: string; [key: string]: unknown } | null;
export function isEvent(frame: unknown): frame is StoredEvent;
export function newClientRef(prefix?: string, crypto?: { getRandomValues(array: Uint8Array): Uint8Array }): string;
export function baseUrl(server: string | URL, page?: string): URL;
export function socketUrl(base: URL, userId: string, options?: { since?: number; token?: string }): string;
export function apiUrl(base: URL, userId: string, path: string, query?: Record<string, unknown>): URL;
export function tokenExpiry(token: string): number | null;
