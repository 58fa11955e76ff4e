// A MessagingClient over fake sockets and hand-run timers, and builders of the server's frames.

import { MessagingClient } from '../../src/client.js';
import { fakeEnv, fakeSockets } from './fakes.mjs';

export function harness(options = {}) {
  const env = fakeEnv();
  const { FakeSocket, sockets } = fakeSockets();
  const seen = { event: [], message: [], outbound: [], status: [], broadcast: [], error: [], reset: [], authexpired: [], state: [] };
  const client = new MessagingClient({
    url: 'http://server.test/', userId: 'alice', WebSocket: FakeSocket, env, ...options,
  });
  for (const type of Object.keys(seen)) {
    client.on(type, (value) => seen[type].push(value));
  }
  return { client, env, sockets, seen, last: () => sockets.at(-1) };
}

/** Opens the socket and says welcome, as the server does. */
export function welcome(socket, lastSeq = 0, resumeFrom = lastSeq + 1) {
  socket.open();
  socket.receive({ type: 'welcome', userId: 'alice', lastSeq, resumeFrom });
}

const at = '2026-11-23T18:00:00.000Z';

export const server = {
  message: (seq, body = `in ${seq}`) => ({ type: 'message', seq, id: `i${seq}`, from: '+15550001111', to: '+15550000000', body, media: [], at }),
  outbound: (seq, clientRef, body = 'out') => ({
    type: 'outbound', seq, id: `o${seq}`, ...(clientRef ? { clientRef } : {}), from: '+15550000000', to: '+15550001111', body, at,
    status: 'queued', encoding: 'GSM-7', segments: 1,
  }),
  status: (seq, id, status = 'delivered') => ({ type: 'status', seq, id, status, at }),
  broadcast: (seq) => ({ type: 'broadcast', seq, id: 'b1', total: 2, sent: 1, failed: 0, skipped: 1, cancelled: 0, at }),
  error: (code, clientRef) => ({ type: 'error', code, message: `refused: ${code}`, ...(clientRef ? { clientRef } : {}) }),
};

/** Lets promise callbacks run. */
export const settle = () => new Promise((resolve) => setImmediate(resolve));
