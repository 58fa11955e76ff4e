// Browser scenarios of the console's broadcasts (issue 16): pasted and CSV lists, refusals, the recent list,
// a cancel. Run by tests/MessagingServer.EndToEnd/Console/WebConsoleBroadcast*Specs.cs through console.mjs.

import { assert, assertEqual } from '../lib/harness.mjs';
import { start, waitLive } from './page.mjs';

/** Every `POST .../broadcasts` body the page sends. */
function broadcastPosts(page) {
  const posts = [];
  page.on('request', (r) => {
    if (r.method() === 'POST' && new URL(r.url()).pathname.endsWith('/broadcasts')) {
      posts.push(JSON.parse(r.postData() ?? 'null'));
    }
  });
  return posts;
}

async function openForm(page) {
  if (!(await page.$eval('#broadcast-panel', (d) => d.open))) {
    await page.click('#broadcast-panel summary');
  }
}

const summary = async (page) => (await page.textContent('#broadcast-summary')).trim();

async function refusal(page, expected, label) {
  const text = await (await page.waitForSelector('#broadcast-error:not([hidden])')).textContent();
  assert(text.includes(expected), `${label}: the form says "${expected}" (it says "${text}")`);
}

function recent(page) {
  return page.$$eval('#broadcast-list li', (items) => items.map((li) => ({
    id: li.dataset.broadcastId,
    state: li.dataset.state,
    percent: Number(li.dataset.percent),
    body: li.querySelector('.broadcast-body')?.textContent,
    counts: li.querySelector('.broadcast-counts')?.textContent,
    cancel: li.querySelector('button[data-action="cancel"]') !== null,
  })));
}

const waitFinished = (page, id, state = 'done') =>
  page.waitForSelector(`#broadcast-list li[data-broadcast-id="${id}"][data-state="${state}"][data-percent="100"]`, { timeout: 20_000 });

/** The id of the newest broadcast in the list once it shows `body`. */
async function newest(page, body) {
  await page.waitForFunction((b) => document.querySelector('#broadcast-list li .broadcast-body')?.textContent === b, body);
  return page.$eval('#broadcast-list li', (li) => li.dataset.broadcastId);
}

const csv = (name, text) => ({ name, mimeType: 'text/csv', buffer: Buffer.from(text, 'utf8') });

export const broadcastScenarios = {
  /** Pasted numbers (a network failure, then a double click: one broadcast), a server refusal, a CSV file; the list after a reload. */
  async broadcast(page, log, opts) {
    const posts = broadcastPosts(page);
    await start(page, opts);
    assert(await page.isHidden('#broadcasts'), 'no recent broadcasts for a new user');
    await page.evaluate(() => { // the live region keeps 5 lines: record them all
      window.__announced = [];
      new MutationObserver((changes) => changes.forEach((c) => c.addedNodes.forEach((n) => window.__announced.push(n.textContent))))
        .observe(document.getElementById('announcer'), { childList: true });
    });
    await openForm(page);

    await page.fill('#broadcast-numbers', '+1 555 700 0001\n+15557000002, +15557000003;+15557000001');
    assertEqual(await summary(page), '3 numbers read, 1 duplicate dropped.', 'the form says what it read');
    await page.fill('#broadcast-body', 'Polls are open until 8 pm.');
    // The network fails once: the same submission tried again keeps its clientRef; a double click sends it once.
    await page.route('**/api/users/*/broadcasts', (r) => r.abort('connectionrefused'), { times: 1 });
    await page.click('#broadcast-send');
    await refusal(page, '(unreachable)', 'a network failure');
    await page.dblclick('#broadcast-send');
    const first = await newest(page, 'Polls are open until 8 pm.');
    await waitFinished(page, first);
    assertEqual(posts.length, 2, 'a double click starts one broadcast');
    assertEqual(posts[1].clientRef, posts[0].clientRef, 'a retry of the same submission keeps its clientRef');
    posts.shift();
    assertEqual(posts[0].to, ['+15557000001', '+15557000002', '+15557000003'], 'the distinct numbers, in order');
    assert(/^web-bc-[0-9a-f]{32}$/.test(posts[0].clientRef), `a clientRef per submission: ${posts[0].clientRef}`);
    const [done] = await recent(page);
    assert(done.counts.startsWith('3 of 3 (100%) · sent 3'), `the counts: ${done.counts}`);
    assert(!done.cancel, 'a finished broadcast has no Cancel');
    await page.waitForFunction(() => window.__announced.some((t) => t === 'Broadcast finished: 3 of 3 sent'));
    assertEqual(await page.inputValue('#broadcast-numbers'), '', 'the form is emptied once the broadcast started');
    // Each recipient's SMS is an ordinary outbound: its conversation is in the list.
    await page.waitForSelector('#conversation-list button[data-number="+15557000003"]');

    // The server refuses a body with a control character: its code shows, nothing is listed.
    await page.fill('#broadcast-numbers', '+15557000009');
    await page.fill('#broadcast-body', 'bad \u0001 body');
    await page.click('#broadcast-send');
    await refusal(page, '(invalid_field)', 'a server refusal');
    assertEqual((await recent(page)).length, 1, 'a refused broadcast is not listed');

    // A CSV file replaces the pasted list: the first E.164 cell per row, the header skipped.
    await page.setInputFiles('#broadcast-file', csv('voters.csv', 'name,phone,ward\n"Doe, Jane",+15557000011,3\nSam,+1 (555) 700-0012,4\n'));
    await page.waitForFunction(() => document.getElementById('broadcast-summary').textContent.startsWith('voters.csv:'));
    assertEqual(await summary(page), 'voters.csv: 2 numbers read, header row skipped.', 'the file summary');
    assert(await page.isHidden('#broadcast-error'), 'a new list clears the refusal');
    await page.fill('#broadcast-body', 'Reminder: bring an ID.');
    await page.click('#broadcast-send');
    const second = await newest(page, 'Reminder: bring an ID.');
    await waitFinished(page, second);
    assertEqual(posts.at(-1).to, ['+15557000011', '+15557000012'], 'the file\'s numbers were sent');
    assert(posts.at(-1).clientRef !== posts[0].clientRef, 'another submission, another clientRef');

    const before = await recent(page);
    assertEqual(before.map((b) => [b.body, b.state, b.percent]), [['Reminder: bring an ID.', 'done', 100], ['Polls are open until 8 pm.', 'done', 100]], 'newest first');
    await page.reload();
    await waitLive(page);
    await page.waitForSelector('#broadcasts:not([hidden])');
    assertEqual(await recent(page), before, 'the recent broadcasts are kept across a reload');
  },

  /** Bad numbers, a bad CSV, an empty file, more than 10,000 rows, no body, bad media: clear messages, no request. */
  async 'broadcast-bad-lists'(page, log, opts) {
    const posts = broadcastPosts(page);
    await start(page, opts);
    await openForm(page);
    await page.fill('#broadcast-body', 'Hello');

    await page.click('#broadcast-send');
    await refusal(page, 'Paste at least one number.', 'an empty list');

    await page.fill('#broadcast-numbers', '+15557100001\n12345\nnot a number, +15557100002\n<img src=x onerror="window.pwned=1">');
    assertEqual(await page.$$eval('#broadcast-rejected li', (l) => l.map((x) => x.textContent)),
      ['Line 2: "12345"', 'Line 3: "not a number"', 'Line 4: "<img src=x onerror="window.pwned=1">"'], 'each rejected line is named, as text');
    assert((await summary(page)).startsWith('2 numbers read, 3 lines rejected.'), `the summary: ${await summary(page)}`);
    await page.click('#broadcast-send');
    await refusal(page, 'not an E.164 number', 'bad pasted numbers');

    await page.setInputFiles('#broadcast-file', csv('bad.csv', 'phone\n+15557100003\nAlice,555-1234\n'));
    await page.waitForFunction(() => document.getElementById('broadcast-summary').textContent.startsWith('bad.csv:'));
    assert((await summary(page)).startsWith('bad.csv: 1 number read, header row skipped, 1 line rejected.'), `the summary: ${await summary(page)}`);
    assertEqual(await page.$$eval('#broadcast-rejected li', (l) => l.map((x) => x.textContent)), ['Line 3: "Alice,555-1234"'], 'the bad row');
    await page.click('#broadcast-send');
    await refusal(page, 'not an E.164 number', 'a CSV with a bad row');

    await page.setInputFiles('#broadcast-file', csv('empty.csv', ''));
    await page.waitForFunction(() => document.getElementById('broadcast-summary').textContent.startsWith('empty.csv:'));
    await page.click('#broadcast-send');
    await refusal(page, 'The file has no numbers.', 'an empty file');

    const rows = Array.from({ length: 10_001 }, (_, i) => `+1555${String(i).padStart(7, '0')}`).join('\n');
    await page.setInputFiles('#broadcast-file', csv('huge.csv', rows));
    await page.waitForFunction(() => document.getElementById('broadcast-summary').textContent.startsWith('huge.csv:'));
    assert((await summary(page)).includes('10,001 numbers read'), `the summary: ${await summary(page)}`);
    await page.click('#broadcast-send');
    await refusal(page, 'a broadcast takes at most 10,000', 'more than 10,000 rows');

    await page.fill('#broadcast-numbers', '+15557100004');
    await page.fill('#broadcast-body', '   ');
    await page.click('#broadcast-send');
    await refusal(page, 'Type a message first.', 'no body');
    await page.fill('#broadcast-body', 'Hello');
    await page.fill('#broadcast-media', 'http://media.test/flyer.png');
    await page.click('#broadcast-send');
    await refusal(page, 'https://', 'media that is not https');

    assertEqual(posts.length, 0, 'nothing was sent');
    assert(await page.isHidden('#broadcasts'), 'nothing is listed');
    assertEqual(await page.evaluate(() => window.pwned ?? null), null, 'a rejected line is never run as HTML');
  },

  /** A broadcast paced by its sender (fake Twilio at 2/s): Cancel while it runs, the bar ends cancelled. */
  async 'broadcast-cancel'(page, log, opts) {
    await start(page, opts);
    await openForm(page);
    await page.fill('#broadcast-numbers', Array.from({ length: opts.count }, (_, i) => `+1555730${String(i).padStart(4, '0')}`).join('\n'));
    await page.fill('#broadcast-body', 'Cancel me');
    await page.click('#broadcast-send');
    const id = await newest(page, 'Cancel me');
    await page.click(`#broadcast-list li[data-broadcast-id="${id}"] button[data-action="cancel"]`);
    await waitFinished(page, id, 'cancelled');
    const [b] = await recent(page);
    assert(!b.cancel, 'no Cancel once it ended');
    const cancelled = Number(/cancelled (\d+)/.exec(b.counts)?.[1] ?? 0);
    assert(cancelled > 0, `some recipients were cancelled: ${b.counts}`);
    assert(b.counts.startsWith(`${opts.count} of ${opts.count} (100%)`), `every recipient is accounted for: ${b.counts}`);
  },
};
