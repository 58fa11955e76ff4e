// How far the user has read each conversation: the marks kept across a reload, and the unread counts
// they give. A conversation is `{ number, seqs, summary }`, `isInbound(seq)` tells a received message
// from a sent one. No DOM here.

export class ReadMarks {
  #seen = new Map(); // client number -> highest seq the user has looked at

  /** @param {Record<string, number>} saved what the last page left */
  constructor(saved = {}) {
    for (const [number, seq] of Object.entries(saved)) {
      if (Number.isSafeInteger(seq)) {
        this.#seen.set(number, seq);
      }
    }
  }

  /** A mark beyond the server's newest event is from before its history was reset: forget it. */
  forgetBeyond(newest) {
    for (const [number, seq] of this.#seen) {
      if (seq > newest) {
        this.#seen.delete(number);
      }
    }
  }

  /** Inbound messages the user has not looked at in this console (or, on a new device, that the server counts). */
  unread(conversation, isInbound) {
    const seen = this.#seen.get(conversation.number);
    const after = seen ?? conversation.summary?.lastSeq ?? 0;
    let count = seen === undefined ? conversation.summary?.unread ?? 0 : 0;
    for (const seq of conversation.seqs) {
      if (seq > after && isInbound(seq)) {
        count++;
      }
    }
    return count;
  }

  /** The user has looked at this conversation up to its newest message: returns whether the mark moved. */
  markSeen(conversation) {
    const last = conversation?.seqs.at(-1);
    if (!last || (this.#seen.get(conversation.number) ?? -1) >= last) {
      return false;
    }
    this.#seen.set(conversation.number, last);
    return true;
  }

  /**
   * Where each conversation was read up to, to keep across a reload: the marks the user made, and
   * for the other conversations the seq just below their oldest unread message. (The server's own
   * unread counts reset when the console acks what it rendered, so they alone would lose them.)
   */
  marks(conversations, isInbound) {
    const marks = Object.fromEntries(this.#seen);
    for (const conversation of conversations) {
      if (this.#seen.has(conversation.number) || conversation.seqs.length === 0) {
        continue;
      }
      const unread = this.unread(conversation, isInbound);
      const inbound = conversation.seqs.filter(isInbound);
      if (unread === 0) {
        marks[conversation.number] = conversation.seqs.at(-1);
      } else if (inbound.length >= unread) {
        marks[conversation.number] = inbound[inbound.length - unread] - 1;
      }
    }
    return marks;
  }

  clear() {
    this.#seen.clear();
  }
}
