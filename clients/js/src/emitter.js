// A tiny event emitter: `on` returns the function that unsubscribes. A listener that throws does not stop
// the others; its error is reported to `onListenerError` (by default rethrown on a fresh task, so it shows).

export class Emitter {
  #listeners = new Map();
  #onListenerError;

  constructor(onListenerError = (error) => setTimeout(() => { throw error; }, 0)) {
    this.#onListenerError = onListenerError;
  }

  on(type, listener) {
    if (typeof listener !== 'function') {
      throw new TypeError(`a listener for '${type}' must be a function`);
    }
    let set = this.#listeners.get(type);
    if (!set) {
      set = new Set();
      this.#listeners.set(type, set);
    }
    set.add(listener);
    return () => this.off(type, listener);
  }

  off(type, listener) {
    this.#listeners.get(type)?.delete(listener);
  }

  /** Calls every listener of `type`; true when none threw. */
  emit(type, value) {
    let ok = true;
    for (const listener of [...(this.#listeners.get(type) ?? [])]) {
      try {
        listener(value);
      } catch (error) {
        ok = false;
        this.#onListenerError(error, type);
      }
    }
    return ok;
  }
}
