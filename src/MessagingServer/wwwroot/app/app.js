// The console's wiring: sign-in, what the user does, what the page shows. The session (session.js) owns the
// store and the client library's MessagingClient; this file only turns them into views. See docs/console.md.

import { ApiError, devTokenAvailable, fetchDevToken, userApi } from './api.js';
import { bodyProblem, isValidUserId, mediaProblem, normalizeNumber, numberProblem, parseMedia } from './protocol.js';
import { Session } from './session.js';
import { keys, storage } from './storage.js';
import { createUi } from './ui.js';
import { createBroadcastForm } from './ui-broadcast.js';
import { createBroadcastList } from './ui-broadcast-list.js';

/** Everything that belongs to one signed-in user; replaced on sign-out. */
let session = null;
let selected = null;
let renderQueued = false;

const ui = createUi(document, {
  signIn: (userId, token) => signIn(userId, token),
  devToken: (userId) => fetchDevToken(location.href, userId),
  signOut: () => signOut(),
  openNumber: (text) => openNumber(text),
  select: (number) => select(number),
  back: () => back(),
  send: (body, mediaText) => send(body, mediaText),
  retry: (clientRef) => {
    session?.retry(clientRef);
    ui.showComposeError(null);
  },
  discard: (clientRef) => session?.discard(clientRef),
  loadEarlier: () => selected && session?.pager.load(selected),
  reconnectNow: () => session?.client?.reconnectNow(),
});

// Broadcasts (ui-broadcast.js, ui-broadcast-list.js): a refusal rejects, and the form shows its code.
const broadcastForm = createBroadcastForm(document, {
  submit: (request) => (session ? session.broadcasts.submit(request) : Promise.reject(new Error('signed out'))),
});
const broadcastList = createBroadcastList(document, { cancel: (id) => session?.broadcasts.cancel(id) });

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
  let rows;
  try {
    rows = await userApi(location.href, userId, token).conversations();
  } catch (error) {
    ui.showSignIn({ userId, token, message: signInProblem(error, userId) });
    return;
  }

  storage.set('sessionStorage', keys.session, { userId, token });
  const s = new Session({ userId, token, pageUrl: location.href, hooks: hooksOf(() => s) });
  session = s;
  selected = null;
  ui.showConsole(userId);
  broadcastForm.reset();
  broadcastList.clear();
  s.store.loadConversations(rows);
  const last = storage.get('sessionStorage', keys.selected(userId));
  if (typeof last === 'string' && s.store.hasConversation(last)) {
    select(last, { focus: false });
  }
  await s.start(rows);
}

/** What the session tells the page; each hook does nothing once its session was replaced. */
function hooksOf(self) {
  const current = () => self() === session;
  return {
    changed: () => current() && scheduleRender(),
    state: (state) => current() && ui.setConnection(state),
    event: (event) => current() && announce(event),
    notice: (text) => current() && ui.showNotice(text),
    error: (frame) => current() && frame.code !== 'invalid_cursor' && ui.showComposeError(`${frame.message} (${frame.code})`),
    refused: (pending, error) => {
      if (current()) {
        if (pending?.to === selected) {
          ui.showComposeError(`Not sent: ${error.message} (${error.code})`);
        }
        ui.announce(`Message to ${pending?.to ?? 'a client'} not sent: ${error.message}`);
      }
    },
    apiError: (error) => {
      // A REST call refused for the token: back to sign-in.
      if (error instanceof ApiError && error.isAuth && current()) {
        signOut(signInProblem(error, session.userId));
        return true;
      }
      return false;
    },
    authExpired: () => current() && signOut('Your session expired: the server closed the connection (1008). Sign in again with a new token.'),
  };
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

function signOut(message = null) {
  const s = session;
  session = null;
  s?.stop();
  storage.set('sessionStorage', keys.session, null);
  ui.showSignIn({ userId: s?.userId ?? '', message, kind: message ? 'error' : 'info' });
}

function announce(event) {
  const store = session.store;
  if (event.type === 'message') {
    ui.announce(`New message from ${event.from}: ${event.body}`);
  } else if (event.type === 'status' && (event.status === 'failed' || event.status === 'undelivered')) {
    const to = store.conversationOf(event) ?? 'a client';
    ui.announce(`Message to ${to} ${event.status}${event.error ? `: ${event.error.message}` : ''}`);
  } else if (event.type === 'status' && event.status === 'delivered') {
    ui.announce(`Message to ${store.conversationOf(event) ?? 'a client'} delivered`);
  } else if (event.type === 'broadcast' && event.sent + event.failed + event.skipped + event.cancelled >= event.total) {
    ui.announce(`Broadcast finished: ${event.sent} of ${event.total} sent`);
  }
}

function openNumber(text) {
  if (!session) {
    return;
  }
  const number = normalizeNumber(text);
  const problem = numberProblem(number);
  if (problem) {
    ui.showNewNumberError(problem);
    return;
  }
  ui.clearNewNumber();
  session.store.openConversation(number);
  select(number);
}

function select(number, { focus = true } = {}) {
  const s = session;
  if (!s) {
    return;
  }
  selected = number;
  storage.set('sessionStorage', keys.selected(s.userId), number);
  ui.setView('thread');
  render();
  if (focus) {
    ui.focusCompose();
  }
  if (s.loaded && s.pager.canLoad(number) && s.store.thread(number).length < 15) {
    s.pager.load(number);
  }
}

function back() {
  ui.setView('list');
  if (session && selected) {
    ui.focusConversation(selected);
  }
}

function send(body, mediaText = '') {
  if (!session) {
    return false;
  }
  const media = parseMedia(mediaText);
  const problem = numberProblem(selected) ?? mediaProblem(media) ?? bodyProblem(body, { hasMedia: media.length > 0 });
  if (problem) {
    ui.showComposeError(problem);
    return false;
  }
  session.send(selected, body, media);
  ui.showComposeError(null);
  return true;
}

function scheduleRender() {
  if (renderQueued) {
    return;
  }
  renderQueued = true;
  queueMicrotask(() => {
    renderQueued = false;
    render();
  });
}

function render() {
  const s = session;
  if (!s) {
    return;
  }
  const { store } = s;
  const visible = document.visibilityState === 'visible' && (ui.view === 'thread' || matchMedia('(min-width: 721px)').matches);
  if (selected && visible) {
    store.markSeen(selected); // emits 'seen' (and so one more render) only when something changed
  }
  const rows = store.conversations();
  ui.renderConversations(rows, selected);
  ui.renderThread(selected, selected ? store.thread(selected) : [], {
    canLoadEarlier: s.pager.canLoad(selected),
    loadingEarlier: s.pager.isLoading(selected),
  });
  broadcastList.render(s.broadcasts.list());
  const unread = rows.reduce((sum, r) => sum + r.unread, 0);
  document.title = `${unread > 0 ? `(${unread}) ` : ''}MessagingServer console`;
}
