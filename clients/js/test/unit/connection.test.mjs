import assert from 'node:assert/strict';
import { test } from 'node:test';
import { backoffDelay, Connection } from '../../src/connection.js';
import { fakeEnv, fakeSockets } from '../support/fakes.mjs';

function connect(overrides = {}) {
  const env = fakeEnv(overrides.env);
  const { FakeSocket, sockets } = fakeSockets();
  const states = [];
  const frames = [];
  const events = { expired: 0, failed: 0 };
  let since = 0;
  const connection = new Connection({
    url: () => `ws://h/message/u?since=${since}`,
    onFrame: (f) => frames.push(f),
    onState: (s) => states.push(s),
    onAuthExpired: () => events.expired++,
    onConnectFailed: () => events.failed++,
    WebSocketImpl: FakeSocket,
    env,
    pingInterval: 25_000,
    pongTimeout: 10_000,
  });
  return { connection, env, sockets, states, frames, events, setSince: (s) => { since = s; } };
}

function welcome(socket, lastSeq = 0) {
  socket.open();
  socket.receive({ type: 'welcome', userId: 'u', lastSeq, resumeFrom: lastSeq + 1 });
}

test('backoff doubles from 0.5 s up to 30 s, with half of each step random', () => {
  assert.deepEqual([0, 1, 2, 3, 10].map((n) => backoffDelay(n, () => 0)), [250, 500, 1000, 2000, 15000]);
  assert.deepEqual([0, 1, 2, 3, 10].map((n) => backoffDelay(n, () => 1)), [500, 1000, 2000, 4000, 30000]);
  assert.equal(backoffDelay(40, () => 1), 30000);
});

test('the session is live on welcome, and only then sends', () => {
  const { connection, sockets, states, frames } = connect();
  connection.start();
  assert.equal(states.at(-1).name, 'connecting');
  assert.equal(connection.send('x'), false);
  welcome(sockets[0], 3);
  assert.equal(states.at(-1).name, 'live');
  assert.equal(frames[0].type, 'welcome');
  assert.ok(connection.send('{"type":"ping"}'));
  assert.deepEqual(sockets[0].sent, ['{"type":"ping"}']);
});

test('a dropped socket reconnects with growing delays, resuming from the newest since', () => {
  const { connection, env, sockets, states, setSince } = connect();
  connection.start();
  welcome(sockets[0]);
  setSince(7);
  sockets[0].drop(1006);
  assert.equal(states.at(-1).name, 'reconnecting');
  assert.equal(states.at(-1).delay, backoffDelay(0, () => 0.5));
  env.advance(states.at(-1).delay);
  assert.equal(sockets.length, 2);
  assert.equal(sockets[1].url, 'ws://h/message/u?since=7');

  // Refused twice before opening: longer waits, and the caller is told (to check the token).
  sockets[1].drop(1006);
  const second = states.at(-1).delay;
  env.advance(second);
  sockets[2].drop(1006);
  const third = states.at(-1).delay;
  assert.ok(third > second, `${third} > ${second}`);
  env.advance(third);
  welcome(sockets[3]);
  assert.equal(states.at(-1).name, 'live');
  // Live again: the next drop starts from the shortest wait.
  sockets[3].drop(1012);
  assert.equal(states.at(-1).delay, backoffDelay(0, () => 0.5));
});

test('a socket refused before it opened is reported, one that was open is not', () => {
  const { connection, env, sockets, events, states } = connect();
  connection.start();
  sockets[0].drop(1006);
  assert.equal(events.failed, 1);
  env.advance(states.at(-1).delay);
  welcome(sockets[1]);
  sockets[1].drop(1001);
  assert.equal(events.failed, 1);
});

test('1008 means the token expired: no reconnect, the caller signs the user out', () => {
  const { connection, env, sockets, events, states } = connect();
  connection.start();
  welcome(sockets[0]);
  sockets[0].drop(1008, 'token expired');
  assert.equal(events.expired, 1);
  assert.equal(states.at(-1).name, 'offline');
  env.advance(120_000);
  assert.equal(sockets.length, 1);
});

test('stop closes with 1000 and never reconnects', () => {
  const { connection, env, sockets } = connect();
  connection.start();
  welcome(sockets[0]);
  connection.stop();
  assert.deepEqual(sockets[0].closedWith, { code: 1000, reason: 'signed out' });
  env.advance(120_000);
  assert.equal(sockets.length, 1);
});

test('a link that stops answering pings is dropped and reconnected', () => {
  const { connection, env, sockets, states } = connect();
  connection.start();
  welcome(sockets[0]);
  env.advance(25_000);
  assert.deepEqual(sockets[0].sent, ['{"type":"ping"}']);
  sockets[0].receive({ type: 'pong' });
  env.advance(25_000);
  assert.equal(sockets[0].sent.length, 2);
  env.advance(10_000); // no pong this time
  assert.equal(sockets[0].closedWith?.code, 4000);
  assert.equal(states.at(-1).name, 'reconnecting');
  env.advance(states.at(-1).delay);
  assert.equal(sockets.length, 2);
});

test('without a network it waits for the browser to be online', () => {
  const { connection, env, sockets, states } = connect({ env: { online: false } });
  connection.start();
  assert.deepEqual([states.at(-1).name, sockets.length], ['offline', 0]);
  env.online = true;
  env.fire('online');
  assert.equal(sockets.length, 1);
});

test('reconnect now skips the wait', () => {
  const { connection, env, sockets, states } = connect();
  connection.start();
  sockets[0].drop(1006);
  env.advance(1);
  assert.equal(states.at(-1).name, 'reconnecting');
  connection.reconnectNow();
  assert.equal(sockets.length, 2);
  assert.deepEqual(env.pending(), []);
});

test('a url that is a promise (a token being fetched) connects once it resolves', async () => {
  const env = fakeEnv();
  const { FakeSocket, sockets } = fakeSockets();
  let calls = 0;
  const connection = new Connection({ url: async () => `ws://h/message/u?t=${++calls}`, onFrame: () => {}, WebSocketImpl: FakeSocket, env });
  connection.start();
  assert.equal(sockets.length, 0);
  await Promise.resolve();
  assert.deepEqual(sockets.map((s) => s.url), ['ws://h/message/u?t=1']);
});

test('a url promise that rejects counts as a failed attempt and is retried', async () => {
  const env = fakeEnv();
  const { FakeSocket, sockets } = fakeSockets();
  let failed = 0;
  let calls = 0;
  const connection = new Connection({
    url: () => (++calls === 1 ? Promise.reject(new Error('no token')) : 'ws://h/message/u'),
    onFrame: () => {}, onConnectFailed: () => failed++, WebSocketImpl: FakeSocket, env,
  });
  connection.start();
  await new Promise((resolve) => setImmediate(resolve));
  assert.equal(failed, 1);
  assert.equal(connection.state.name, 'reconnecting');
  env.advance(connection.state.delay);
  assert.equal(sockets.length, 1);
});

test('restart closes the live socket with 1000 and connects again at once', () => {
  const { connection, sockets, setSince } = connect();
  connection.start();
  welcome(sockets[0]);
  setSince(4);
  connection.restart('token renewal');
  assert.deepEqual(sockets[0].closedWith, { code: 1000, reason: 'token renewal' });
  assert.equal(sockets[1].url, 'ws://h/message/u?since=4');
  sockets[0].drop(1000); // the old socket's close arrives late: it changes nothing
  assert.equal(connection.state.name, 'connecting');
});

test('with retryOnPolicyClose a 1008 reconnects (the next url brings a fresh token)', () => {
  const env = fakeEnv();
  const { FakeSocket, sockets } = fakeSockets();
  let expired = 0;
  const connection = new Connection({
    url: () => 'ws://h/message/u', onFrame: () => {}, onAuthExpired: () => expired++, WebSocketImpl: FakeSocket, env, retryOnPolicyClose: true,
  });
  connection.start();
  welcome(sockets[0]);
  sockets[0].drop(1008, 'token expired');
  assert.equal(expired, 0);
  env.advance(connection.state.delay);
  assert.equal(sockets.length, 2);
});
