// Browser scenarios of the console's threads (issue 16): a media URL sent from the composer, and the
// scroll-back of a long thread. Run by tests/MessagingServer.EndToEnd/Console/WebConsoleBroadcastSpecs.cs.

import { assert, assertEqual } from '../lib/harness.mjs';
import { bubbles, start } from './page.mjs';

// A 1x1 PNG, served for the media URL the console attaches.
const PNG = 'iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR4nGNgYPj/HwADAgH/ePvZ3QAAAABJRU5ErkJggg==';

export const threadScenarios = {
  /** A media URL attached in the console: the outbound shows the image, and so does the loopback's echo. */
  async 'media-send'(page, log, opts) {
    await page.route('https://media.test/**', (r) => r.fulfill({ status: 200, contentType: 'image/png', body: Buffer.from(PNG, 'base64') }));
    await start(page, opts);
    await page.fill('#new-number', '+15557200001');
    await page.press('#new-number', 'Enter');
    await page.waitForFunction(() => document.getElementById('thread-title').textContent === '+15557200001');
    await page.fill('#compose-media', 'https://media.test/flyer.png');
    await page.fill('#compose-body', 'Our flyer');
    await page.press('#compose-body', 'Enter');
    const shows = (kind, body) => page.waitForFunction(({ kind, body }) => [...document.querySelectorAll(`#messages li.msg.${kind}`)]
      .some((li) => li.querySelector('.body')?.textContent === body && (kind === 'in' || li.dataset.status === 'delivered')
        && li.querySelector('img.media-image')?.src === 'https://media.test/flyer.png' && li.querySelector('img.media-image').naturalWidth > 0),
    { kind, body }, { timeout: 15_000 });
    await shows('out', 'Our flyer');
    await shows('in', 'Auto-reply: Our flyer');
    assertEqual(await page.inputValue('#compose-media'), '', 'the media field is cleared after sending');
    assertEqual(await bubbles(page), ['Our flyer', 'Auto-reply: Our flyer'], 'each once');
  },

  /** A thread longer than the first window: scrolling to the top and "Load earlier" page back to its start. */
  async 'scroll-back'(page, log, opts) {
    const expected = Array.from({ length: opts.count }, (_, i) => `${opts.prefix} ${String(i + 1).padStart(3, '0')}`);
    await start(page, opts);
    await page.click(`#conversation-list button[data-number="${opts.number}"]`);
    await page.waitForFunction((last) => document.querySelector('#messages li.msg:last-child .body')?.textContent === last, expected.at(-1));
    const initial = await bubbles(page);
    assert(initial.length > 0 && initial.length < expected.length, `the first window holds part of the thread (${initial.length} of ${expected.length})`);
    assertEqual(initial, expected.slice(-initial.length), 'the newest messages, in order');
    await page.waitForSelector('#load-earlier:not([hidden])');

    // Scrolling to the top loads the page before; what the reader saw stays where it was.
    const anchor = await page.evaluate(() => {
      const scroll = document.getElementById('thread-scroll');
      scroll.scrollTop = 0;
      const first = document.querySelector('#messages li.msg');
      return { key: first.dataset.key, top: first.getBoundingClientRect().top - scroll.getBoundingClientRect().top };
    });
    await page.waitForFunction((n) => document.querySelectorAll('#messages li.msg').length > n
      && document.getElementById('load-earlier').textContent !== 'Loading…', initial.length);
    const moved = await page.evaluate((key) => {
      const scroll = document.getElementById('thread-scroll');
      return document.querySelector(`#messages li[data-key="${key}"]`).getBoundingClientRect().top - scroll.getBoundingClientRect().top;
    }, anchor.key);
    assert(Math.abs(moved - anchor.top) <= 2, `the scroll position stays (the first message was at ${anchor.top}px, now ${moved}px)`);

    for (let i = 0; i < 10 && await page.isVisible('#load-earlier'); i++) {
      const count = (await bubbles(page)).length;
      await page.click('#load-earlier');
      await page.waitForFunction((n) => document.getElementById('load-earlier').hidden
        || (document.querySelectorAll('#messages li.msg').length > n && document.getElementById('load-earlier').textContent !== 'Loading…'), count);
    }
    await page.waitForSelector('#load-earlier', { state: 'hidden' });
    assertEqual(await bubbles(page), expected, 'every message of the thread once, in order, and none of another');
    log(`scroll-back: ${initial.length} first, ${expected.length} in all`);
  },
};
