// How one message and one conversation row look: DOM built with createElement and textContent only, never
// HTML from data. Used by ui.js.

import { mediaNodes } from './ui-media.js';

export const STATUS = Object.freeze({
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

/** The builders of message bubbles and conversation rows for one document. */
export function createViews(doc) {
  /** An element with a class and, when given, its text (textContent: never parsed as HTML). */
  function make(tag, className, text) {
    const node = doc.createElement(tag);
    node.className = className;
    if (text !== undefined) {
      node.textContent = text;
    }
    return node;
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
    const top = make('span', 'conversation-top');
    top.append(make('span', 'number', row.number));
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
    const text = row.last ? row.last.body || (row.last.media?.length ? 'Attachment' : '') : '';
    preview.textContent = row.last ? `${row.last.kind === 'out' ? 'You: ' : ''}${text}` : 'New conversation';
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
      label += `, last message ${row.last.kind === 'out' ? 'from you' : 'from them'}: ${text}`;
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
    const bubble = make('div', 'bubble');
    bubble.append(make('p', 'body', item.body));
    bubble.append(...mediaNodes(doc, item.media));
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

  return { conversationButton, tick, signature, messageNode, fillMessage };
}
