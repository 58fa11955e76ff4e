// The delivery status of each outbound message: a status only moves forward, and one met before its
// `outbound` event (on an older history page) is kept until that event arrives. No DOM here.

import { laterStatus, isFailure } from './protocol.js';

export class OutboundStatuses {
  #outbound = new Map(); // message id -> { seq, status, error }
  #earlyStatus = new Map(); // message id -> { status, error } seen before its outbound (an older page)

  /** An `outbound` event: its record starts from its own status and any that came before it. */
  addOutbound(e) {
    const record = { seq: e.seq, status: e.status || 'queued', error: null };
    const early = this.#earlyStatus.get(e.id);
    if (early) {
      this.#earlyStatus.delete(e.id);
      record.status = laterStatus(record.status, early.status);
      record.error = early.error;
    }
    this.#outbound.set(e.id, record);
  }

  /** A `status` event. */
  applyStatus(e) {
    const target = this.#outbound.get(e.id) ?? this.#earlyStatus.get(e.id) ?? null;
    const record = target ?? { status: null, error: null };
    const next = laterStatus(record.status, e.status);
    if (next !== record.status) {
      record.status = next;
      record.error = isFailure(next) ? e.error ?? null : null;
    }
    if (!target) {
      this.#earlyStatus.set(e.id, record);
    }
  }

  /** The record of an outbound message (`{ seq, status, error }`), if its event is known. */
  get(id) {
    return this.#outbound.get(id);
  }

  clear() {
    this.#outbound.clear();
    this.#earlyStatus.clear();
  }
}
