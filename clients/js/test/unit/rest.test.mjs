// RestApi's conversation pages, MMS sends and broadcasts, against a recording fetch.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { RestApi, baseUrl } from '../../src/index.js';

function recorder(answer) {
  const calls = [];
  const fetch = async (url, init) => {
    calls.push({ url: String(url), method: init.method, body: init.body === undefined ? undefined : JSON.parse(init.body), auth: init.headers.Authorization });
    return answer(String(url), init);
  };
  return { calls, api: new RestApi({ base: baseUrl('http://server.test/'), userId: 'desk 1', token: () => 'tok', fetch }) };
}

const event = (seq) => ({ type: 'message', seq, id: `i${seq}`, from: '+15550001111', to: '+15550000000', body: `m${seq}`, media: [], at: '2026-12-02T07:00:00Z' });

test('a conversation page is asked for below a seq and comes back oldest first, whatever order the server used', async () => {
  const { calls, api } = recorder(() => Response.json([event(9), event(7), event(8)]));
  const page = await api.conversation('+15550001111', { before: 10, limit: 3 });
  assert.deepEqual(page.map((e) => e.seq), [7, 8, 9]);
  assert.equal(calls[0].url, 'http://server.test/api/users/desk%201/conversations/%2B15550001111/messages?before=10&limit=3');
  assert.equal(calls[0].auth, 'Bearer tok');
  await api.conversation('+15550001111');
  assert.equal(calls[1].url, 'http://server.test/api/users/desk%201/conversations/%2B15550001111/messages?limit=50', 'no before: the newest page');
});

test('a conversation page wrapped in an object is read, and entries that are not events are dropped', async () => {
  const { api } = recorder(() => Response.json({ events: [event(2), null, 'x', { seq: '3' }, event(1)], next: 1 }));
  assert.deepEqual((await api.conversation('+15550001111')).map((e) => e.seq), [1, 2]);
  const odd = recorder(() => Response.json({ events: 'nope' }));
  assert.deepEqual(await odd.api.conversation('+15550001111'), []);
});

test('a number with path characters cannot reach another route', async () => {
  const { calls, api } = recorder(() => Response.json([]));
  await api.conversation('../../x?y=1#z');
  assert.equal(new URL(calls[0].url).pathname, '/api/users/desk%201/conversations/..%2F..%2Fx%3Fy%3D1%23z/messages');
});

test('a send carries media only when there is some', async () => {
  const { calls, api } = recorder(() => Response.json({ id: 'm1', seq: 1 }, { status: 202 }));
  await api.send({ to: '+15550001111', body: '', media: ['https://img.test/a.png'], clientRef: 'r1' });
  await api.send({ to: '+15550001111', body: 'hi', media: [] });
  assert.deepEqual(calls.map((c) => c.body), [
    { to: '+15550001111', body: '', media: ['https://img.test/a.png'], clientRef: 'r1' },
    { to: '+15550001111', body: 'hi' },
  ]);
});

test('broadcasts are created, read and cancelled under the user', async () => {
  const { calls, api } = recorder((url, init) => init.method === 'DELETE'
    ? new Response(null, { status: 204 })
    : init.method === 'POST' ? Response.json({ broadcastId: 'b/1' }, { status: 202 }) : Response.json({ id: 'b/1', total: 2, sent: 1, failed: 0, skipped: 1, cancelled: 0 }));
  assert.deepEqual(await api.broadcast({ to: ['+15550001111', '+15550002222'], body: 'vote', clientRef: 'c1' }), { broadcastId: 'b/1' });
  assert.equal((await api.broadcastProgress('b/1')).skipped, 1);
  assert.equal(await api.cancelBroadcast('b/1'), null, 'an empty answer is null');
  assert.deepEqual(calls.map((c) => `${c.method} ${new URL(c.url).pathname}`), [
    'POST /api/users/desk%201/broadcasts', 'GET /api/users/desk%201/broadcasts/b%2F1', 'DELETE /api/users/desk%201/broadcasts/b%2F1',
  ]);
  assert.deepEqual(calls[0].body, { to: ['+15550001111', '+15550002222'], body: 'vote', clientRef: 'c1' });
});

test('a refused broadcast is an ApiError with the problem\'s code', async () => {
  const { api } = recorder(() => new Response(JSON.stringify({ title: 'Too many recipients', status: 400, code: 'too_many_recipients' }), { status: 400, headers: { 'Content-Type': 'application/problem+json' } }));
  await assert.rejects(api.broadcast({ to: [], body: 'x' }), (e) => e.name === 'ApiError' && e.status === 400 && e.code === 'too_many_recipients');
});
