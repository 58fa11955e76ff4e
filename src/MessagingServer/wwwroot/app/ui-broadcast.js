// The broadcast form: numbers pasted or read from a CSV file (csv.js says what was read and which lines were
// rejected), a body and optional media URLs. A list with any rejected line is never sent. One clientRef per
// submission: kept while the same list, body and media are tried again (a double click, a retry after the
// network failed), so the server starts one broadcast only. Built with DOM APIs, user content as text.

import { newClientRef } from './client/index.js';
import { MAX_TEXT_LENGTH, parseCsv, parsePasted, recipientsSummary } from './csv.js';
import { bodyProblem, mediaProblem, parseMedia } from './protocol.js';

const SHOWN_REJECTED = 10;
const IDLE_SUMMARY = 'Up to 10,000 numbers in E.164 form; duplicates are texted once.';

/**
 * @param {Document} doc
 * @param {{ submit: (request: { to: string[], body: string, media: string[], clientRef: string }) => Promise<string> }} actions
 */
export function createBroadcastForm(doc, actions) {
  const $ = (id) => doc.getElementById(id);
  const el = {
    form: $('broadcast-form'), numbers: $('broadcast-numbers'), file: $('broadcast-file'), summary: $('broadcast-summary'),
    rejected: $('broadcast-rejected'), body: $('broadcast-body'), media: $('broadcast-media'), error: $('broadcast-error'),
    send: $('broadcast-send'),
  };
  let fromFile = null; // { name, recipients } while a file's list is the one to send
  let draft = null; // { key, clientRef } of the submission being tried
  let busy = false;
  let reading = 0;

  el.numbers.addEventListener('input', () => {
    fromFile = null;
    el.file.value = '';
    showError(null);
    showRecipients(el.numbers.value.trim() === '' ? null : parsePasted(el.numbers.value));
  });
  el.file.addEventListener('change', () => readFile(el.file.files?.[0] ?? null));
  for (const input of [el.body, el.media]) {
    input.addEventListener('input', () => showError(null));
  }
  el.form.addEventListener('submit', (e) => {
    e.preventDefault();
    submit();
  });

  async function readFile(file) {
    const attempt = ++reading;
    showError(null);
    el.send.disabled = busy || Boolean(file); // the list being read is the one to send: wait for it
    if (!file) {
      fromFile = null;
      showRecipients(el.numbers.value.trim() === '' ? null : parsePasted(el.numbers.value));
      return;
    }
    let recipients;
    if (file.size > MAX_TEXT_LENGTH) {
      recipients = {
        numbers: [], duplicates: 0, rejected: [], header: false,
        problem: `The file is ${(file.size / 1024 / 1024).toFixed(1)} MB; the console reads at most ${MAX_TEXT_LENGTH / 1024 / 1024} MB. Nothing was sent.`,
      };
    } else {
      try {
        recipients = parseCsv(await file.text());
      } catch (error) {
        recipients = { numbers: [], duplicates: 0, rejected: [], header: false, problem: `The file could not be read: ${error.message}` };
      }
    }
    if (attempt === reading) {
      fromFile = { name: file.name, recipients };
      showRecipients(recipients, file.name);
      el.send.disabled = busy;
    }
  }

  /** The list to send: the file's when one was loaded, else what was pasted. */
  function recipients() {
    return fromFile?.recipients ?? parsePasted(el.numbers.value);
  }

  function showRecipients(r, fileName = null) {
    if (!r) {
      el.summary.textContent = IDLE_SUMMARY;
      el.rejected.hidden = true;
      el.rejected.replaceChildren();
      el.numbers.removeAttribute('aria-invalid');
      return;
    }
    const from = fileName ? `${fileName}: ` : '';
    el.summary.textContent = `${from}${recipientsSummary(r)}.${r.problem ? ` ${r.problem}` : ''}`;
    el.summary.dataset.count = String(r.numbers.length);
    el.summary.dataset.rejected = String(r.rejected.length);
    const items = r.rejected.slice(0, SHOWN_REJECTED).map(({ line, text }) => {
      const li = doc.createElement('li');
      li.textContent = `Line ${line}: ${text === '' ? '(empty)' : `"${text}"`}`;
      return li;
    });
    if (r.rejected.length > SHOWN_REJECTED) {
      const more = doc.createElement('li');
      more.textContent = `… and ${r.rejected.length - SHOWN_REJECTED} more`;
      items.push(more);
    }
    el.rejected.replaceChildren(...items);
    el.rejected.hidden = items.length === 0;
    (fileName ? el.file : el.numbers).setAttribute('aria-invalid', String(Boolean(r.problem)));
  }

  function showError(text) {
    el.error.hidden = !text;
    el.error.textContent = text ?? '';
  }

  async function submit() {
    if (busy) {
      return; // the first click's request is on its way
    }
    const r = recipients();
    const media = parseMedia(el.media.value);
    const body = el.body.value;
    const problem = r.problem ?? mediaProblem(media) ?? bodyProblem(body, { hasMedia: media.length > 0 });
    if (problem) {
      showRecipients(el.numbers.value.trim() === '' && !fromFile ? null : r, fromFile?.name);
      showError(problem);
      return;
    }
    const key = JSON.stringify([r.numbers, body, media]);
    if (draft?.key !== key) {
      draft = { key, clientRef: newClientRef('web-bc') };
    }
    busy = true;
    el.send.disabled = true;
    el.send.textContent = 'Sending…';
    showError(null);
    try {
      await actions.submit({ to: r.numbers, body, media, clientRef: draft.clientRef });
      draft = null;
      reset();
      el.summary.textContent = `Broadcast started to ${r.numbers.length.toLocaleString('en-US')} number${r.numbers.length === 1 ? '' : 's'}.`;
    } catch (error) {
      showError(`Not sent: ${error.message}${error.code ? ` (${error.code})` : ''}`);
    } finally {
      busy = false;
      el.send.disabled = false;
      el.send.textContent = 'Send broadcast';
    }
  }

  /** An empty form (after a broadcast started, or for a new user). */
  function reset() {
    fromFile = null;
    draft = null;
    reading++;
    el.send.disabled = busy;
    el.numbers.value = '';
    el.file.value = '';
    el.body.value = '';
    el.media.value = '';
    showRecipients(null);
    showError(null);
  }

  return { reset };
}
