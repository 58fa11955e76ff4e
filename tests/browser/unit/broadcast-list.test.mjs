import assert from 'node:assert/strict';
import { test } from 'node:test';
import { BroadcastList, LIMIT, progressOf } from '../../../src/MessagingServer/wwwroot/app/broadcast-list.js';

const progress = (seq, id, counts) => ({ type: 'broadcast', seq, id, total: 4, sent: 0, failed: 0, skipped: 0, cancelled: 0, at: '2026-12-02T10:00:00.000Z', ...counts });

test('the latest progress per id, whatever order events and answers arrive in', () => {
  const list = new BroadcastList();
  assert.equal(list.applyEvents([progress(5, 'b1', { sent: 1 }), progress(9, 'b1', { sent: 3, skipped: 1 })]), true);
  assert.equal(list.applyEvents([progress(7, 'b1', { sent: 2 })]), false, 'an older event changes nothing');
  assert.equal(list.applyEvents([progress(9, 'b1', { sent: 3, skipped: 1 })]), false, 'a replay changes nothing');
  const [b] = list.list();
  assert.deepEqual([b.sent, b.skipped, b.done, b.percent, b.finished, b.firstSeq], [3, 1, 4, 100, true, 5]);
});

test('newest first: one just started here on top, then by its first event; other event types are ignored', () => {
  const list = new BroadcastList();
  list.applyEvents([progress(3, 'old'), { type: 'message', seq: 4, id: 'm4' }, progress(6, 'newer'), progress(8, 'old', { sent: 1 })]);
  list.started('mine', { total: 2, body: 'Polls open at 7' });
  assert.deepEqual(list.list().map((b) => b.id), ['mine', 'newer', 'old']);
  assert.equal(list.get('mine').body, 'Polls open at 7');
  list.applyEvents([progress(10, 'mine', { total: 2, sent: 1 })]);
  assert.deepEqual(list.list().map((b) => b.id), ['mine', 'newer', 'old']);
  assert.equal(list.get('mine').percent, 50);
});

test('a cancel answer counts the cancelled recipients, and the bar reaches the end', () => {
  const list = new BroadcastList();
  list.started('b', { total: 10, body: 'x' });
  list.progress({ id: 'b', total: 10, sent: 3, failed: 0, skipped: 0, cancelled: 7 });
  assert.deepEqual(progressOf(list.get('b')), { done: 10, total: 10, percent: 100, finished: true });
});

test('at most LIMIT are kept, the oldest dropped', () => {
  const list = new BroadcastList();
  list.applyEvents(Array.from({ length: LIMIT + 5 }, (_, i) => progress(i + 1, `b${i + 1}`)));
  const ids = list.list().map((b) => b.id);
  assert.equal(ids.length, LIMIT);
  assert.equal(ids[0], `b${LIMIT + 5}`);
  assert.ok(!ids.includes('b5'));
});

test('saved entries come back in order, and hostile saved data is ignored', () => {
  const list = new BroadcastList();
  list.applyEvents([progress(1, 'a', { sent: 4 }), progress(2, 'b', { sent: 1 })]);
  const restored = new BroadcastList(JSON.parse(JSON.stringify(list.toJSON())));
  assert.deepEqual(restored.list().map((b) => [b.id, b.sent]), [['b', 1], ['a', 4]]);
  const hostile = new BroadcastList([null, 7, { id: '' }, { id: 'x'.repeat(500) }, { id: 'ok', total: -3, sent: 'lots', firstSeq: 1.5, body: { evil: 1 } }]);
  assert.deepEqual(hostile.list().map((b) => [b.id, b.total, b.sent, b.firstSeq, b.body]), [['ok', 0, 0, null, '']]);
  assert.equal(new BroadcastList('not a list').list().length, 0);
});
