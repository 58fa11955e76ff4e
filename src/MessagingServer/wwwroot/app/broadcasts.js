// One user's broadcasts as the console sees them: started through the client library's RestApi
// (`POST /broadcasts`, one clientRef per submission so a repeat starts nothing new), cancelled with `DELETE`,
// followed by the `broadcast` events of the user's stream, and kept in localStorage (the recent list).

import { BroadcastList } from './broadcast-list.js';
import { keys, storage } from './storage.js';

export class Broadcasts {
  #api;
  #userId;
  #changed;
  #list;
  #cancelling = new Set();

  /** @param {{ api: import('./client/index.js').RestApi, userId: string, changed: () => void }} options */
  constructor({ api, userId, changed }) {
    this.#api = api;
    this.#userId = userId;
    this.#changed = changed;
    this.#list = new BroadcastList(storage.get('localStorage', keys.broadcasts(userId)) ?? []);
  }

  /** Newest first, with each one's progress (see BroadcastList.list). */
  list() {
    return this.#list.list().map((b) => ({ ...b, cancelling: this.#cancelling.has(b.id) }));
  }

  /** Events the store took in (history pages, replays, live): the `broadcast` ones move their entry. */
  applyEvents(events) {
    this.#update(this.#list.applyEvents(events));
  }

  /**
   * Starts a broadcast; resolves with its id, rejects with the ApiError of a refusal (its `code`). The same
   * `clientRef` again answers the first broadcast's id and starts nothing.
   */
  async submit({ to, body, media, clientRef, signal }) {
    const answer = await this.#api.broadcast({ to, body, media, clientRef, signal });
    const id = answer?.broadcastId;
    if (typeof id !== 'string' || !id) {
      throw new Error('the server accepted the broadcast without an id');
    }
    this.#update(this.#list.started(id, { total: to.length, body: body || (media?.length ? 'Attachment' : '') }));
    return id;
  }

  /** Cancels what of a broadcast has not gone yet; its progress comes back in the answer and as an event. */
  async cancel(id) {
    if (this.#cancelling.has(id)) {
      return;
    }
    this.#cancelling.add(id);
    this.#changed();
    try {
      this.#update(this.#list.progress(await this.#api.cancelBroadcast(id)));
    } finally {
      this.#cancelling.delete(id);
      this.#changed();
    }
  }

  /** The server's history was reset: the broadcasts it listed are gone with it. */
  clear() {
    this.#list.clear();
    this.#update(true);
  }

  #update(changed) {
    if (changed) {
      storage.set('localStorage', keys.broadcasts(this.#userId), this.#list.toJSON());
      this.#changed();
    }
  }
}
