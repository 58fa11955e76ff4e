// The page: reads the static markup of index.html, renders the state it is given and reports what
// the user does. All user content goes in through textContent, never as HTML.

import { MAX_BODY_LENGTH, measureSegments } from './protocol.js';

const STATUS = Object.freeze({
  waiting: { glyph: '◌', label: 'Waiting for connection' },
  sending: { glyph: '◌', label: 'Sending' },
  queued: { glyph: '◷', label: 'Queued' },
  sent: { glyph: '✓', label: 'Sent' },
  delivered: { glyph: '✓✓', label: 'Delivered' },
  undelivered: { glyph: '✕', label: 'Undelivered' },
  failed: { glyph: '✕', label: 'Failed' },
});

const timeFormat = new Intl.DateTimeFormat(undefined, { hour: '2-digit', minute: '2-digit' });
const dateTimeFormat = new Intl.DateTimeFormat(undefined, { month: 'short', day: 'numeric', hour: '2-digit', minute: '2-digit' });

export function formatTime(iso, now = new Date()) {
  const date = new Date(iso);
  if (Number.isNaN(date.getTime())) {
    return '';
  }
  return date.toDateString() === now.toDateString() ? timeFormat.format(date) : dateTimeFormat.format(date);
}

/** The meter under the compose box: encoding, SMS count, characters used. */
export function meterText(body) {
  const m = measureSegments(body);
  const length = body.length;
  if (length > MAX_BODY_LENGTH) {
    return `${length} / ${MAX_BODY_LENGTH} characters: too long`;
  }
  const capacity = m.segments * m.perSegment;
  const why = m.encoding === 'UCS-2' ? ' (has characters outside GSM-7)' : '';
  return `${m.encoding}${why} · ${m.segments} SMS · ${m.units}/${capacity}`;
}

/**
 * @param {Document} doc
 * @param {{
 *   signIn: (userId: string, token: string) => void,
 *   devToken: (userId: string) => Promise<string>,
 *   signOut: () => void,
 *   openNumber: (text: string) => void,
 *   select: (number: string) => void,
 *   back: () => void,
 *   send: (body: string) => boolean,
 *   retry: (clientRef: string) => void,
 *   discard: (clientRef: string) => void,
 *   loadEarlier: () => void,
 *   reconnectNow: () => void,
 * }} actions
 */
export function createUi(doc, actions) {
  const $ = (id) => doc.getElementById(id);
  const el = {
    signInView: $('signin-view'), signInForm: $('signin-form'), signInUser: $('signin-user'), signInToken: $('signin-token'),
    signInMessage: $('signin-message'), signInSubmit: $('signin-submit'), devToken: $('dev-token'),
    consoleView: $('console-view'), who: $('who'), whoUser: $('who-user'), signOut: $('sign-out'),
    connection: $('connection'), connectionText: $('connection-text'), connectionCountdown: $('connection-countdown'),
    reconnectNow: $('reconnect-now'),
    newForm: $('new-conversation'), newNumber: $('new-number'), newError: $('new-number-error'),
    list: $('conversation-list'), listEmpty: $('conversations-empty'),
    threadTitle: $('thread-title'), back: $('back'), scroll: $('thread-scroll'), loadEarlier: $('load-earlier'),
    messages: $('messages'), threadEmpty: $('thread-empty'), notice: $('notice'),
    compose: $('compose'), body: $('compose-body'), send: $('send'), meter: $('compose-meter'), composeError: $('compose-error'),
    announcer: $('announcer'),
  };

  const nodes = new Map(); // message key -> <li>
  let threadNumber = null;
  let countdown = null;

  el.signInForm.addEventListener('submit', (e) => {
    e.preventDefault();
    actions.signIn(el.signInUser.value.trim(), el.signInToken.value.trim());
  });
  el.devToken.addEventListener('click', async () => {
    const userId = el.signInUser.value.trim();
    if (!userId) {
      showSignInMessage('Enter a user id first.', 'error');
      el.signInUser.focus();
      return;
    }
    el.devToken.disabled = true;
    try {
      el.signInToken.value = await actions.devToken(userId);
      showSignInMessage(`A development token for ${userId} was filled in.`, 'info');
      el.signInSubmit.focus();
    } catch (error) {
      showSignInMessage(`No dev token: ${error.message}`, 'error');
    } finally {
      el.devToken.disabled = false;
    }
  });
  el.signOut.addEventListener('click', () => actions.signOut());
  el.reconnectNow.addEventListener('click', () => actions.reconnectNow());
  el.newForm.addEventListener('submit', (e) => {
    e.preventDefault();
    actions.openNumber(el.newNumber.value);
  });
  el.newNumber.addEventListener('input', () => showFieldError(el.newNumber, el.newError, null));
  el.list.addEventListener('click', (e) => {
    const button = e.target.closest('button[data-number]');
    if (button) {
      actions.select(button.dataset.number);
    }
  });
  el.back.addEventListener('click', () => actions.back());
  el.loadEarlier.addEventListener('click', () => actions.loadEarlier());
  el.messages.addEventListener('click', (e) => {
    const button = e.target.closest('button[data-action]');
    if (button) {
      const ref = button.closest('li').dataset.clientRef;
      (button.dataset.action === 'retry' ? actions.retry : actions.discard)(ref);
    }
  });
  el.compose.addEventListener('submit', (e) => {
    e.preventDefault();
    submitCompose();
  });
  el.body.addEventListener('keydown', (e) => {
    // Enter sends, Shift+Enter is a new line; never while an IME is composing a character.
    if (e.key === 'Enter' && !e.shiftKey && !e.ctrlKey && !e.altKey && !e.metaKey && !e.isComposing) {
      e.preventDefault();
      submitCompose();
    }
  });
  el.body.addEventListener('input', () => {
    updateMeter();
    showFieldError(el.body, el.composeError, null);
  });

  function submitCompose() {
    if (actions.send(el.body.value)) {
      el.body.value = '';
      updateMeter();
    }
  }

  function updateMeter() {
    const body = el.body.value;
    const m = measureSegments(body);
    el.meter.textContent = meterText(body);
    el.meter.dataset.encoding = m.encoding;
    el.meter.dataset.segments = String(m.segments);
    el.meter.classList.toggle('over', body.length > MAX_BODY_LENGTH);
  }

  function showFieldError(input, box, text) {
    box.hidden = !text;
    box.textContent = text ?? '';
    if (text) {
      input.setAttribute('aria-invalid', 'true');
    } else {
      input.removeAttribute('aria-invalid');
    }
  }

  function showSignInMessage(text, kind = 'error') {
    el.signInMessage.hidden = !text;
    el.signInMessage.textContent = text ?? '';
    el.signInMessage.dataset.kind = kind;
  }

  function renderConnection(state) {
    el.connection.dataset.state = state.name;
    if (countdown !== null) {
      clearInterval(countdown);
      countdown = null;
    }
    switch (state.name) {
      case 'connecting':
        el.connectionText.textContent = state.attempt > 0 ? 'Reconnecting…' : 'Connecting…';
        break;
      case 'live':
        el.connectionText.textContent = 'Live';
        break;
      case 'reconnecting':
        el.connectionText.textContent = 'Reconnecting';
        break;
      default:
        el.connectionText.textContent = state.reason === 'no network' ? 'Offline (no network)' : 'Offline';
    }
    // The seconds tick visually only: a screen reader hears the state once, not every second.
    const tick = () => {
      el.connectionCountdown.textContent = state.name === 'reconnecting'
        ? ` in ${Math.max(1, Math.ceil((state.retryAt - Date.now()) / 1000))} s`
        : '';
    };
    tick();
    if (state.name === 'reconnecting') {
      countdown = setInterval(tick, 250);
    }
    el.reconnectNow.hidden = !(state.name === 'reconnecting' || (state.name === 'offline' && state.reason === 'no network'));
  }

  function conversationButton(row, selected) {
    const li = doc.createElement('li');
    const button = doc.createElement('button');
    button.type = 'button';
    button.className = 'conversation';
    button.dataset.number = row.number;
    if (row.number === selected) {
      button.setAttribute('aria-current', 'true');
    }
    const top = doc.createElement('span');
    top.className = 'conversation-top';
    const number = doc.createElement('span');
    number.className = 'number';
    number.textContent = row.number;
    top.append(number);
    if (row.last?.at) {
      const time = doc.createElement('time');
      time.dateTime = row.last.at;
      time.textContent = formatTime(row.last.at);
      top.append(time);
    }
    const bottom = doc.createElement('span');
    bottom.className = 'conversation-bottom';
    const preview = doc.createElement('span');
    preview.className = 'preview';
    preview.textContent = row.last ? `${row.last.kind === 'out' ? 'You: ' : ''}${row.last.body}` : 'New conversation';
    bottom.append(preview);
    if (row.last?.kind === 'out') {
      bottom.append(tick(row.last.status));
    }
    let label = `${row.number}`;
    if (row.unread > 0) {
      const badge = doc.createElement('span');
      badge.className = 'unread';
      badge.textContent = String(row.unread);
      badge.setAttribute('aria-hidden', 'true');
      bottom.append(badge);
      label += `, ${row.unread} unread`;
    }
    if (row.last) {
      label += `, last message ${row.last.kind === 'out' ? 'from you' : 'from them'}: ${row.last.body}`;
    }
    button.setAttribute('aria-label', label);
    button.append(top, bottom);
    li.append(button);
    return li;
  }

  function tick(status) {
    const s = STATUS[status] ?? { glyph: '', label: status };
    const span = doc.createElement('span');
    span.className = 'tick';
    span.dataset.status = status;
    const glyph = doc.createElement('span');
    glyph.setAttribute('aria-hidden', 'true');
    glyph.textContent = s.glyph;
    const label = doc.createElement('span');
    label.className = 'tick-label';
    label.textContent = s.label;
    span.append(glyph, label);
    return span;
  }

  function signature(item) {
    return `${item.status ?? ''}|${item.error?.code ?? ''}|${item.error?.message ?? ''}|${item.at}`;
  }

  function messageNode(item) {
    const li = doc.createElement('li');
    li.className = `msg ${item.kind}${item.pending ? ' pending' : ''}`;
    li.dataset.key = item.key;
    fillMessage(li, item);
    return li;
  }

  function fillMessage(li, item) {
    li.sig = signature(item);
    if (item.seq) {
      li.dataset.seq = String(item.seq);
      li.dataset.id = item.id;
    }
    if (item.clientRef) {
      li.dataset.clientRef = item.clientRef;
    }
    if (item.status) {
      li.dataset.status = item.status;
    }
    const bubble = doc.createElement('div');
    bubble.className = 'bubble';
    const body = doc.createElement('p');
    body.className = 'body';
    body.textContent = item.body;
    bubble.append(body);
    for (const [i, url] of (item.media ?? []).entries()) {
      const link = doc.createElement('a');
      link.className = 'media';
      link.href = url;
      link.target = '_blank';
      link.rel = 'noopener noreferrer';
      link.textContent = `Attachment ${i + 1}`;
      bubble.append(link);
    }
    const meta = doc.createElement('p');
    meta.className = 'meta';
    const time = doc.createElement('time');
    time.dateTime = item.at;
    time.textContent = formatTime(item.at);
    meta.append(time);
    if (item.kind === 'out') {
      if (item.segments > 1) {
        const seg = doc.createElement('span');
        seg.className = 'segments';
        seg.textContent = `${item.segments} SMS`;
        meta.append(seg);
      }
      meta.append(tick(item.status));
    }
    const parts = [bubble, meta];
    if (item.error) {
      const error = doc.createElement('p');
      error.className = 'msg-error';
      error.setAttribute('role', 'note');
      error.textContent = `${item.pending ? 'Not sent' : STATUS[item.status]?.label ?? 'Failed'}: ${item.error.message}${item.error.code ? ` (${item.error.code})` : ''}`;
      parts.push(error);
    }
    if (item.pending && item.status === 'failed') {
      const buttons = doc.createElement('p');
      buttons.className = 'msg-actions';
      for (const [action, text] of [['retry', 'Retry'], ['discard', 'Discard']]) {
        const button = doc.createElement('button');
        button.type = 'button';
        button.dataset.action = action;
        button.textContent = text;
        buttons.append(button);
      }
      parts.push(buttons);
    }
    li.replaceChildren(...parts);
  }

  return {
    showSignIn({ userId = '', token = '', message = null, kind = 'error' } = {}) {
      el.consoleView.hidden = true;
      el.who.hidden = true;
      el.signInView.hidden = false;
      el.signInUser.value = userId;
      el.signInToken.value = token;
      showSignInMessage(message, kind);
      this.setSignInBusy(false);
      renderConnection({ name: 'offline' });
      doc.title = 'MessagingServer console';
      (userId ? el.signInToken : el.signInUser).focus();
    },

    showSignInError(message) {
      showSignInMessage(message, 'error');
      this.setSignInBusy(false);
    },

    setSignInBusy(busy) {
      el.signInSubmit.disabled = busy;
      el.signInSubmit.textContent = busy ? 'Signing in…' : 'Sign in';
    },

    setDevTokenAvailable(available) {
      el.devToken.hidden = !available;
    },

    showConsole(userId) {
      el.signInView.hidden = true;
      el.consoleView.hidden = false;
      el.who.hidden = false;
      el.whoUser.textContent = userId;
      el.newNumber.value = '';
      el.body.value = '';
      nodes.clear();
      el.messages.replaceChildren();
      threadNumber = undefined;
      updateMeter();
      this.setView('list');
      el.newNumber.focus();
    },

    setConnection: renderConnection,

    setView(view) {
      el.consoleView.dataset.view = view;
    },

    get view() {
      return el.consoleView.dataset.view;
    },

    showNewNumberError(text) {
      showFieldError(el.newNumber, el.newError, text);
      if (text) {
        el.newNumber.focus();
      }
    },

    clearNewNumber() {
      el.newNumber.value = '';
      showFieldError(el.newNumber, el.newError, null);
    },

    showComposeError(text) {
      showFieldError(el.body, el.composeError, text);
    },

    showNotice(text) {
      el.notice.hidden = !text;
      el.notice.textContent = text ?? '';
    },

    focusCompose() {
      el.body.focus();
    },

    focusConversation(number) {
      el.list.querySelector(`button[data-number="${CSS.escape(number)}"]`)?.focus();
    },

    announce(text) {
      const line = doc.createElement('p');
      line.textContent = text;
      el.announcer.append(line);
      while (el.announcer.childElementCount > 5) {
        el.announcer.firstElementChild.remove();
      }
    },

    renderConversations(rows, selected) {
      const focused = doc.activeElement?.closest?.('#conversation-list button')?.dataset.number;
      el.list.replaceChildren(...rows.map((row) => conversationButton(row, selected)));
      el.listEmpty.hidden = rows.length > 0;
      if (focused) {
        this.focusConversation(focused);
      }
    },

    renderThread(number, items, { canLoadEarlier = false, loadingEarlier = false } = {}) {
      const scroll = el.scroll;
      if (number !== threadNumber) {
        threadNumber = number;
        nodes.clear();
        el.messages.replaceChildren();
        showFieldError(el.body, el.composeError, null);
      }
      el.threadTitle.textContent = number ?? 'No conversation selected';
      el.compose.hidden = !number;
      el.threadEmpty.hidden = !number || items.length > 0;
      el.loadEarlier.hidden = !number || !canLoadEarlier;
      el.loadEarlier.disabled = loadingEarlier;
      el.loadEarlier.textContent = loadingEarlier ? 'Loading…' : 'Load earlier messages';

      const nearBottom = scroll.scrollHeight - scroll.scrollTop - scroll.clientHeight < 48;
      const oldHeight = scroll.scrollHeight;
      const oldFirst = el.messages.firstElementChild;
      const wanted = new Set(items.map((i) => i.key));
      for (const [key, node] of nodes) {
        if (!wanted.has(key)) {
          node.remove();
          nodes.delete(key);
        }
      }
      let next = el.messages.firstElementChild;
      for (const item of items) {
        let node = nodes.get(item.key);
        if (!node) {
          node = messageNode(item);
          nodes.set(item.key, node);
        } else if (node.sig !== signature(item)) {
          fillMessage(node, item);
        }
        if (node === next) {
          next = next.nextElementSibling;
        } else {
          el.messages.insertBefore(node, next);
        }
      }
      if (nearBottom || !oldFirst) {
        scroll.scrollTop = scroll.scrollHeight;
      } else if (oldFirst !== el.messages.firstElementChild) {
        // Older messages went in on top: keep what the user was reading where it was.
        scroll.scrollTop += scroll.scrollHeight - oldHeight;
      }
    },
  };
}
