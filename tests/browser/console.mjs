#!/usr/bin/env node
// Browser scenarios of the web console (/app/), one per run:
//   node console.mjs <scenario> --url http://127.0.0.1:PORT [--user ID] [--artifacts DIR] [--screenshot FILE]
//   node console.mjs --serve   one browser for many runs: `@@run {"id","scenario","url","user",...}` lines on
//                              stdin, each answered by `@@result {"id","ok","ms","error"}`; ends when stdin closes.
// Run by tests/MessagingServer.EndToEnd/Console/WebConsoleSpecs.cs, which owns the servers and answers
// the scenarios' requests (see lib/harness.mjs). Exit code 0 when the scenario passed.

import { mkdir } from 'node:fs/promises';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import {
  assert, assertEqual, askHost, closeHost, hostClosed, launchBrowser, onHostLine, tellHost, watchPage,
} from './lib/harness.mjs';
import { broadcastScenarios } from './scenarios/broadcasts.mjs';
import { threadScenarios } from './scenarios/threads.mjs';

const { values: options, positionals } = parseArgs({
  allowPositionals: true,
  options: {
    url: { type: 'string' },
    user: { type: 'string', default: `desk-${process.pid}` },
    token: { type: 'string', default: '' },
    artifacts: { type: 'string' },
    screenshot: { type: 'string' },
    serve: { type: 'boolean', default: false },
  },
});

const RANK = { waiting: 0, sending: 0, queued: 1, sent: 2, delivered: 3 };
// A 1x1 PNG, served for the MMS image of the inbound scenario.
const PNG = 'iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR4nGNgYPj/HwADAgH/ePvZ3QAAAABJRU5ErkJggg==';

// ---------------------------------------------------------------- helpers

async function openConsole(page, url) {
  await page.goto(`${url}/app`); // the bare path redirects to /app/
  assertEqual(new URL(page.url()).pathname, '/app/', '/app redirects to /app/');
  await page.waitForSelector('#signin-view:not([hidden])');
}

async function signIn(page, userId, token = '') {
  await page.fill('#signin-user', userId);
  await page.fill('#signin-token', token);
  await page.press('#signin-user', 'Enter');
  await page.waitForSelector('#console-view:not([hidden])');
  await waitLive(page);
}

function waitLive(page, timeout = 10_000) {
  return page.waitForSelector('#connection[data-state="live"]', { timeout });
}

async function openConversation(page, typed, number = typed) {
  await page.fill('#new-number', typed);
  await page.press('#new-number', 'Enter');
  await page.waitForFunction((n) => document.getElementById('thread-title').textContent === n, number);
  assertEqual(await page.evaluate(() => document.activeElement?.id), 'compose-body', 'opening a conversation moves the focus to the message box');
}

async function type(page, text) {
  await page.fill('#compose-body', text);
}

async function send(page, text) {
  await page.fill('#compose-body', text);
  await page.press('#compose-body', 'Enter');
}

/** The bubbles of the open thread: { kind, body, status, error }. */
function thread(page) {
  return page.$$eval('#messages li.msg', (items) => items.map((li) => ({
    kind: li.classList.contains('out') ? 'out' : 'in',
    body: li.querySelector('.body')?.textContent,
    status: li.dataset.status ?? null,
    error: li.querySelector('.msg-error')?.textContent ?? null,
  })));
}

function waitForBubble(page, { kind, body, status }, timeout = 10_000) {
  return page.waitForFunction(({ kind, body, status }) => [...document.querySelectorAll(`#messages li.msg.${kind}`)]
    .some((li) => li.querySelector('.body')?.textContent === body && (!status || li.dataset.status === status)),
  { kind, body, status }, { timeout });
}

async function countBubbles(page, body) {
  return (await thread(page)).filter((m) => m.body === body).length;
}

/** Records every data-status an outbound bubble goes through, by body. */
async function recordTicks(page) {
  await page.evaluate(() => {
    const log = (window.__ticks = {});
    const note = () => {
      for (const li of document.querySelectorAll('#messages li.msg.out')) {
        const body = li.querySelector('.body')?.textContent;
        const seen = (log[body] ??= []);
        if (li.dataset.status && seen.at(-1) !== li.dataset.status) {
          seen.push(li.dataset.status);
        }
      }
    };
    new MutationObserver(note).observe(document.getElementById('messages'), {
      subtree: true, childList: true, attributes: true, attributeFilter: ['data-status'],
    });
  });
}

function ticksOf(page, body) {
  return page.evaluate((b) => window.__ticks?.[b] ?? [], body);
}

function assertTicksMoveForward(ticks, label) {
  assert(ticks.length > 0, `${label}: no tick was ever shown`);
  assertEqual(ticks.at(-1), 'delivered', `${label}: ends delivered (saw ${ticks.join(' → ')})`);
  for (let i = 1; i < ticks.length; i++) {
    assert(RANK[ticks[i]] > RANK[ticks[i - 1]], `${label}: ticks only move forward (saw ${ticks.join(' → ')})`);
  }
}

async function conversationRow(page, number) {
  return page.$eval(`#conversation-list button[data-number="${number}"]`, (b) => ({
    preview: b.querySelector('.preview')?.textContent,
    unread: Number(b.querySelector('.unread')?.textContent ?? 0),
    current: b.getAttribute('aria-current') === 'true',
  }));
}

// ---------------------------------------------------------------- scenarios

const scenarios = {
  /** Sign in, send, watch the ticks reach delivered, the auto-reply arrive live, then reload: the history. */
  async send(page, log, opts) {
    const requests = [];
    const sockets = [];
    page.on('request', (r) => requests.push({ url: r.url(), authorization: r.headers().authorization ?? null }));
    page.on('websocket', (ws) => sockets.push(ws.url()));

    await openConsole(page, opts.url);
    assert(await page.isHidden('#dev-token'), 'the dev token button is hidden while /dev/token answers 404');
    await signIn(page, opts.user, opts.token ?? '');

    // Another client wrote first: an unread conversation in the list.
    await askHost('inbound', { from: '+15550002222', body: 'Can I move my appointment to Friday?' });
    await page.waitForSelector('#conversation-list button[data-number="+15550002222"] .unread');

    await openConversation(page, '+1 (555) 000-1111', '+15550001111');
    await recordTicks(page);
    const first = 'Hello from the console! Your order #1042 ships today.';
    await send(page, first);
    await waitForBubble(page, { kind: 'out', body: first, status: 'delivered' });
    assertTicksMoveForward(await ticksOf(page, first), 'first message');
    await waitForBubble(page, { kind: 'in', body: `Auto-reply: ${first}` });
    assertEqual(await page.inputValue('#compose-body'), '', 'the box is cleared after sending');

    // Shift+Enter is a new line, Enter sends.
    await page.focus('#compose-body');
    await page.keyboard.type('Two lines:');
    await page.keyboard.press('Shift+Enter');
    await page.keyboard.type('tracking at the desk.');
    await page.keyboard.press('Enter');
    const second = 'Two lines:\ntracking at the desk.';
    await waitForBubble(page, { kind: 'out', body: second, status: 'delivered' });
    await waitForBubble(page, { kind: 'in', body: `Auto-reply: ${second}` });
    assertTicksMoveForward(await ticksOf(page, second), 'second message');

    const row = await conversationRow(page, '+15550001111');
    assertEqual(row.preview, `Auto-reply: ${second}`, 'the list shows the last message');
    assertEqual(row.unread, 0, 'the open conversation has nothing unread');
    assert(row.current, 'the open conversation is marked current');
    assertEqual((await conversationRow(page, '+15550002222')).unread, 1, 'the other conversation has one unread');
    const announced = await page.textContent('#announcer');
    assert(announced.includes('New message from +15550001111'), `new messages are announced (aria-live): ${announced}`);

    // The token goes as Bearer on REST calls and as access_token on the socket, which resumes with since=.
    assert(requests.filter((r) => r.url.includes('/api/')).every((r) => r.authorization === `Bearer ${opts.token}`), 'REST calls carry the token');
    assert(sockets.length > 0 && sockets.every((u) => new URL(u).searchParams.get('access_token') === opts.token && /[?&]since=\d+/.test(u)), `socket URL: ${sockets}`);

    // Reload: still signed in (this tab), the same conversation open, the history loaded once.
    const before = await thread(page);
    await page.reload();
    await waitLive(page);
    await waitForBubble(page, { kind: 'in', body: `Auto-reply: ${second}` });
    await page.waitForTimeout(300); // let a replay, if any, arrive: it must not duplicate anything
    const after = await thread(page);
    assertEqual(after.map((m) => [m.kind, m.body, m.status]), before.map((m) => [m.kind, m.body, m.status]), 'the history after a reload is the thread before it');
    assertEqual(after.length, 4, 'two sends and two replies, each once');
    const resumed = sockets.at(-1);
    assert(/[?&]since=[1-9]\d*/.test(resumed), `after the history load the socket resumes from its highest seq: ${resumed}`);

    assertEqual((await conversationRow(page, '+15550002222')).unread, 1, 'the unread conversation is still unread after the reload');

    if (opts.screenshot) {
      await page.evaluate(() => document.activeElement?.blur());
      await page.screenshot({ path: opts.screenshot });
      log(`screenshot: ${opts.screenshot}`);
    }
  },

  /** An inbound SMS appears live, on a phone-sized screen: list and thread stack. */
  async inbound(page, log, opts) {
    await page.setViewportSize({ width: 390, height: 780 });
    await openConsole(page, opts.url);
    await signIn(page, opts.user, opts.token ?? '');
    assert(await page.isVisible('#conversations-empty'), 'a new user has no conversations');
    assert(await page.isHidden('.thread'), 'on a phone the thread is hidden until a conversation is chosen');

    await askHost('inbound', { from: '+15550004444', body: 'Is my order ready?' });
    await page.waitForSelector('#conversation-list button[data-number="+15550004444"]');
    const row = await conversationRow(page, '+15550004444');
    assertEqual([row.preview, row.unread], ['Is my order ready?', 1], 'the new conversation shows the message, unread');
    await page.waitForFunction(() => document.getElementById('announcer').textContent.includes('New message from +15550004444'));
    assert((await page.title()).startsWith('(1)'), 'the title counts unread messages');

    await page.click('#conversation-list button[data-number="+15550004444"]');
    await waitForBubble(page, { kind: 'in', body: 'Is my order ready?' });
    assert(await page.isHidden('.conversations'), 'on a phone the list hides while a thread is open');
    assert(await page.isVisible('#back'), 'a back button returns to the list');

    await askHost('inbound', { from: '+15550004444', body: 'Hello?' });
    await waitForBubble(page, { kind: 'in', body: 'Hello?' });
    assertEqual(await countBubbles(page, 'Hello?'), 1, 'a live message shows once');
    const overflow = await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
    assert(overflow <= 0, `nothing overflows a phone-sized screen sideways (${overflow}px)`);

    // MMS: an https image inline, an https non-image as a link, nothing loaded or linked from other schemes,
    // and a body that looks like HTML stays text.
    await page.route('https://media.test/**', (r) => (r.request().url().endsWith('.png')
      ? r.fulfill({ status: 200, contentType: 'image/png', body: Buffer.from(PNG, 'base64') })
      : r.fulfill({ status: 200, contentType: 'application/pdf', body: '%PDF-1.4' })));
    await askHost('inbound', {
      from: '+15550004444', body: '<img src=x onerror="window.pwned=1">photo',
      media: ['https://media.test/cat.png', 'https://media.test/menu.pdf', 'http://media.test/plain.png', 'javascript:window.pwned=2'],
    });
    await waitForBubble(page, { kind: 'in', body: '<img src=x onerror="window.pwned=1">photo' });
    await page.waitForFunction(() => document.querySelector('#messages li.msg:last-child img.media-image')?.naturalWidth > 0);
    await page.waitForFunction(() => [...document.querySelectorAll('#messages li.msg:last-child a.media')].some((a) => a.href === 'https://media.test/menu.pdf' && !a.querySelector('img')));
    const media = await page.$eval('#messages li.msg:last-child', (li) => ({
      images: [...li.querySelectorAll('img')].map((i) => i.src),
      links: [...li.querySelectorAll('a')].map((a) => a.href),
      unsafe: li.querySelectorAll('.media-unsafe').length,
      pwned: window.pwned ?? null,
    }));
    assertEqual(media, { images: ['https://media.test/cat.png'], links: ['https://media.test/cat.png', 'https://media.test/menu.pdf'], unsafe: 2, pwned: null },
      'only https media is shown: the image inline, the PDF as a link, the others named but neither loaded nor linked');

    await page.click('#back');
    await page.waitForSelector('.conversations', { state: 'visible' });
    assertEqual((await conversationRow(page, '+15550004444')).unread, 0, 'read once seen');
    assertEqual(await page.evaluate(() => document.activeElement?.dataset.number), '+15550004444', 'back puts the focus on the conversation');
  },

  /** Bad numbers and bodies are refused with a clear message and nothing is sent; server refusals show too. */
  async 'bad-input'(page, log, opts) {
    // The server's refusals (here a simulated opted_out) come back as error frames with the clientRef.
    await page.routeWebSocket(/\/message\//, (ws) => {
      const server = ws.connectToServer();
      ws.onMessage((message) => {
        const frame = JSON.parse(message);
        if (frame.type === 'send' && frame.body.includes('STOPPED')) {
          ws.send(JSON.stringify({ type: 'error', code: 'opted_out', message: 'the recipient texted STOP to this sender; nothing was sent', clientRef: frame.clientRef }));
        } else {
          server.send(message);
        }
      });
    });
    await openConsole(page, opts.url);
    await signIn(page, opts.user, opts.token ?? '');

    for (const bad of ['12345', '+12', '+1234567890123456', '15550001111', '+1555abc0000']) {
      await page.fill('#new-number', bad);
      await page.press('#new-number', 'Enter');
      const error = await page.waitForSelector('#new-number-error:not([hidden])');
      assert((await error.textContent()).includes('E.164'), `'${bad}' is refused with an E.164 explanation`);
      assertEqual(await page.getAttribute('#new-number', 'aria-invalid'), 'true', `'${bad}' marks the field invalid`);
      assert(await page.isVisible('#conversations-empty'), `'${bad}' opens no conversation`);
    }
    await page.fill('#new-number', '+44 20 7946 0958');
    assert(await page.isHidden('#new-number-error'), 'typing clears the error');
    await page.press('#new-number', 'Enter');
    await page.waitForFunction(() => document.getElementById('thread-title').textContent === '+442079460958');

    // An empty body is refused before sending.
    await page.press('#compose-body', 'Enter');
    assert((await page.textContent('#compose-error')).includes('Type a message'), 'an empty message is refused');

    // The meter follows the same rules as the server (SmsSegments): GSM-7, extension characters, UCS-2.
    const meter = async (text) => {
      await type(page, text);
      return page.$eval('#compose-meter', (m) => [m.dataset.encoding, Number(m.dataset.segments), m.textContent]);
    };
    assertEqual((await meter('a'.repeat(160))).slice(0, 2), ['GSM-7', 1], '160 GSM characters are one SMS');
    assertEqual((await meter('a'.repeat(161))).slice(0, 2), ['GSM-7', 2], '161 GSM characters are two');
    assertEqual((await meter(`${'a'.repeat(159)}€`)).slice(0, 2), ['GSM-7', 2], 'an extension character counts two');
    assertEqual((await meter('Thanks 🙂')).slice(0, 2), ['UCS-2', 1], 'an emoji makes it UCS-2');
    assertEqual((await meter('🙂'.repeat(36))).slice(0, 2), ['UCS-2', 2], '72 UTF-16 units are two UCS-2 SMS');
    assertEqual(await page.getAttribute('#compose-body', 'maxlength'), '1600', 'the box stops at 1600 characters');
    await type(page, '');

    // A send the server refuses: the error next to the box, the bubble marked, nothing stored.
    await send(page, 'You were STOPPED');
    const error = await page.waitForSelector('#compose-error:not([hidden])');
    assert((await error.textContent()).includes('opted_out'), 'the refusal shows its code next to the message box');
    await page.waitForSelector('#messages li.msg.pending[data-status="failed"] button[data-action="retry"]');
    const [bubble] = await thread(page);
    assert(bubble.error.startsWith('Not sent'), `the bubble says it was not sent: ${bubble.error}`);
    await page.click('#messages button[data-action="discard"]');
    await page.waitForSelector('#messages li.msg', { state: 'detached' });
  },

  /** The token goes as Bearer and access_token; a 401 and a 1008 bring the user back to sign-in. */
  async auth(page, log, opts) {
    const requests = [];
    const sockets = [];
    page.on('request', (r) => {
      if (r.url().includes('/api/')) {
        requests.push(r.headers().authorization ?? null);
      }
    });
    let route = null;
    await page.routeWebSocket(/\/message\//, (ws) => {
      route = ws;
      sockets.push(ws.url());
      ws.connectToServer();
    });
    // The security feature's endpoints, simulated: a dev token, and a first sign-in refused.
    await page.route('**/dev/token?*', (r) => r.fulfill({ status: 200, contentType: 'application/json', body: JSON.stringify({ token: opts.token }) }));
    await page.route('**/api/users/*/conversations', (r) => r.fulfill({
      status: 401, contentType: 'application/problem+json', body: JSON.stringify({ title: 'A token is required', status: 401, code: 'unauthorized' }),
    }), { times: 1 });

    await openConsole(page, opts.url);
    await page.waitForSelector('#dev-token:not([hidden])');
    await page.fill('#signin-user', opts.user);
    await page.click('#dev-token');
    await page.waitForFunction((token) => document.getElementById('signin-token').value === token, opts.token);
    await page.click('#signin-submit');
    // The dev-token button already showed an info line in the same place: wait for the refusal's own (error) line.
    const refused = await page.waitForSelector('#signin-message[data-kind="error"]:not([hidden])');
    assert((await refused.textContent()).includes('401'), 'a refused token is explained on the sign-in form');

    await page.click('#signin-submit');
    await page.waitForSelector('#console-view:not([hidden])');
    await waitLive(page);
    assert(requests.length >= 2 && requests.every((h) => h === `Bearer ${opts.token}`), `REST calls carry the token as Bearer: ${requests}`);
    assert(sockets.every((u) => new URL(u).searchParams.get('access_token') === opts.token), `the socket carries access_token: ${sockets}`);

    await route.close({ code: 1008, reason: 'token expired' });
    await page.waitForSelector('#signin-view:not([hidden])');
    assert((await page.textContent('#signin-message')).includes('expired'), 'a 1008 close says the session expired');
    assertEqual(await page.inputValue('#signin-user'), opts.user, 'the user id stays filled in');
    assertEqual(await page.inputValue('#signin-token'), '', 'the expired token is cleared');
    await page.waitForTimeout(1000);
    assertEqual(sockets.length, 1, 'no reconnect after 1008');
  },

  /** The server restarts: the console reconnects by itself, sends what waited, and shows each message once. */
  async restart(page, log, opts) {
    await openConsole(page, opts.url);
    await signIn(page, opts.user, opts.token ?? '');
    await openConversation(page, '+15550003333');
    await send(page, 'before the restart');
    await waitForBubble(page, { kind: 'in', body: 'Auto-reply: before the restart' });

    await askHost('stop');
    await page.waitForSelector('#connection[data-state="reconnecting"]');
    assert(/Reconnecting in \d+ s/.test(await page.textContent('#connection')), 'the countdown to the next attempt shows');
    await send(page, 'sent while offline');
    await waitForBubble(page, { kind: 'out', body: 'sent while offline', status: 'waiting' });

    await askHost('start');
    await waitLive(page, 20_000);
    await waitForBubble(page, { kind: 'out', body: 'sent while offline', status: 'delivered' }, 15_000);
    await send(page, 'after the restart');
    await waitForBubble(page, { kind: 'out', body: 'after the restart', status: 'delivered' });
    await waitForBubble(page, { kind: 'in', body: 'Auto-reply: after the restart' });
    await page.waitForTimeout(500); // a duplicate would arrive now
    for (const body of ['sent while offline', 'Auto-reply: sent while offline', 'after the restart', 'Auto-reply: after the restart']) {
      assertEqual(await countBubbles(page, body), 1, `'${body}' shows exactly once`);
    }
    // Without a persistent journal the server forgot the first message; with one it shows once.
    const before = await countBubbles(page, 'before the restart');
    assert(before <= 1, 'the message from before the restart never shows twice');
    if (before === 0) {
      assert((await page.textContent('#notice')).includes('reset'), 'a console that drops the old history says why');
    }
  },

  ...broadcastScenarios,
  ...threadScenarios,
};

// ---------------------------------------------------------------- main

/** One scenario in a fresh page (its own sessionStorage; each server's port is its own origin). */
async function runScenario(context, opts, log) {
  const started = Date.now();
  const page = await context.newPage();
  page.setDefaultTimeout(15_000);
  const watch = watchPage(page, log);
  try {
    await scenarios[opts.scenario](page, log, opts);
    watch.assertNoErrors();
    log(`PASS ${opts.scenario} (${Date.now() - started} ms)`);
    return { ok: true, ms: Date.now() - started };
  } catch (error) {
    log(`FAIL ${opts.scenario} (${Date.now() - started} ms): ${error.stack ?? error}`);
    if (opts.artifacts) {
      await mkdir(opts.artifacts, { recursive: true });
      const shot = join(opts.artifacts, `${opts.scenario}-failure.png`);
      await page.screenshot({ path: shot, fullPage: true }).catch(() => {});
      log(`failure screenshot: ${shot}`);
    }
    return { ok: false, ms: Date.now() - started, error: String(error.message ?? error) };
  } finally {
    await page.close().catch(() => {});
  }
}

async function serve(log) {
  const browser = await launchBrowser();
  log(`browser ready after ${Math.round(process.uptime() * 1000)} ms`);
  let queue = Promise.resolve();
  onHostLine('@@run', (run) => {
    queue = queue.then(async () => {
      const result = scenarios[run.scenario]
        ? await runScenario(browser.context, run, log)
        : { ok: false, error: `no scenario '${run.scenario}'` };
      tellHost('@@result', { id: run.id, ...result });
    });
  });
  tellHost('@@ready', {});
  await hostClosed();
  await queue;
  await browser.close();
  return 0;
}

async function once(log) {
  const scenario = positionals[0];
  if (!scenarios[scenario] || !options.url) {
    console.error(`usage: node console.mjs <${Object.keys(scenarios).join('|')}> --url http://127.0.0.1:PORT\n       node console.mjs --serve`);
    return 2;
  }
  const browser = await launchBrowser();
  try {
    const result = await runScenario(browser.context, { ...options, scenario }, log);
    return result.ok ? 0 : 1;
  } finally {
    await browser.close();
    closeHost();
  }
}

const log = (line) => console.log(line);
const code = await (options.serve ? serve(log) : once(log));
// stdin (the host's replies) would keep Node alive: leave now that everything is printed.
process.exit(code);
