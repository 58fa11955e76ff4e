// The page: reads the static markup of index.html, renders the state it is given and reports what
// the user does. All user content goes in through textContent, never as HTML.

import { createConnectionView } from './ui-connection.js';
import { createViews } from './ui-messages.js';
import { createMeter } from './ui-meter.js';
import { createThreadView } from './ui-thread.js';

export { meterText } from './ui-meter.js';

/**
 * @param {Document} doc
 * @param {{
 *   signIn: (userId: string, token: string) => void,
 *   devToken: (userId: string) => Promise<string>,
 *   signOut: () => void,
 *   openNumber: (text: string) => void,
 *   select: (number: string) => void,
 *   back: () => void,
 *   send: (body: string, mediaText: string) => boolean,
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
    compose: $('compose'), body: $('compose-body'), media: $('compose-media'), send: $('send'), meter: $('compose-meter'), composeError: $('compose-error'),
    announcer: $('announcer'),
  };

  const views = createViews(doc);
  const { conversationButton } = views;
  const thread = createThreadView(el, views);
  const renderConnection = createConnectionView(el);
  const updateMeter = createMeter(el);

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
  el.scroll.addEventListener('scroll', () => {
    if (el.scroll.scrollTop < 4 && !el.loadEarlier.hidden && !el.loadEarlier.disabled) {
      actions.loadEarlier(); // scrolling to the top pages back too
    }
  }, { passive: true });
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
  el.media.addEventListener('input', () => showFieldError(el.body, el.composeError, null));
  el.body.addEventListener('input', () => {
    updateMeter();
    showFieldError(el.body, el.composeError, null);
  });

  function submitCompose() {
    if (actions.send(el.body.value, el.media.value)) {
      el.body.value = '';
      el.media.value = '';
      updateMeter();
    }
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
      el.media.value = '';
      thread.clear();
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

    renderThread(number, items, options) {
      if (thread.render(number, items, options)) {
        showFieldError(el.body, el.composeError, null);
      }
    },
  };
}
