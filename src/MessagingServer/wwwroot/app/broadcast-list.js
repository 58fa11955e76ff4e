// The recent broadcasts: the latest progress of each broadcast id from the `broadcast` events the console has
// seen (and the answers of its own POST and DELETE calls), newest first, at most LIMIT. Counts only grow, so
// whatever order events, replays and REST answers arrive in, each count keeps its highest value.
// No DOM here, so Node can test it.

export const LIMIT = 20;

const COUNTS = ['sent', 'failed', 'skipped', 'cancelled'];
const count = (v) => (Number.isSafeInteger(v) && v >= 0 ? v : 0);

/** How far a broadcast is: `{done, total, percent, finished}` (finished once every recipient is accounted for). */
export function progressOf(entry) {
  const done = COUNTS.reduce((sum, k) => sum + entry[k], 0);
  const total = entry.total;
  return {
    done,
    total,
    percent: total > 0 ? Math.min(100, Math.floor((done * 100) / total)) : 0,
    finished: entry.total > 0 && done >= total,
  };
}

export class BroadcastList {
  #entries = new Map(); // id -> { id, total, sent, failed, skipped, cancelled, firstSeq, order, body, at }
  #order = 0;

  /** @param {Array<object>} saved what the last page kept (checked: it may be anything) */
  constructor(saved = []) {
    // Saved newest first: restored oldest first, so that ties keep their order.
    for (const e of Array.isArray(saved) ? saved.slice(0, LIMIT).reverse() : []) {
      if (e && typeof e.id === 'string' && e.id.length > 0 && e.id.length <= 200) {
        this.#merge(e.id, e, { firstSeq: count(e.firstSeq) || null, body: typeof e.body === 'string' ? e.body.slice(0, 160) : '' });
      }
    }
  }

  /** Events of any type: the `broadcast` ones update their entry; returns whether anything changed. */
  applyEvents(events) {
    let changed = false;
    for (const e of events ?? []) {
      if (e?.type === 'broadcast' && typeof e.id === 'string' && e.id) {
        changed = this.#merge(e.id, e, { firstSeq: count(e.seq) || null, at: typeof e.at === 'string' ? e.at : null }) || changed;
      }
    }
    return changed;
  }

  /** A broadcast this console just started: shown at once, before its first event. */
  started(id, { total, body }) {
    return this.#merge(id, { total }, { body: String(body ?? '').slice(0, 160) });
  }

  /** A progress answer of the REST API (`{id, total, sent, failed, skipped, cancelled}`). */
  progress(answer) {
    return answer && typeof answer.id === 'string' ? this.#merge(answer.id, answer, {}) : false;
  }

  #merge(id, source, { firstSeq = null, body = '', at = null }) {
    let entry = this.#entries.get(id);
    const before = entry ? JSON.stringify(entry) : '';
    if (!entry) {
      entry = { id, total: 0, sent: 0, failed: 0, skipped: 0, cancelled: 0, firstSeq: null, order: ++this.#order, body: '', at: null };
      this.#entries.set(id, entry);
    }
    entry.total = Math.max(entry.total, count(source.total));
    for (const k of COUNTS) {
      entry[k] = Math.max(entry[k], count(source[k]));
    }
    if (firstSeq !== null && (entry.firstSeq === null || firstSeq < entry.firstSeq)) {
      entry.firstSeq = firstSeq;
    }
    entry.body ||= body;
    entry.at ??= at;
    this.#trim();
    return JSON.stringify(this.#entries.get(id) ?? null) !== before;
  }

  /** Newest first: the ones not yet seen in the stream (just started here) on top, then by their first event. */
  list() {
    return [...this.#entries.values()]
      .sort((a, b) => rank(b) - rank(a) || b.order - a.order)
      .map((e) => ({ ...e, ...progressOf(e) }));
  }

  get(id) {
    const entry = this.#entries.get(id);
    return entry ? { ...entry, ...progressOf(entry) } : null;
  }

  /** What to keep across a reload (see the constructor). */
  toJSON() {
    return this.list().map(({ id, total, sent, failed, skipped, cancelled, firstSeq, body, at }) => ({ id, total, sent, failed, skipped, cancelled, firstSeq, body, at }));
  }

  clear() {
    this.#entries.clear();
  }

  #trim() {
    if (this.#entries.size > LIMIT) {
      for (const old of this.list().slice(LIMIT)) {
        this.#entries.delete(old.id);
      }
    }
  }
}

function rank(e) {
  return e.firstSeq === null ? Number.MAX_SAFE_INTEGER : e.firstSeq;
}
