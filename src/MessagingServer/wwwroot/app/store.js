// The console's state: every event it knows, keyed by seq so that history pages, replays and live
// events merge without duplicates; the conversations built from them; the sends not yet confirmed
// (store-pending.js), the outbound statuses (store-status.js), thread items (store-thread.js) and
// read marks (store-marks.js).
// No DOM and no socket here, so Node can test it.

import { laterStatus } from './protocol.js';
import { ReadMarks } from './store-marks.js';
import { PendingSends } from './store-pending.js';
import { OutboundStatuses } from './store-status.js';
import { eventItem, insertSeq } from './store-thread.js';

/** A stored event: the client library validated what the socket brought; this guards the REST pages and saved data. */
const isStored = (e) => e !== null && typeof e === 'object' && typeof e.type === 'string' && Number.isSafeInteger(e.seq) && e.seq > 0;

/**
 * `cursor` is the highest seq such that every event in (`floor`, `cursor`] is known: what the console
 * acks and resumes from (`?since=`), so a gap is asked for again rather than skipped.
 */
export class Store {
  #events = new Map(); // seq -> event (message | outbound | status)
  #statuses = new OutboundStatuses();
  #conversations = new Map(); // client number -> { number, seqs: number[], summary, opened }
  #pending;
  #marks;
  #listeners = new Set();
  #opened = 0;
  #isInbound = (seq) => this.#events.get(seq).type === 'message';

  floor = 0;
  cursor = 0;
  highest = 0;

  /** @param {{ seen?: Record<string, number>, pending?: Array<object> }} saved what the last page left */
  constructor({ seen = {}, pending = [] } = {}) {
    this.#marks = new ReadMarks(seen);
    this.#pending = new PendingSends(pending);
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
    this.#marks.forgetBeyond(Math.max(0, ...(rows ?? []).map((row) => row?.lastMessage?.seq ?? 0)));
    for (const row of rows ?? []) {
      if (!row?.clientNumber) {
        continue;
      }
      const conversation = this.#conversation(row.clientNumber);
      conversation.summary = { unread: row.unreadCount ?? 0, lastSeq: row.lastMessage?.seq ?? 0 };
      this.#apply(row.lastMessage);
      const record = row.lastMessage?.type === 'outbound' ? this.#statuses.get(row.lastMessage.id) : null;
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
      case 'outbound':
        this.#statuses.addOutbound(e);
        insertSeq(this.#conversation(e.to).seqs, e.seq);
        if (e.clientRef) {
          this.#pending.delete(e.clientRef);
        }
        break;
      case 'status':
        this.#statuses.applyStatus(e);
        break;
      case 'message':
        insertSeq(this.#conversation(e.from).seqs, e.seq);
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
      const pending = this.#pending.itemsTo(conversation.number);
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
    return items.concat(this.#pending.itemsTo(number));
  }

  #item(e) {
    return eventItem(e, e.type === 'message' ? undefined : this.#statuses.get(e.id));
  }

  /** Inbound messages the user has not looked at in this console (or, on a new device, that the server counts). */
  unread(number) {
    const conversation = this.#conversations.get(number);
    return conversation ? this.#marks.unread(conversation, this.#isInbound) : 0;
  }

  /** The user has looked at this conversation up to its newest message. */
  markSeen(number) {
    if (!this.#marks.markSeen(this.#conversations.get(number))) {
      return false;
    }
    this.#emit({ type: 'seen' });
    return true;
  }

  /** Where each conversation was read up to, to keep across a reload (see ReadMarks.marks). */
  seenMarks() {
    return this.#marks.marks(this.#conversations.values(), this.#isInbound);
  }

  /** The conversation an event belongs to (a status belongs to its message's). */
  conversationOf(event) {
    switch (event?.type) {
      case 'message':
        return event.from;
      case 'outbound':
        return event.to;
      case 'status': {
        const record = this.#statuses.get(event.id);
        return record ? this.#events.get(record.seq).to : null;
      }
      default:
        return null;
    }
  }

  addPending(to, body, clientRef, media = []) {
    this.#pending.add(to, body, clientRef, media);
    this.#conversation(to);
    this.#emit({ type: 'pending' });
  }

  /** `state`: waiting (for a live socket), sending (sent, no `outbound` yet) or failed (refused, with `error`). */
  setPendingState(clientRef, state, error = null) {
    if (!this.#pending.setState(clientRef, state, error)) {
      return false;
    }
    this.#emit({ type: 'pending' });
    return true;
  }

  discardPending(clientRef) {
    if (this.#pending.delete(clientRef)) {
      this.#emit({ type: 'pending' });
    }
  }

  pending() {
    return this.#pending.list();
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
    this.#statuses.clear();
    this.#marks.clear();
    for (const [number, conversation] of this.#conversations) {
      if (conversation.opened || this.#pending.itemsTo(number).length > 0) {
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
