// Scroll-back in one thread: older events of that conversation only, page by page, from
// `GET /conversations/{number}/messages?before=&limit=` (newest first). Each page goes into the store,
// which merges by seq (so nothing shows twice and everything stays in order); a page shorter than asked
// for is the conversation's start. The store's first window already holds everything when its floor is 0.

/** Events per page of a thread's scroll-back (the server allows up to 200). */
export const THREAD_PAGE = 50;

/** The `before` of the next page: below both the oldest message shown and the oldest event of the last page. */
export function nextBefore(state, oldestShown) {
  const before = Math.min(state?.before ?? Infinity, oldestShown ?? Infinity);
  return Number.isFinite(before) ? before : undefined;
}

/** The conversation's paging state after a page of `limit` came back. */
export function afterPage(state, page, limit, askedBefore) {
  const seqs = (page ?? []).map((e) => e?.seq).filter(Number.isSafeInteger);
  const lowest = Math.min(askedBefore ?? Infinity, ...seqs);
  return {
    before: Number.isFinite(lowest) ? lowest : state?.before ?? null,
    done: (page?.length ?? 0) < limit,
  };
}

export class ThreadPager {
  #api;
  #store;
  #signal;
  #changed;
  #failed;
  #state = new Map(); // client number -> { before, done }
  #loading = new Set();

  /**
   * @param {{ api: { conversationMessages: Function }, store: import('./store.js').Store, signal?: AbortSignal,
   *   changed: () => void, failed: (error: Error) => void }} options
   */
  constructor({ api, store, signal, changed, failed }) {
    this.#api = api;
    this.#store = store;
    this.#signal = signal;
    this.#changed = changed;
    this.#failed = failed;
  }

  /** Whether older messages of `number` may exist that the console does not have. */
  canLoad(number) {
    return Boolean(number) && this.#store.floor > 0 && !this.#state.get(number)?.done;
  }

  isLoading(number) {
    return this.#loading.has(number);
  }

  /** One page of older messages of `number`; nothing while one is on its way or the start was reached. */
  async load(number) {
    if (!this.canLoad(number) || this.#loading.has(number)) {
      return;
    }
    this.#loading.add(number);
    this.#changed();
    try {
      const state = this.#state.get(number);
      const before = nextBefore(state, this.#store.thread(number).find((item) => item.seq)?.seq);
      const page = await this.#api.conversationMessages(number, { before, limit: THREAD_PAGE, signal: this.#signal });
      if (!Array.isArray(page)) {
        throw new Error('the server answered something else than a list');
      }
      this.#state.set(number, afterPage(state, page, THREAD_PAGE, before));
      this.#store.applyEvents(page);
    } catch (error) {
      if (error?.name !== 'AbortError') {
        this.#failed(error);
      }
    } finally {
      this.#loading.delete(number);
      this.#changed();
    }
  }

  /** The store started over (the server's history was reset): every conversation may page again. */
  reset() {
    this.#state.clear();
  }
}
