// RestApi's paths, MMS sends and broadcasts, against a recording fetch.
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

test('a number with path characters cannot reach another route', async () => {
  const { calls, api } = recorder(() => Response.json([]));
  await api.conversationMessages('../../x?y=1#z');
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
