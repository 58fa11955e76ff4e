import assert from 'node:assert/strict';
import { test } from 'node:test';
import { SendError } from '../../src/outbox.js';
import { harness, server, settle, welcome } from '../support/client-harness.mjs';
import { assertFrame, loadSchemas } from '../support/schema.mjs';

const schemas = loadSchemas();
const sends = (socket) => socket.frames.filter((f) => f.type === 'send');

/** A promise's outcome, without waiting for it: 'pending', or what it settled with. */
function watch(promise) {
  const outcome = { state: 'pending', value: undefined, settled: 0 };
  promise.then(
    (value) => Object.assign(outcome, { state: 'resolved', value, settled: outcome.settled + 1 }),
    (error) => Object.assign(outcome, { state: 'rejected', value: error, settled: outcome.settled + 1 }));
  return outcome;
}

test('a send resolves with its outbound event', async () => {
  const { client, sockets, seen } = harness({ since: 0 });
  client.start();
  welcome(sockets[0]);
  const sent = watch(client.send({ to: '+15550001111', body: 'Hello', clientRef: 'c1' }));
  assert.deepEqual(sends(sockets[0]), [{ type: 'send', to: '+15550001111', body: 'Hello', clientRef: 'c1' }]);
  assertFrame(schemas, sends(sockets[0])[0]);
  await settle();
  assert.equal(sent.state, 'pending');
  sockets[0].receive(server.outbound(1, 'c1', 'Hello'));
  await settle();
  assert.equal(sent.state, 'resolved');
  assert.equal(sent.value.seq, 1);
  assert.deepEqual(seen.outbound.map((o) => o.clientRef), ['c1']);
});

test('a send made offline goes on the first welcome; one unconfirmed is sent again on each new socket with the same clientRef, and settles once', async () => {
  const { client, env, sockets, seen } = harness({ since: 0 });
  const sent = watch(client.send({ to: '+15550001111', body: 'Hi', clientRef: 'c1' }));
  client.start();
  welcome(sockets[0]);
  assert.deepEqual(sends(sockets[0]).map((f) => f.clientRef), ['c1']);
  sockets[0].drop(1006); // the server died: did it store it? The client cannot know.
  env.advance(client.state.delay);
  welcome(sockets[1], 1);
  assert.deepEqual(sends(sockets[1]).map((f) => f.clientRef), ['c1']);
  // It had been stored: the replay brings it, then the repeated send is answered with it again.
  sockets[1].receive(server.outbound(1, 'c1', 'Hi'));
  sockets[1].receive(server.outbound(1, 'c1', 'Hi'));
  await settle();
  assert.equal(sent.state, 'resolved');
  assert.equal(sent.settled, 1);
  assert.equal(seen.outbound.length, 1);
  assert.deepEqual(client.pendingSends, []);
  // Confirmed: not sent again on the next socket.
  sockets[1].drop(1001);
  env.advance(client.state.delay);
  welcome(sockets[2], 1);
  assert.deepEqual(sends(sockets[2]), []);
});

test('the answer to a repeated clientRef (an old outbound event) settles a send made after a reload', async () => {
  const { client, sockets, seen } = harness({ since: 7 });
  client.start();
  welcome(sockets[0], 7);
  const sent = watch(client.send({ to: '+15550001111', body: 'Hi', clientRef: 'kept-across-reload' }));
  sockets[0].receive(server.outbound(3, 'kept-across-reload', 'Hi'));
  await settle();
  assert.equal(sent.state, 'resolved');
  assert.equal(sent.value.seq, 3);
  assert.equal(seen.event.length, 0); // seq 3 was already handed over before the reload
});

test('a refused send rejects with the server code, once, and is not sent again', async () => {
  const { client, env, sockets } = harness({ since: 0 });
  client.start();
  welcome(sockets[0]);
  const sent = watch(client.send({ to: '+15550001111', body: 'STOP me', clientRef: 'c9' }));
  sockets[0].receive(server.error('opted_out', 'c9'));
  sockets[0].receive(server.error('opted_out', 'c9'));
  await settle();
  assert.equal(sent.state, 'rejected');
  assert.equal(sent.settled, 1);
  assert.ok(sent.value instanceof SendError);
  assert.deepEqual([sent.value.code, sent.value.clientRef], ['opted_out', 'c9']);
  sockets[0].drop(1006);
  env.advance(client.state.delay);
  welcome(sockets[1]);
  assert.deepEqual(sends(sockets[1]), []);
});

test('unavailable is retried with backoff and the same clientRef, up to sendRetries, then rejects', async () => {
  const { client, env, sockets } = harness({ since: 0, sendRetries: 2 });
  client.start();
  welcome(sockets[0]);
  const sent = watch(client.send({ to: '+15550001111', body: 'x', clientRef: 'r1' }));
  sockets[0].receive(server.error('unavailable', 'r1'));
  assert.equal(sends(sockets[0]).length, 1);
  env.advance(500);
  assert.deepEqual(sends(sockets[0]).map((f) => f.clientRef), ['r1', 'r1']);
  sockets[0].receive(server.error('unavailable', 'r1'));
  env.advance(1_000);
  assert.equal(sends(sockets[0]).length, 3);
  await settle();
  assert.equal(sent.state, 'pending');
  sockets[0].receive(server.error('unavailable', 'r1'));
  await settle();
  assert.equal(sent.state, 'rejected');
  assert.equal(sent.value.code, 'unavailable');
});

test('bad input is refused at once with a clear error and nothing is sent', async () => {
  const { client, sockets } = harness({ since: 0 });
  client.start();
  welcome(sockets[0]);
  const cases = [
    [{ to: '555', body: 'x' }, 'invalid_to'],
    [{ to: '+15550001111', body: 42 }, 'invalid_field'],
    [{ to: '+15550001111', body: 'x', media: 'https://a' }, 'invalid_field'],
    [{ to: '+15550001111', body: 'x', clientRef: '' }, 'invalid_field'],
  ];
  for (const [request, code] of cases) {
    await assert.rejects(client.send(request), (e) => e instanceof SendError && e.code === code && /\S/.test(e.message));
  }
  assert.deepEqual(sends(sockets[0]), []);
  assert.deepEqual(client.pendingSends, []);
});

test('the same clientRef twice is one send with one promise', () => {
  const { client, sockets } = harness({ since: 0 });
  client.start();
  welcome(sockets[0]);
  const a = client.send({ to: '+15550001111', body: 'x', clientRef: 'same' });
  const b = client.send({ to: '+15550001111', body: 'x', clientRef: 'same' });
  assert.equal(a, b);
  assert.equal(sends(sockets[0]).length, 1);
});

test('a clientRef is made when none is given, and an MMS carries its media', () => {
  const { client, sockets } = harness({ since: 0 });
  client.start();
  welcome(sockets[0]);
  client.send({ to: '+15550001111', body: '', media: ['https://example.org/a.png'] });
  const [frame] = sends(sockets[0]);
  assert.match(frame.clientRef, /^c-[0-9a-f]{32}$/);
  assert.deepEqual(frame.media, ['https://example.org/a.png']);
  assertFrame(schemas, frame);
});

test('stop rejects the unconfirmed sends with code stopped; abort rejects one', async () => {
  const { client, sockets } = harness({ since: 0 });
  client.start();
  welcome(sockets[0]);
  const abort = new AbortController();
  const aborted = watch(client.send({ to: '+15550001111', body: 'a', clientRef: 'a', signal: abort.signal }));
  const stopped = watch(client.send({ to: '+15550001111', body: 'b', clientRef: 'b' }));
  abort.abort();
  await settle();
  assert.deepEqual([aborted.state, aborted.value.code, stopped.state], ['rejected', 'aborted', 'pending']);
  client.stop();
  await settle();
  assert.deepEqual([stopped.state, stopped.value.code], ['rejected', 'stopped']);
  assert.match(stopped.value.message, /same clientRef/);
});
