// The console's wiring: sign-in, history, the live socket, sending. See docs/console.md.

import { Api, devTokenAvailable, fetchDevToken } from './api.js';
import { ApiError, Connection, baseUrl, frames, isEvent, newClientRef, socketUrl } from './client/index.js';
import { bodyProblem, isValidUserId, normalizeNumber, numberProblem } from './protocol.js';
import { Store } from './store.js';
import { createUi } from './ui.js';

const PAGE = 500; // events per history request (the server allows up to 1000)
const WINDOW = 500; // how far back the first load goes; "Load earlier messages" pages further
const ACK_DELAY = 400; // ms: acks are debounced, one per burst of events

const keys = {
  session: 'messaging-console.session',
  outbox: (userId) => `messaging-console.outbox.${userId}`,
  selected: (userId) => `messaging-console.selected.${userId}`,
  seen: (userId) => `messaging-console.seen.${userId}`,
};

const storage = {
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

/** Everything that belongs to one signed-in user; replaced on sign-out. */
let session = null;

const ui = createUi(document, {
  signIn: (userId, token) => signIn(userId, token),
  devToken: (userId) => fetchDevToken(location.href, userId),
  signOut: () => signOut(),
  openNumber: (text) => openNumber(text),
  select: (number) => select(number),
  back: () => back(),
  send: (body) => send(body),
  retry: (clientRef) => retry(clientRef),
  discard: (clientRef) => session?.store.discardPending(clientRef),
  loadEarlier: () => loadEarlier(),
  reconnectNow: () => session?.connection.reconnectNow(),
});

devTokenAvailable(location.href).then((available) => ui.setDevTokenAvailable(available));

const saved = storage.get('sessionStorage', keys.session);
if (saved && isValidUserId(saved.userId)) {
  signIn(saved.userId, saved.token ?? '');
} else {
  ui.showSignIn();
}

document.addEventListener('visibilitychange', () => {
  if (session && document.visibilityState === 'visible') {
    render();
  }
});

async function signIn(userId, token) {
  if (!isValidUserId(userId)) {
    ui.showSignIn({ userId, token, message: 'A user id is 1 to 64 letters, digits, "-", "_", "." or "@".' });
    return;
  }
  ui.setSignInBusy(true);
  const abort = new AbortController();
  const api = new Api({ pageUrl: location.href, userId, token });
  let rows;
  try {
    rows = await api.conversations(abort.signal);
  } catch (error) {
    ui.showSignIn({ userId, token, message: signInProblem(error, userId) });
    return;
  }

  storage.set('sessionStorage', keys.session, { userId, token });
  const store = new Store({
    seen: storage.get('localStorage', keys.seen(userId)) ?? {},
    pending: storage.get('sessionStorage', keys.outbox(userId)) ?? [],
  });
  const s = {
    userId, token, api, store, abort,
    selected: null, acked: 0, ackTimer: null, renderQueued: false, loadingEarlier: false, loaded: false,
  };
  s.connection = new Connection({
    url: () => socketUrl(baseUrl('../', location.href), userId, { since: store.cursor, token }),
    onFrame: (frame) => onFrame(s, frame),
    onState: (state) => {
      if (session === s) {
        ui.setConnection(state);
      }
    },
    onAuthExpired: () => signOut('Your session expired: the server closed the connection (1008). Sign in again with a new token.'),
    onConnectFailed: () => checkAccess(s),
  });
  session = s;
  store.subscribe((change) => {
    if (change.type === 'pending' || change.type === 'events' || change.type === 'reset') {
      storage.set('sessionStorage', keys.outbox(userId), store.pending());
    }
    if (change.type !== 'pending') {
      storage.set('localStorage', keys.seen(userId), store.seenMarks());
    }
    scheduleRender(s);
  });

  ui.showConsole(userId);
  store.loadConversations(rows);
  const selected = storage.get('sessionStorage', keys.selected(userId));
  if (typeof selected === 'string' && store.hasConversation(selected)) {
    select(selected, { focus: false });
  }
  try {
    await loadRecent(s, rows);
  } catch (error) {
    if (!handleApiError(s, error)) {
      ui.showNotice(`History could not be loaded (${error.message}); live messages still arrive.`);
    }
  }
  s.loaded = true;
  if (session === s) {
    s.connection.start();
  }
}

function signInProblem(error, userId) {
  if (!(error instanceof ApiError)) {
    return `Sign-in failed: ${error.message}`;
  }
  switch (error.status) {
    case 0:
      return 'The server cannot be reached. Check that it runs and try again.';
    case 401:
      return `The server needs a valid access token for ${userId} (401 ${error.code}).`;
    case 403:
      return `This token does not allow user ${userId} (403 ${error.code}).`;
    default:
      return `Sign-in failed: ${error.message} (${error.code}).`;
  }
}

/** A REST call was refused for the token: back to sign-in. True when it was that. */
function handleApiError(s, error) {
  if (error instanceof ApiError && error.isAuth && session === s) {
    signOut(signInProblem(error, s.userId));
    return true;
  }
  return false;
}

/** The socket closed before it opened: a browser cannot see a 401/403, so ask the REST API. */
async function checkAccess(s) {
  try {
    await s.api.conversations(s.abort.signal);
  } catch (error) {
    handleApiError(s, error);
  }
}

function signOut(message = null) {
  const s = session;
  session = null;
  if (s) {
    s.abort.abort();
    s.connection.stop();
    clearTimeout(s.ackTimer);
  }
  storage.set('sessionStorage', keys.session, null);
  ui.showSignIn({ userId: s?.userId ?? '', message, kind: message ? 'error' : 'info' });
}

/** The newest WINDOW events, page by page, oldest first. */
async function loadRecent(s, rows) {
  const newest = Math.max(0, ...rows.map((r) => r.lastMessage?.seq ?? 0));
  const floor = Math.max(0, newest - WINDOW);
  s.store.setFloor(floor);
  await loadForward(s, floor);
}

async function loadForward(s, since) {
  for (;;) {
    const page = await s.api.history(since, PAGE, s.abort.signal);
    if (session !== s) {
      return;
    }
    s.store.applyEvents(page);
    if (page.length < PAGE) {
      return;
    }
    since = page.at(-1).seq;
  }
}

async function loadEarlier() {
  const s = session;
  if (!s || s.loadingEarlier || s.store.floor <= 0) {
    return;
  }
  s.loadingEarlier = true;
  render();
  try {
    const floor = s.store.floor;
    const newFloor = Math.max(0, floor - PAGE);
    const page = await s.api.history(newFloor, floor - newFloor, s.abort.signal);
    if (session === s) {
      s.store.applyEvents(page);
      s.store.lowerFloor(newFloor);
    }
  } catch (error) {
    if (!handleApiError(s, error) && error?.name !== 'AbortError') {
      ui.showNotice(`Earlier messages could not be loaded (${error.message}).`);
    }
  } finally {
    s.loadingEarlier = false;
    if (session === s) {
      render();
    }
  }
}

function onFrame(s, frame) {
  if (session !== s) {
    return;
  }
  if (isEvent(frame)) {
    const added = s.store.applyEvent(frame);
    if (added) {
      announce(s, frame);
      scheduleAck(s);
    }
    return;
  }
  switch (frame.type) {
    case 'welcome':
      onWelcome(s, frame);
      break;
    case 'error':
      onError(s, frame);
      break;
    default:
      break; // pong: the connection already counted it as a sign of life
  }
}

async function onWelcome(s, welcome) {
  ui.showNotice(null);
  if (welcome.lastSeq < s.store.highest) {
    // The server's history is behind what this page has shown: its journal was reset (an in-memory
    // store that restarted). Seqs start over, so forget them and load what the server has now.
    s.store.reset();
    s.acked = 0;
    ui.showNotice('The server\'s message history was reset; showing what it has now.');
    try {
      const rows = await s.api.conversations(s.abort.signal);
      if (session !== s) {
        return;
      }
      s.store.loadConversations(rows);
      s.store.setFloor(Math.max(0, welcome.lastSeq - WINDOW));
      await loadForward(s, s.store.floor);
    } catch (error) {
      handleApiError(s, error);
    }
  }
  flushOutbox(s);
  scheduleAck(s);
}

/** Sends every unconfirmed send again with its clientRef: the server sends no SMS twice. */
function flushOutbox(s) {
  for (const p of s.store.pending()) {
    if (p.state !== 'failed' && s.connection.send(frames.send({ to: p.to, body: p.body, clientRef: p.clientRef }))) {
      s.store.setPendingState(p.clientRef, 'sending');
    }
  }
}

function onError(s, error) {
  const text = `${error.message} (${error.code})`;
  if (error.clientRef && s.store.hasPending(error.clientRef)) {
    s.store.setPendingState(error.clientRef, 'failed', { code: error.code, message: error.message });
    const pending = s.store.pending().find((p) => p.clientRef === error.clientRef);
    if (pending?.to === s.selected) {
      ui.showComposeError(`Not sent: ${text}`);
    }
    ui.announce(`Message to ${pending?.to ?? 'a client'} not sent: ${error.message}`);
  } else if (error.code === 'invalid_cursor') {
    // an ack that raced a history reset: harmless, the next ack corrects it
  } else {
    ui.showComposeError(text);
  }
}

function scheduleAck(s) {
  if (s.ackTimer) {
    return;
  }
  s.ackTimer = setTimeout(() => {
    s.ackTimer = null;
    // The highest seq with nothing missing below it: everything up to it is on screen.
    const seq = s.store.cursor;
    if (session === s && seq > s.acked && s.connection.send(frames.ack(seq))) {
      s.acked = seq;
    }
  }, ACK_DELAY);
}

function announce(s, event) {
  if (event.type === 'message') {
    ui.announce(`New message from ${event.from}: ${event.body}`);
  } else if (event.type === 'status' && (event.status === 'failed' || event.status === 'undelivered')) {
    const to = s.store.conversationOf(event) ?? 'a client';
    ui.announce(`Message to ${to} ${event.status}${event.error ? `: ${event.error.message}` : ''}`);
  } else if (event.type === 'status' && event.status === 'delivered') {
    ui.announce(`Message to ${s.store.conversationOf(event) ?? 'a client'} delivered`);
  }
}

function openNumber(text) {
  const s = session;
  if (!s) {
    return;
  }
  const number = normalizeNumber(text);
  const problem = numberProblem(number);
  if (problem) {
    ui.showNewNumberError(problem);
    return;
  }
  ui.clearNewNumber();
  s.store.openConversation(number);
  select(number);
}

function select(number, { focus = true } = {}) {
  const s = session;
  if (!s) {
    return;
  }
  s.selected = number;
  storage.set('sessionStorage', keys.selected(s.userId), number);
  ui.setView('thread');
  render();
  if (focus) {
    ui.focusCompose();
  }
  if (s.loaded && s.store.floor > 0 && s.store.thread(number).length < 15) {
    loadEarlier();
  }
}

function back() {
  const s = session;
  ui.setView('list');
  if (s?.selected) {
    ui.focusConversation(s.selected);
  }
}

function send(body) {
  const s = session;
  if (!s) {
    return false;
  }
  const problem = numberProblem(s.selected) ?? bodyProblem(body);
  if (problem) {
    ui.showComposeError(problem);
    return false;
  }
  const clientRef = newClientRef('web');
  s.store.addPending(s.selected, body, clientRef);
  if (s.connection.send(frames.send({ to: s.selected, body, clientRef }))) {
    s.store.setPendingState(clientRef, 'sending');
  }
  ui.showComposeError(null);
  return true;
}

function retry(clientRef) {
  const s = session;
  const p = s?.store.pending().find((x) => x.clientRef === clientRef);
  if (!p) {
    return;
  }
  // Refused sends stored nothing, so the same clientRef is still free and still idempotent.
  s.store.setPendingState(clientRef, s.connection.send(frames.send({ to: p.to, body: p.body, clientRef })) ? 'sending' : 'waiting');
  ui.showComposeError(null);
}

function scheduleRender(s) {
  if (s.renderQueued) {
    return;
  }
  s.renderQueued = true;
  queueMicrotask(() => {
    s.renderQueued = false;
    if (session === s) {
      render();
    }
  });
}

function render() {
  const s = session;
  if (!s) {
    return;
  }
  const { store } = s;
  const visible = document.visibilityState === 'visible' && (ui.view === 'thread' || matchMedia('(min-width: 721px)').matches);
  if (s.selected && visible) {
    store.markSeen(s.selected); // emits 'seen' (and so one more render) only when something changed
  }
  const rows = store.conversations();
  ui.renderConversations(rows, s.selected);
  ui.renderThread(s.selected, s.selected ? store.thread(s.selected) : [], {
    canLoadEarlier: store.floor > 0,
    loadingEarlier: s.loadingEarlier,
  });
  const unread = rows.reduce((sum, r) => sum + r.unread, 0);
  document.title = `${unread > 0 ? `(${unread}) ` : ''}MessagingServer console`;
}
