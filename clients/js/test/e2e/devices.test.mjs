// End to end against the real server process: devices that resume from the user's ack or from the start.

import assert from 'node:assert/strict';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { WebSocket } from 'ws';
import { MessagingClient } from '../../src/index.js';
import { freePort, mintToken, serverAssembly, startServer, when } from '../support/server-process.mjs';

const dll = serverAssembly();
const TIMEOUT = 60_000;

test('a second device that starts from nothing gets the same events, and the ack it sends moves the server cursor', { skip: dll ? false : 'the server is not built', timeout: 120_000 }, async (t) => {
  const dataFolder = await mkdtemp(join(tmpdir(), 'client-e2e-'));
  const server = await startServer({ dll, port: await freePort(), dataFolder });
  t.after(async () => {
    await server.kill();
    await rm(dataFolder, { recursive: true, force: true });
  });
  const make = (options) => new MessagingClient({ url: server.url, userId: 'bob', token: mintToken('bob'), WebSocket, ackDelay: 20, ...options });

  const first = make({ since: 0 });
  const firstEvents = [];
  first.on('event', (e) => firstEvents.push(e));
  first.start();
  t.after(() => first.stop());
  await first.send({ to: '+15550002222', body: 'one', clientRef: 'b1' });
  await when(first, 'event', () => firstEvents.some((e) => e.body === 'Auto-reply: one'), TIMEOUT, 'the auto-reply');
  const upTo = first.position;

  // Without since, a device resumes after the user's ack: everything the first device handled is not replayed.
  const ackArrived = await (async () => {
    for (const _ of range(50)) {
      const rows = await first.conversations();
      if (rows[0]?.unreadCount === 0) {
        return true;
      }
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
    return false;
  })();
  assert.ok(ackArrived, 'the ack reached the server');
  const second = make({});
  const welcomes = [];
  second.on('welcome', (w) => welcomes.push(w));
  const secondEvents = [];
  second.on('event', (e) => secondEvents.push(e));
  second.start();
  t.after(() => second.stop());
  await when(second, 'welcome', () => welcomes.length > 0, TIMEOUT, 'the welcome');
  assert.equal(second.position, welcomes[0].resumeFrom - 1);
  assert.ok(second.position >= 1 && second.position <= upTo, `resumed at ${second.position}`);

  const third = make({ since: 0 });
  const thirdEvents = [];
  third.on('event', (e) => thirdEvents.push(e));
  third.start();
  t.after(() => third.stop());
  await when(third, 'event', () => third.position >= upTo, TIMEOUT, 'the replay');
  assert.deepEqual(thirdEvents.slice(0, firstEvents.length), firstEvents);
});

function range(n) {
  return Array.from({ length: n }, (_, i) => i);
}
