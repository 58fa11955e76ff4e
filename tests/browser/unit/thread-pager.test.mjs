import assert from 'node:assert/strict';
import { test } from 'node:test';
import { Store } from '../../../src/MessagingServer/wwwroot/app/store.js';
import { THREAD_PAGE, ThreadPager, afterPage, nextBefore } from '../../../src/MessagingServer/wwwroot/app/thread-pager.js';

const A = '+15550001111';
const inbound = (seq, from = A) => ({ type: 'message', seq, id: `i${seq}`, from, to: '+15550000000', body: `m${seq}`, media: [], at: '2026-12-02T10:00:00.000Z' });

test('the next page starts below the oldest message shown and the oldest event of the last page', () => {
  assert.equal(nextBefore(undefined, undefined), undefined);
  assert.equal(nextBefore(undefined, 90), 90);
  assert.equal(nextBefore({ before: 40 }, 90), 40);
  assert.deepEqual(afterPage(null, [inbound(9), inbound(7)], 2, 10), { before: 7, done: false });
  assert.deepEqual(afterPage({ before: 7 }, [], 2, 7), { before: 7, done: true });
});

/** The server's conversation endpoint over a list of events: newest first, below `before`. */
function server(events) {
  const calls = [];
  return {
    calls,
    async conversationMessages(number, { before, limit }) {
      calls.push(before);
      return events.filter((e) => e.from === number && (before === undefined || e.seq < before)).sort((a, b) => b.seq - a.seq).slice(0, limit);
    },
  };
}

test('pages back through one conversation until a short page, each message once and in order', async () => {
  const all = Array.from({ length: 130 }, (_, i) => inbound(i + 1, i % 2 === 0 ? A : '+15550002222'));
  const store = new Store();
  store.setFloor(100);
  store.applyEvents(all.slice(100));
  const api = server(all);
  let changes = 0;
  const pager = new ThreadPager({ api, store, changed: () => changes++, failed: (e) => assert.fail(e) });
  assert.ok(pager.canLoad(A));
  const loads = [];
  while (pager.canLoad(A)) {
    loads.push(pager.load(A), pager.load(A)); // a second call while one is on its way does nothing
    await Promise.all(loads.splice(0));
  }
  const seqs = store.thread(A).map((m) => m.seq);
  assert.deepEqual(seqs, all.filter((e) => e.from === A).map((e) => e.seq));
  assert.deepEqual(api.calls, [101, 1], 'the 50 older messages of A below 101 fill one page; the next one is empty');
  assert.ok(changes >= 4);
});

test('nothing to page when the first window reached the start', async () => {
  const store = new Store();
  store.applyEvents([inbound(1)]);
  const pager = new ThreadPager({ api: server([]), store, changed() {}, failed: assert.fail });
  assert.equal(pager.canLoad(A), false);
});

test('a failed page is reported and may be tried again; an answer that is not a list is a failure', async () => {
  const store = new Store();
  store.setFloor(10);
  const failures = [];
  let answer = Promise.reject(new Error('boom'));
  answer.catch(() => {});
  const pager = new ThreadPager({ api: { conversationMessages: () => answer }, store, changed() {}, failed: (e) => failures.push(e.message) });
  await pager.load(A);
  answer = Promise.resolve({ not: 'a list' });
  await pager.load(A);
  assert.deepEqual(failures, ['boom', 'the server answered something else than a list']);
  assert.ok(pager.canLoad(A));
});
