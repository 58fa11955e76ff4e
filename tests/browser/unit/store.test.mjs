import assert from 'node:assert/strict';
import { test } from 'node:test';
import { Store } from '../../../src/MessagingServer/wwwroot/app/store.js';

const ME = '+15550000000';
const A = '+15550001111';
const B = '+15550002222';
let clock = 0;
const at = () => new Date(Date.UTC(2026, 10, 23, 18, 0, clock++)).toISOString();

const outbound = (seq, to, body, extra = {}) => ({ type: 'outbound', seq, id: `m${seq}`, from: ME, to, body, at: at(), status: 'queued', encoding: 'GSM-7', segments: 1, ...extra });
const status = (seq, id, s, error) => ({ type: 'status', seq, id, status: s, at: at(), ...(error ? { error } : {}) });
const inbound = (seq, from, body) => ({ type: 'message', seq, id: `i${seq}`, from, to: ME, body, media: [], at: at() });

test('history, replay and live events merge by seq without duplicates', () => {
  const store = new Store();
  store.applyEvents([outbound(1, A, 'hi'), status(2, 'm1', 'sent')]);
  const added = store.applyEvents([status(2, 'm1', 'sent'), status(3, 'm1', 'delivered'), inbound(4, A, 'yo')]);
  assert.deepEqual(added.map((e) => e.seq), [3, 4]);
  assert.equal(store.applyEvent(inbound(4, A, 'yo')), false);
  const thread = store.thread(A);
  assert.deepEqual(thread.map((m) => [m.kind, m.body, m.status ?? null]), [['out', 'hi', 'delivered'], ['in', 'yo', null]]);
  assert.equal(store.cursor, 4);
});

test('the cursor stops below a gap until the gap is filled', () => {
  const store = new Store();
  store.applyEvents([inbound(1, A, 'a'), inbound(2, A, 'b'), inbound(4, A, 'd')]);
  assert.equal(store.cursor, 2);
  assert.equal(store.highest, 4);
  store.applyEvent(inbound(3, A, 'c'));
  assert.equal(store.cursor, 4);
  assert.deepEqual(store.thread(A).map((m) => m.body), ['a', 'b', 'c', 'd']);
});

test('a window that starts later starts the cursor at its floor, and an older page goes in on top', () => {
  const store = new Store();
  store.setFloor(100);
  store.applyEvents([inbound(101, A, 'new'), outbound(102, A, 'reply')]);
  assert.equal(store.cursor, 102);
  store.applyEvents([outbound(60, A, 'old'), status(61, 'm60', 'delivered')]);
  store.lowerFloor(0);
  assert.equal(store.floor, 0);
  assert.deepEqual(store.thread(A).map((m) => [m.body, m.status ?? null]), [['old', 'delivered'], ['new', null], ['reply', 'queued']]);
});

test('a status seen before its message (paging back) still applies, and never moves back', () => {
  const store = new Store();
  store.setFloor(10);
  store.applyEvents([status(11, 'm9', 'delivered'), status(12, 'm9', 'sent')]);
  store.applyEvents([outbound(9, A, 'early')]);
  assert.equal(store.thread(A)[0].status, 'delivered');
});

test('a failure keeps its error', () => {
  const store = new Store();
  store.applyEvents([outbound(1, A, 'x'), status(2, 'm1', 'failed', { code: '30007', message: 'Carrier violation' })]);
  assert.deepEqual(store.thread(A)[0].error, { code: '30007', message: 'Carrier violation' });
});

test('a pending send shows until its outbound event comes back with the same clientRef', () => {
  const store = new Store();
  store.addPending(A, 'hello', 'web-1');
  assert.deepEqual(store.thread(A).map((m) => [m.key, m.status]), [['pweb-1', 'waiting']]);
  store.setPendingState('web-1', 'sending');
  store.applyEvent(outbound(1, A, 'hello', { clientRef: 'web-1' }));
  assert.deepEqual(store.thread(A).map((m) => [m.key, m.status]), [['s1', 'queued']]);
  assert.equal(store.pending().length, 0);
  // The same outbound again (a resend after reconnect answered with the first event): nothing new.
  assert.equal(store.applyEvent(outbound(1, A, 'hello', { clientRef: 'web-1' })), false);
  assert.equal(store.thread(A).length, 1);
});

test('pending sends survive a reload as waiting, refused ones stay refused', () => {
  const store = new Store({ pending: [
    { clientRef: 'r1', to: A, body: 'one', state: 'sending' },
    { clientRef: 'r2', to: A, body: 'two', state: 'failed', error: { code: 'rate_limited', message: 'slow down' } },
  ] });
  assert.deepEqual(store.pending().map((p) => [p.clientRef, p.state]), [['r1', 'waiting'], ['r2', 'failed']]);
});

test('conversations list newest activity first with the last message', () => {
  const store = new Store();
  store.applyEvents([outbound(1, A, 'to a'), inbound(2, B, 'from b'), status(3, 'm1', 'delivered')]);
  assert.deepEqual(store.conversations().map((c) => [c.number, c.last.body]), [[B, 'from b'], [A, 'to a']]);
  store.openConversation('+15550009999');
  assert.equal(store.conversations()[0].number, '+15550009999');
  assert.equal(store.conversations()[0].last, null);
});

test('unread counts start from the server, grow with live messages and clear when seen', () => {
  const store = new Store();
  store.loadConversations([
    { clientNumber: A, lastMessage: inbound(5, A, 'latest'), unreadCount: 2 },
    { clientNumber: B, lastMessage: outbound(3, B, 'sent'), unreadCount: 0, lastStatus: 'delivered' },
  ]);
  assert.equal(store.unread(A), 2);
  assert.equal(store.thread(B)[0].status, 'delivered');
  store.applyEvent(inbound(6, A, 'more'));
  store.applyEvent(inbound(7, B, 'answer'));
  assert.equal(store.unread(A), 3);
  assert.equal(store.unread(B), 1);
  assert.ok(store.markSeen(A));
  assert.equal(store.unread(A), 0);
  assert.equal(store.markSeen(A), false);
  store.applyEvent(inbound(8, A, 'again'));
  assert.equal(store.unread(A), 1);
});

test('read marks kept across a reload keep unread messages unread, even after the server was acked', () => {
  const first = new Store();
  first.loadConversations([]);
  first.applyEvents([inbound(1, A, 'one'), inbound(2, B, 'two'), inbound(3, B, 'three')]);
  first.markSeen(A);
  const marks = first.seenMarks();
  assert.deepEqual(marks, { [A]: 1, [B]: 1 });

  // The console acked seq 3, so the server now counts nothing unread.
  const second = new Store({ seen: marks });
  second.loadConversations([
    { clientNumber: B, lastMessage: inbound(3, B, 'three'), unreadCount: 0 },
    { clientNumber: A, lastMessage: inbound(1, A, 'one'), unreadCount: 0 },
  ]);
  second.applyEvents([inbound(1, A, 'one'), inbound(2, B, 'two'), inbound(3, B, 'three')]);
  assert.equal(second.unread(A), 0);
  assert.equal(second.unread(B), 2);
});

test('marks from before a server reset are dropped', () => {
  const store = new Store({ seen: { [A]: 50 } });
  store.loadConversations([{ clientNumber: A, lastMessage: inbound(2, A, 'new world'), unreadCount: 1 }]);
  assert.equal(store.unread(A), 1);
});

test('a reset forgets events and marks but keeps what is still to be sent', () => {
  const store = new Store();
  store.applyEvents([outbound(1, A, 'x'), inbound(2, B, 'y')]);
  store.markSeen(B);
  store.addPending(A, 'later', 'r9');
  let reset = false;
  store.subscribe((c) => { reset ||= c.type === 'reset'; });
  store.reset();
  assert.ok(reset);
  assert.deepEqual([store.cursor, store.highest, store.floor], [0, 0, 0]);
  assert.deepEqual(store.conversations().map((c) => c.number), [A]);
  assert.deepEqual(store.thread(A).map((m) => m.key), ['pr9']);
  assert.equal(store.applyEvent(inbound(1, B, 'fresh')), true);
  assert.equal(store.unread(B), 1);
});

test('the conversation of a status is its message\'s', () => {
  const store = new Store();
  store.applyEvents([outbound(1, A, 'x')]);
  assert.equal(store.conversationOf(status(2, 'm1', 'sent')), A);
  assert.equal(store.conversationOf(status(3, 'nope', 'sent')), null);
  assert.equal(store.conversationOf(inbound(4, B, 'y')), B);
});

test('media stay with their message: inbound, outbound, and a pending send kept across a reload', () => {
  const store = new Store();
  store.applyEvents([
    { ...inbound(1, A, ''), media: ['https://img.test/in.png'] },
    outbound(2, A, 'look', { media: ['https://img.test/out.png'] }),
  ]);
  store.addPending(A, '', 'r1', ['https://img.test/pending.png']);
  assert.deepEqual(store.thread(A).map((m) => m.media), [['https://img.test/in.png'], ['https://img.test/out.png'], ['https://img.test/pending.png']]);
  const reloaded = new Store({ pending: [...store.pending(), { clientRef: 'r2', to: A, body: 'x', media: 'not a list' }, { clientRef: 'r3', to: A, body: 'y', media: ['https://a.test/1.png', 7] }] });
  assert.deepEqual(reloaded.thread(A).map((m) => m.media), [['https://img.test/pending.png'], [], ['https://a.test/1.png']]);
});
