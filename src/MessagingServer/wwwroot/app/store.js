// The console's state: every event it knows, keyed by seq so that history pages, replays and live
// events merge without duplicates; the conversations built from them; the sends not yet confirmed.
// No DOM and no socket here, so Node can test it.

import { laterStatus, isFailure } from './protocol.js';

/** A stored event: the client library validated what the socket brought; this guards the REST pages and saved data. */
const isStored = (e) => e !== null && typeof e === 'object' && typeof e.type === 'string' && Number.isSafeInteger(e.seq) && e.seq > 0;

/**
 * `cursor` is the highest seq such that every event in (`floor`, `cursor`] is known: what the console
 * acks and resumes from (`?since=`), so a gap is asked for again rather than skipped.
 */
export class Store {
  #events = new Map(); // seq -> event (message | outbound | status)
  #outbound = new Map(); // message id -> { seq, status, error }
  #earlyStatus = new Map(); // message id -> { status, error } seen before its outbound (an older page)
  #conversations = new Map(); // client number -> { number, seqs: number[], summary, opened }
  #pending = new Map(); // clientRef -> { clientRef, to, body, createdAt, state, error }
  #seen = new Map(); // client number -> highest seq the user has looked at
  #listeners = new Set();
  #opened = 0;

  floor = 0;
  cursor = 0;
  highest = 0;

  /** @param {{ seen?: Record<string, number>, pending?: Array<object> }} saved what the last page left */
  constructor({ seen = {}, pending = [] } = {}) {
    for (const [number, seq] of Object.entries(seen)) {
      if (Number.isSafeInteger(seq)) {
        this.#seen.set(number, seq);
      }
    }
    for (const p of pending) {
      if (p?.clientRef && p.to && typeof p.body === 'string') {
        this.#pending.set(p.clientRef, {
          clientRef: p.clientRef, to: p.to, body: p.body, media: Array.isArray(p.media) ? p.media.filter((m) => typeof m === 'string') : [], createdAt: p.createdAt ?? new Date().toISOString(),
          state: p.state === 'failed' ? 'failed' : 'waiting', error: p.error ?? null,
        });
      }
    }
  }

  subscribe(listener) {
    this.#listeners.add(listener);
    return () => this.#listeners.delete(listener);
  }

  #emit(change) {
    for (const listener of this.#listeners) {
      listener(change);
    }
  }

  /** Everything after `floor` is being loaded: the cursor starts there. */
  setFloor(floor) {
    this.floor = Math.max(0, floor);
    this.cursor = Math.max(this.cursor, this.floor);
    this.#advance();
  }

  /** An older page (`newFloor`, old floor] has been merged. */
  lowerFloor(newFloor) {
    this.floor = Math.max(0, Math.min(this.floor, newFloor));
  }

  /** The rows of GET /api/users/{userId}/conversations. */
  loadConversations(rows) {
    // A mark beyond the server's newest event is from before its history was reset: forget it.
    const newest = Math.max(0, ...(rows ?? []).map((row) => row?.lastMessage?.seq ?? 0));
    for (const [number, seq] of this.#seen) {
      if (seq > newest) {
        this.#seen.delete(number);
      }
    }
    for (const row of rows ?? []) {
      if (!row?.clientNumber) {
        continue;
      }
      const conversation = this.#conversation(row.clientNumber);
      conversation.summary = { unread: row.unreadCount ?? 0, lastSeq: row.lastMessage?.seq ?? 0 };
      this.#apply(row.lastMessage);
      const record = row.lastMessage?.type === 'outbound' ? this.#outbound.get(row.lastMessage.id) : null;
      if (record && row.lastStatus) {
        record.status = laterStatus(record.status, row.lastStatus);
      }
    }
    this.#emit({ type: 'conversations' });
  }

  /** Merges events (history pages, replay, live); returns the ones that were new, in seq order. */
  applyEvents(events) {
    const added = [];
    for (const e of [...(events ?? [])].sort((a, b) => (a?.seq ?? 0) - (b?.seq ?? 0))) {
      if (this.#apply(e)) {
        added.push(e);
      }
    }
    if (added.length > 0) {
      this.#emit({ type: 'events', events: added });
    }
    return added;
  }

  applyEvent(event) {
    return this.applyEvents([event]).length === 1;
  }

  #apply(e) {
    if (!isStored(e) || this.#events.has(e.seq)) {
      return false;
    }
    this.#events.set(e.seq, e);
    this.highest = Math.max(this.highest, e.seq);
    switch (e.type) {
      case 'outbound': {
        const record = { seq: e.seq, status: e.status || 'queued', error: null };
        const early = this.#earlyStatus.get(e.id);
        if (early) {
          this.#earlyStatus.delete(e.id);
          record.status = laterStatus(record.status, early.status);
          record.error = early.error;
        }
        this.#outbound.set(e.id, record);
        this.#insert(this.#conversation(e.to), e.seq);
        if (e.clientRef) {
          this.#pending.delete(e.clientRef);
        }
        break;
      }
      case 'status': {
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
        break;
      }
      case 'message':
        this.#insert(this.#conversation(e.from), e.seq);
        break;
    }
    this.#advance();
    return true;
  }

  #advance() {
    while (this.#events.has(this.cursor + 1)) {
      this.cursor++;
    }
  }

  #conversation(number) {
    let conversation = this.#conversations.get(number);
    if (!conversation) {
      conversation = { number, seqs: [], summary: null, opened: 0 };
      this.#conversations.set(number, conversation);
    }
    return conversation;
  }

  #insert(conversation, seq) {
    const seqs = conversation.seqs;
    if (seqs.length === 0 || seqs[seqs.length - 1] < seq) {
      seqs.push(seq);
      return;
    }
    let lo = 0;
    let hi = seqs.length;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (seqs[mid] < seq) {
        lo = mid + 1;
      } else {
        hi = mid;
      }
    }
    seqs.splice(lo, 0, seq);
  }

  /** A conversation the user opened by number, before any message in it. */
  openConversation(number) {
    const conversation = this.#conversation(number);
    if (!conversation.opened) {
      conversation.opened = ++this.#opened;
    }
    this.#emit({ type: 'conversations' });
  }

  hasConversation(number) {
    return this.#conversations.has(number);
  }

  /** The conversation list: newest activity first (opened-but-empty and sending ones on top). */
  conversations() {
    const rows = [];
    for (const conversation of this.#conversations.values()) {
      const pending = this.#pendingOf(conversation.number);
      const lastSeq = conversation.seqs.at(-1) ?? 0;
      const last = pending.at(-1) ?? (lastSeq ? this.#item(this.#events.get(lastSeq)) : null);
      rows.push({
        number: conversation.number,
        last,
        unread: this.unread(conversation.number),
        activity: pending.length > 0 || lastSeq === 0 ? Number.MAX_SAFE_INTEGER - 1_000_000 + conversation.opened : lastSeq,
      });
    }
    return rows.sort((a, b) => b.activity - a.activity || a.number.localeCompare(b.number));
  }

  /** The messages of one conversation, oldest first: stored ones by seq, then the unconfirmed sends. */
  thread(number) {
    const conversation = this.#conversations.get(number);
    const items = (conversation?.seqs ?? []).map((seq) => this.#item(this.#events.get(seq)));
    return items.concat(this.#pendingOf(number));
  }

  #item(e) {
    if (e.type === 'message') {
      return { key: `s${e.seq}`, kind: 'in', seq: e.seq, id: e.id, from: e.from, to: e.to, body: e.body, at: e.at, media: e.media ?? [] };
    }
    const record = this.#outbound.get(e.id);
    return {
      key: `s${e.seq}`, kind: 'out', seq: e.seq, id: e.id, clientRef: e.clientRef ?? null, to: e.to, body: e.body, at: e.at, media: e.media ?? [],
      status: record?.status ?? e.status, error: record?.error ?? null, encoding: e.encoding, segments: e.segments,
    };
  }

  #pendingOf(number) {
    const list = [];
    for (const p of this.#pending.values()) {
      if (p.to === number) {
        list.push({ key: `p${p.clientRef}`, kind: 'out', pending: true, clientRef: p.clientRef, to: p.to, body: p.body, media: p.media, at: p.createdAt, status: p.state, error: p.error });
      }
    }
    return list;
  }

  /** Inbound messages the user has not looked at in this console (or, on a new device, that the server counts). */
  unread(number) {
    const conversation = this.#conversations.get(number);
    if (!conversation) {
      return 0;
    }
    const seen = this.#seen.get(number);
    const after = seen ?? conversation.summary?.lastSeq ?? 0;
    let count = seen === undefined ? conversation.summary?.unread ?? 0 : 0;
    for (const seq of conversation.seqs) {
      if (seq > after && this.#events.get(seq).type === 'message') {
        count++;
      }
    }
    return count;
  }

  /** The user has looked at this conversation up to its newest message. */
  markSeen(number) {
    const conversation = this.#conversations.get(number);
    const last = conversation?.seqs.at(-1);
    if (!last || (this.#seen.get(number) ?? -1) >= last) {
      return false;
    }
    this.#seen.set(number, last);
    this.#emit({ type: 'seen' });
    return true;
  }

  /**
   * Where each conversation was read up to, to keep across a reload: the marks the user made, and
   * for the other conversations the seq just below their oldest unread message. (The server's own
   * unread counts reset when the console acks what it rendered, so they alone would lose them.)
   */
  seenMarks() {
    const marks = Object.fromEntries(this.#seen);
    for (const conversation of this.#conversations.values()) {
      if (this.#seen.has(conversation.number) || conversation.seqs.length === 0) {
        continue;
      }
      const unread = this.unread(conversation.number);
      const inbound = conversation.seqs.filter((seq) => this.#events.get(seq).type === 'message');
      if (unread === 0) {
        marks[conversation.number] = conversation.seqs.at(-1);
      } else if (inbound.length >= unread) {
        marks[conversation.number] = inbound[inbound.length - unread] - 1;
      }
    }
    return marks;
  }

  /** The conversation an event belongs to (a status belongs to its message's). */
  conversationOf(event) {
    switch (event?.type) {
      case 'message':
        return event.from;
      case 'outbound':
        return event.to;
      case 'status': {
        const record = this.#outbound.get(event.id);
        return record ? this.#events.get(record.seq).to : null;
      }
      default:
        return null;
    }
  }

  addPending(to, body, clientRef, media = []) {
    this.#pending.set(clientRef, { clientRef, to, body, media, createdAt: new Date().toISOString(), state: 'waiting', error: null });
    this.#conversation(to);
    this.#emit({ type: 'pending' });
  }

  /** `state`: waiting (for a live socket), sending (sent, no `outbound` yet) or failed (refused, with `error`). */
  setPendingState(clientRef, state, error = null) {
    const p = this.#pending.get(clientRef);
    if (!p) {
      return false;
    }
    p.state = state;
    p.error = error;
    this.#emit({ type: 'pending' });
    return true;
  }

  discardPending(clientRef) {
    if (this.#pending.delete(clientRef)) {
      this.#emit({ type: 'pending' });
    }
  }

  pending() {
    return [...this.#pending.values()].map((p) => ({ ...p }));
  }

  hasPending(clientRef) {
    return this.#pending.has(clientRef);
  }

  /**
   * The server's history went back (its journal was reset, e.g. an in-memory store restarted): forget
   * every event and mark; the unconfirmed sends stay and are sent again.
   */
  reset() {
    this.#events.clear();
    this.#outbound.clear();
    this.#earlyStatus.clear();
    this.#seen.clear();
    for (const [number, conversation] of this.#conversations) {
      if (conversation.opened || this.#pendingOf(number).length > 0) {
        conversation.seqs = [];
        conversation.summary = null;
      } else {
        this.#conversations.delete(number);
      }
    }
    this.floor = 0;
    this.cursor = 0;
    this.highest = 0;
    this.#emit({ type: 'reset' });
  }
}
