// End to end against the real server process: a conversation, kill -9 in the middle of it, a restart on the
// same port, and the client's promise that nothing is lost, nothing is doubled and every send settles once.

import assert from 'node:assert/strict';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { WebSocket } from 'ws';
import { MessagingClient } from '../../src/index.js';
import { assertFrame, loadSchemas } from '../support/schema.mjs';
import { freePort, mintToken, serverAssembly, startServer, when } from '../support/server-process.mjs';

const schemas = loadSchemas();
const dll = serverAssembly();
const TIMEOUT = 60_000;

test('kill -9 and a restart mid-conversation: nothing lost, nothing doubled, every send settles once', { skip: dll ? false : 'the server is not built (dotnet build, or set MESSAGING_SERVER_DLL)', timeout: 180_000 }, async (t) => {
  const dataFolder = await mkdtemp(join(tmpdir(), 'client-e2e-'));
  const port = await freePort();
  let server = await startServer({ dll, port, dataFolder });
  t.after(async () => {
    await server.kill();
    await rm(dataFolder, { recursive: true, force: true });
  });

  let tokensIssued = 0;
  const client = new MessagingClient({
    url: server.url,
    userId: 'alice',
    token: async () => {
      tokensIssued++;
      return mintToken('alice');
    },
    WebSocket,
    since: 0,
    ackDelay: 50,
    backoff: { base: 100, cap: 1_000 }, // find the restarted server soon
  });
  const events = [];
  const welcomes = [];
  client.on('event', (e) => events.push(e));
  client.on('welcome', (w) => welcomes.push(w));
  client.start();
  t.after(() => client.stop());

  const settledCount = new Map();
  const outcomes = new Map();
  const send = (i) => {
    const clientRef = `r${i}`;
    return client.send({ to: `+1555000${String(1000 + i)}`, body: `m${i}`, clientRef }).then(
      (outbound) => {
        settledCount.set(clientRef, (settledCount.get(clientRef) ?? 0) + 1);
        outcomes.set(clientRef, outbound);
      },
      (error) => {
        settledCount.set(clientRef, (settledCount.get(clientRef) ?? 0) + 1);
        outcomes.set(clientRef, error);
      });
  };
  const range = (from, to) => Array.from({ length: to - from }, (_, k) => from + k);

  // A first batch, all the way through.
  await Promise.all(range(0, 8).map(send));
  // A second batch, and the server killed as soon as the first of it is stored: the rest is in flight or unsent.
  const second = range(8, 20).map(send);
  await when(client, 'event', () => events.some((e) => e.type === 'outbound' && e.clientRef === 'r8'), TIMEOUT, 'the first send of the second batch');
  await server.kill();
  // Sends made while the server is down wait for it.
  const third = range(20, 25).map(send);
  server = await startServer({ dll, port, dataFolder });
  await Promise.race([
    Promise.all([...second, ...third]),
    new Promise((_, reject) => setTimeout(() => reject(new Error(`sends still pending: ${client.pendingSends.map((p) => p.clientRef)}`)), TIMEOUT).unref()),
  ]);

  // A barrier: once its auto-reply is here, everything stored before it has been streamed too.
  await client.send({ to: '+15550009999', body: 'barrier', clientRef: 'barrier' });
  await when(client, 'event', () => events.some((e) => e.type === 'message' && e.body === 'Auto-reply: barrier'), TIMEOUT, 'the barrier\'s auto-reply');

  const history = [];
  for await (const e of client.api.events({ since: 0, pageSize: 50 })) {
    history.push(e);
  }
  await when(client, 'event', () => client.position >= history.at(-1).seq, TIMEOUT, `the client to reach seq ${history.at(-1).seq}`);

  // Nothing lost, nothing doubled, in order: the client got exactly the stored events, 1..n, once each.
  assert.deepEqual(events.map((e) => e.seq), range(1, events.length + 1));
  assert.deepEqual(events.slice(0, history.length), history);
  for (const frame of [...events, ...welcomes]) {
    assertFrame(schemas, frame);
  }

  // Every send settled once, with its one stored outbound event.
  for (const i of range(0, 25)) {
    const clientRef = `r${i}`;
    assert.equal(settledCount.get(clientRef), 1, `${clientRef} settled ${settledCount.get(clientRef)} times`);
    const outcome = outcomes.get(clientRef);
    assert.ok(!(outcome instanceof Error), `${clientRef} was refused: ${outcome?.code} ${outcome?.message}`);
    const stored = history.filter((e) => e.type === 'outbound' && e.clientRef === clientRef);
    assert.equal(stored.length, 1, `${clientRef} is stored ${stored.length} times`);
    assert.equal(outcome.id, stored[0].id);
    assert.equal(outcome.body, `m${i}`);
    // The SMS went out at most once: never two auto-replies to one send.
    assert.ok(history.filter((e) => e.type === 'message' && e.body === `Auto-reply: m${i}`).length <= 1, `m${i} was answered twice`);
  }
  assert.deepEqual(client.pendingSends, []);
  // A fresh token on every connect: the first one and the one after the restart at least.
  assert.ok(tokensIssued >= 2, `${tokensIssued} tokens issued`);
  assert.ok(welcomes.length >= 2, `${welcomes.length} welcomes`);
  assert.equal(client.state.name, 'live');
});
