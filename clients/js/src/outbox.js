// The sends not yet confirmed, by clientRef. Each is sent again on every new socket with the same
// clientRef, so the server sends no SMS twice; it settles once: on its `outbound` event or on an error.

/** An `error` frame about a send, or a send that could not be made; `code` is the server's stable code. */
export class SendError extends Error {
  constructor(code, message, clientRef) {
    super(message);
    this.name = 'SendError';
    this.code = code;
    this.clientRef = clientRef ?? null;
  }
}

/** Codes after which the same send may succeed later: they are retried, with the same clientRef. */
export const RETRYABLE_CODES = Object.freeze(['unavailable', 'rate_limited']);

export class Outbox {
  #pending = new Map(); // clientRef -> { request, resolve, reject, retries }

  get size() {
    return this.#pending.size;
  }

  has(clientRef) {
    return this.#pending.has(clientRef);
  }

  /** Adds a send; a clientRef already waiting gets the same promise (it is one send). */
  add(request) {
    const existing = this.#pending.get(request.clientRef);
    if (existing) {
      return existing.promise;
    }
    let resolve;
    let reject;
    const promise = new Promise((res, rej) => {
      resolve = res;
      reject = rej;
    });
    this.#pending.set(request.clientRef, { request, resolve, reject, retries: 0, promise });
    return promise;
  }

  /** What to send on a new socket, oldest first. */
  requests() {
    return [...this.#pending.values()].map((p) => p.request);
  }

  /** An `outbound` event: settles the send with that clientRef. True when one was waiting. */
  confirm(event) {
    const entry = event?.clientRef ? this.#pending.get(event.clientRef) : undefined;
    if (!entry) {
      return false;
    }
    this.#pending.delete(event.clientRef);
    entry.resolve(event);
    return true;
  }

  /**
   * An `error` frame with a clientRef: `retry` (a retryable code, under `maxRetries`: the caller sends
   * it again later), `rejected` (the send's promise rejects) or `unknown` (not one of ours).
   */
  refuse(frame, maxRetries) {
    const entry = frame?.clientRef ? this.#pending.get(frame.clientRef) : undefined;
    if (!entry) {
      return { outcome: 'unknown' };
    }
    if (RETRYABLE_CODES.includes(frame.code) && entry.retries < maxRetries) {
      entry.retries++;
      return { outcome: 'retry', request: entry.request, attempt: entry.retries };
    }
    this.fail(frame.clientRef, new SendError(frame.code, frame.message, frame.clientRef));
    return { outcome: 'rejected' };
  }

  /** Rejects one send (refused, aborted, or the client stopped). */
  fail(clientRef, error) {
    const entry = this.#pending.get(clientRef);
    if (entry) {
      this.#pending.delete(clientRef);
      entry.reject(error);
    }
  }

  failAll(error) {
    for (const clientRef of [...this.#pending.keys()]) {
      this.fail(clientRef, error);
    }
  }
}
