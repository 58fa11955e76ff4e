// What the console keeps in the browser: the signed-in user (per tab), the unconfirmed sends and the open
// conversation (per tab), where each conversation was read up to and the recent broadcasts (per browser).

export const keys = {
  session: 'messaging-console.session',
  outbox: (userId) => `messaging-console.outbox.${userId}`,
  selected: (userId) => `messaging-console.selected.${userId}`,
  seen: (userId) => `messaging-console.seen.${userId}`,
  broadcasts: (userId) => `messaging-console.broadcasts.${userId}`,
};

export const storage = {
  get(area, key) {
    try {
      const text = globalThis[area].getItem(key);
      return text ? JSON.parse(text) : null;
    } catch {
      return null;
    }
  },
  set(area, key, value) {
    try {
      if (value === null) {
        globalThis[area].removeItem(key);
      } else {
        globalThis[area].setItem(key, JSON.stringify(value));
      }
    } catch {
      // private mode or full: the console still works, it just forgets on reload
    }
  },
};
