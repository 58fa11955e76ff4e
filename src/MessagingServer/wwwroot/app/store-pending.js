// The sends the user made that the server has not confirmed yet (the outbox): kept across a reload,
// shown after the stored messages of their thread until their `outbound` event arrives. No DOM here.

export class PendingSends {
  #pending = new Map(); // clientRef -> { clientRef, to, body, media, createdAt, state, error }

  /** @param {Array<object>} saved what the last page left */
  constructor(saved = []) {
    for (const p of saved) {
      if (p?.clientRef && p.to && typeof p.body === 'string') {
        this.#pending.set(p.clientRef, {
          clientRef: p.clientRef, to: p.to, body: p.body, media: Array.isArray(p.media) ? p.media.filter((m) => typeof m === 'string') : [], createdAt: p.createdAt ?? new Date().toISOString(),
          state: p.state === 'failed' ? 'failed' : 'waiting', error: p.error ?? null,
        });
      }
    }
  }

  add(to, body, clientRef, media = []) {
    this.#pending.set(clientRef, { clientRef, to, body, media, createdAt: new Date().toISOString(), state: 'waiting', error: null });
  }

  /** `state`: waiting (for a live socket), sending (sent, no `outbound` yet) or failed (refused, with `error`). */
  setState(clientRef, state, error = null) {
    const p = this.#pending.get(clientRef);
    if (!p) {
      return false;
    }
    p.state = state;
    p.error = error;
    return true;
  }

  /** Confirmed or discarded: returns whether it was there. */
  delete(clientRef) {
    return this.#pending.delete(clientRef);
  }

  has(clientRef) {
    return this.#pending.has(clientRef);
  }

  /** Copies, to save or to read: changing them changes nothing here. */
  list() {
    return [...this.#pending.values()].map((p) => ({ ...p }));
  }

  /** The thread items of the sends to `number`, oldest first. */
  itemsTo(number) {
    const list = [];
    for (const p of this.#pending.values()) {
      if (p.to === number) {
        list.push({ key: `p${p.clientRef}`, kind: 'out', pending: true, clientRef: p.clientRef, to: p.to, body: p.body, media: p.media, at: p.createdAt, status: p.state, error: p.error });
      }
    }
    return list;
  }
}
