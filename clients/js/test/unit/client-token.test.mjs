import assert from 'node:assert/strict';
import { test } from 'node:test';
import { harness, settle, welcome } from '../support/client-harness.mjs';

/** An unsigned JWT-shaped token that expires at `exp` ms (the client reads exp, the server checks the rest). */
function jwt(expMs, n) {
  const part = (o) => Buffer.from(JSON.stringify(o)).toString('base64url');
  return `${part({ alg: 'HS256' })}.${part({ sub: 'alice', exp: Math.floor(expMs / 1000), n })}.sig`;
}

test('a fixed token goes in access_token; 1008 stops the client and says the token expired', () => {
  const { client, env, sockets, seen } = harness({ token: 'abc' });
  client.start();
  assert.equal(sockets[0].url, 'ws://server.test/message/alice?access_token=abc');
  welcome(sockets[0]);
  sockets[0].drop(1008, 'token expired');
  assert.equal(seen.authexpired.length, 1);
  assert.equal(client.state.name, 'offline');
  env.advance(120_000);
  assert.equal(sockets.length, 1);
});

test('a token function is called on each connect, and its token is renewed before it expires', async () => {
  let issued = 0;
  const { client, env, sockets } = harness({
    since: 0,
    tokenRefreshMargin: 30_000,
    pingInterval: 3_600_000, // no pings to answer in this test
    token: async () => jwt(env.now() + 120_000, ++issued),
  });
  client.start();
  await settle();
  assert.match(sockets[0].url, /since=0&access_token=/);
  welcome(sockets[0]);
  env.advance(89_000);
  assert.equal(sockets.length, 1);
  env.advance(1_000); // 30 s before exp
  assert.deepEqual(sockets[0].closedWith, { code: 1000, reason: 'token renewal' });
  await settle();
  assert.equal(sockets.length, 2);
  assert.equal(issued, 2);
  assert.notEqual(new URL(sockets[1].url).searchParams.get('access_token'), new URL(sockets[0].url).searchParams.get('access_token'));
});

test('with a token function a 1008 reconnects with a fresh token instead of stopping', async () => {
  let issued = 0;
  const { client, env, sockets, seen } = harness({ since: 0, token: () => `t${++issued}` });
  client.start();
  welcome(sockets[0]);
  sockets[0].drop(1008, 'token expired');
  assert.equal(seen.authexpired.length, 0);
  env.advance(client.state.delay);
  assert.match(sockets[1].url, /access_token=t2$/);
});

test('the REST helpers send the token as bearer and turn problems into ApiErrors', async () => {
  const calls = [];
  const fetch = async (url, init) => {
    calls.push({ url: String(url), init });
    if (String(url).includes('conversations')) {
      return new Response(JSON.stringify({ title: 'Token for another user', status: 403, code: 'forbidden' }), { status: 403, headers: { 'Content-Type': 'application/problem+json' } });
    }
    return Response.json([{ type: 'message', seq: 1 }]);
  };
  const { client } = harness({ token: async () => 'tok', fetch });
  assert.deepEqual(await client.history({ since: 4, limit: 2 }), [{ type: 'message', seq: 1 }]);
  assert.equal(calls[0].url, 'http://server.test/api/users/alice/messages?since=4&limit=2');
  assert.equal(calls[0].init.headers.Authorization, 'Bearer tok');
  await assert.rejects(client.conversations(), (e) => e.name === 'ApiError' && e.status === 403 && e.code === 'forbidden' && e.isAuth);
  const unreachable = harness({ fetch: async () => { throw new TypeError('fetch failed'); } });
  await assert.rejects(unreachable.client.history(), (e) => e.status === 0 && e.code === 'unreachable');
});

test('events() pages through the whole history', async () => {
  const all = Array.from({ length: 5 }, (_, i) => ({ type: 'message', seq: i + 1 }));
  const fetch = async (url) => {
    const q = new URL(url).searchParams;
    const since = Number(q.get('since'));
    return Response.json(all.filter((e) => e.seq > since).slice(0, Number(q.get('limit'))));
  };
  const { client } = harness({ fetch });
  const seqs = [];
  for await (const e of client.api.events({ since: 0, pageSize: 2 })) {
    seqs.push(e.seq);
  }
  assert.deepEqual(seqs, [1, 2, 3, 4, 5]);
});
