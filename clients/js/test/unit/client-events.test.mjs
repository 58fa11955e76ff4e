import assert from 'node:assert/strict';
import { test } from 'node:test';
import { harness, server, welcome } from '../support/client-harness.mjs';
import { assertFrame, loadSchemas } from '../support/schema.mjs';

const schemas = loadSchemas();
const seqs = (events) => events.map((e) => e.seq);

test('without since the first connect lets the server resume after its ack, later ones resume after what the app has', () => {
  const { client, env, sockets, seen } = harness();
  client.start();
  assert.equal(sockets[0].url, 'ws://server.test/message/alice');
  welcome(sockets[0], 5, 4);
  sockets[0].receive(server.message(4));
  sockets[0].receive(server.message(5));
  sockets[0].drop(1006);
  env.advance(client.state.delay);
  assert.equal(sockets[1].url, 'ws://server.test/message/alice?since=5');
  assert.deepEqual(seqs(seen.event), [4, 5]);
});

test('a replay that overlaps what was handed over is not handed over twice, and order holds across reconnects', () => {
  const { client, env, sockets, seen } = harness({ since: 2 });
  client.start();
  assert.match(sockets[0].url, /since=2$/);
  welcome(sockets[0], 3);
  sockets[0].receive(server.message(3));
  sockets[0].drop(1012);
  env.advance(client.state.delay);
  welcome(sockets[1], 5, 4);
  // A replay that starts too early (another device's ack raced): 3 again, then 4 and 5.
  for (const seq of [3, 4, 3, 5, 5]) {
    sockets[1].receive(server.message(seq));
  }
  assert.deepEqual(seqs(seen.event), [3, 4, 5]);
  assert.deepEqual(seqs(seen.message), [3, 4, 5]);
  assert.equal(client.position, 5);
});

test('a gap is never skipped: the client resumes from what it has and the server fills it', () => {
  const { client, sockets, seen } = harness({ since: 0 });
  client.start();
  welcome(sockets[0], 3);
  sockets[0].receive(server.message(1));
  sockets[0].receive(server.message(3));
  assert.deepEqual(seqs(seen.event), [1]);
  assert.deepEqual(sockets[0].closedWith, { code: 1000, reason: 'gap' });
  assert.match(sockets[1].url, /since=1$/);
  welcome(sockets[1], 3, 2);
  sockets[1].receive(server.message(2));
  sockets[1].receive(server.message(3));
  assert.deepEqual(seqs(seen.event), [1, 2, 3]);
});

test('each event type has its own event, besides the one for every event', () => {
  const { client, sockets, seen } = harness({ since: 0 });
  client.start();
  welcome(sockets[0], 4);
  sockets[0].receive(server.outbound(1));
  sockets[0].receive(server.status(2, 'o1'));
  sockets[0].receive(server.message(3));
  sockets[0].receive(server.broadcast(4));
  assert.deepEqual([seen.outbound, seen.status, seen.message, seen.broadcast].map(seqs), [[1], [2], [3], [4]]);
  assert.deepEqual(seqs(seen.event), [1, 2, 3, 4]);
  for (const event of seen.event) {
    assertFrame(schemas, event);
  }
});

test('what the app handled is acked once per burst, and again on a new socket', () => {
  const { client, env, sockets } = harness({ since: 0, ackDelay: 200 });
  client.start();
  welcome(sockets[0], 3);
  for (const seq of [1, 2, 3]) {
    sockets[0].receive(server.message(seq));
  }
  assert.deepEqual(sockets[0].frames, []);
  env.advance(200);
  assert.deepEqual(sockets[0].frames, [{ type: 'ack', seq: 3 }]);
  env.advance(10_000);
  assert.deepEqual(sockets[0].frames.filter((f) => f.type === 'ack'), [{ type: 'ack', seq: 3 }]);
  sockets[0].drop(1006);
  env.advance(client.state.delay);
  welcome(sockets[1], 3);
  env.advance(200);
  assert.deepEqual(sockets[1].frames, [{ type: 'ack', seq: 3 }]);
  for (const frame of sockets[1].frames) {
    assertFrame(schemas, frame);
  }
});

test('with autoAck off only what the app acks is acked, and nothing it was not handed', () => {
  const { client, env, sockets } = harness({ since: 0, autoAck: false });
  client.start();
  welcome(sockets[0], 3);
  sockets[0].receive(server.message(1));
  sockets[0].receive(server.message(2));
  env.advance(1_000);
  assert.deepEqual(sockets[0].frames, []);
  client.ack(1);
  env.advance(1_000);
  assert.deepEqual(sockets[0].frames, [{ type: 'ack', seq: 1 }]);
  assert.throws(() => client.ack(3), /has not been handed/);
  assert.throws(() => client.ack(-1), RangeError);
});

test('an event whose listener threw is handed over once but not acked', () => {
  const errors = [];
  const { client, env, sockets, seen } = harness({ since: 0, onListenerError: (e) => errors.push(e) });
  client.on('message', (m) => {
    if (m.seq === 2) {
      throw new Error('render failed');
    }
  });
  client.start();
  welcome(sockets[0], 2);
  sockets[0].receive(server.message(1));
  env.advance(1_000);
  sockets[0].receive(server.message(2));
  env.advance(1_000);
  assert.deepEqual(sockets[0].frames, [{ type: 'ack', seq: 1 }]);
  assert.deepEqual(seqs(seen.event), [1, 2]);
  assert.equal(errors[0].message, 'render failed');
});

test('a server whose history is behind the app (a reset journal) is reported, and the client follows it', () => {
  const { client, env, sockets, seen } = harness({ since: 9 });
  client.start();
  welcome(sockets[0], 2, 3);
  assert.deepEqual(seen.reset, [{ lastSeq: 2, position: 2 }]);
  sockets[0].receive(server.message(3));
  assert.deepEqual(seqs(seen.event), [3]);
  env.advance(1_000);
  assert.deepEqual(sockets[0].frames, [{ type: 'ack', seq: 3 }]);
});

test('an error frame about no send of ours is an error event; the client stays live', () => {
  const { client, sockets, seen } = harness({ since: 0 });
  client.start();
  welcome(sockets[0]);
  sockets[0].receive(server.error('invalid_cursor'));
  sockets[0].receive('not json');
  assert.deepEqual(seen.error.map((e) => e.code), ['invalid_cursor']);
  assert.equal(client.state.name, 'live');
});

test('by default the link is pinged after 25 s of silence and dropped 10 s after an unanswered ping', () => {
  const { client, env, sockets } = harness({ since: 0 });
  client.start();
  welcome(sockets[0]);
  env.advance(24_999);
  assert.deepEqual(sockets[0].frames, []);
  env.advance(1);
  assert.deepEqual(sockets[0].frames, [{ type: 'ping' }]);
  env.advance(9_999);
  assert.equal(client.state.name, 'live');
  env.advance(1);
  assert.equal(sockets[0].closedWith?.code, 4000);
});

test('the reconnect delays follow the backoff option', () => {
  const { client, env, sockets } = harness({ since: 0, backoff: { base: 100, cap: 400 } });
  client.start();
  const delays = [];
  for (let i = 0; i < 5; i++) {
    sockets.at(-1).drop(1006);
    delays.push(client.state.delay);
    env.advance(client.state.delay);
  }
  // random() is 0.5 in the fake env: 3/4 of each step, doubling from 100 ms up to the 400 ms cap.
  assert.deepEqual(delays, [75, 150, 300, 300, 300]);
  assert.equal(sockets.length, 6);
});
