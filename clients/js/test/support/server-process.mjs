// The real server as a child process for the end-to-end tests: the built MessagingServer.dll on a port of
// our choosing (the same one again after a kill -9), SQLite in a temp folder, the loopback SMS provider.

import { spawn } from 'node:child_process';
import { createHmac } from 'node:crypto';
import { existsSync } from 'node:fs';
import { createServer } from 'node:net';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

/** The signing key of the test servers (tests/MessagingServer.TestSupport/TestTokens.cs). */
export const SIGNING_KEY = 'messaging-server-end-to-end-tests-signing-key-0123456789';

const repo = join(dirname(fileURLToPath(import.meta.url)), '..', '..', '..', '..');

/** MESSAGING_SERVER_DLL, else the server's own build output; null when the server is not built. */
export function serverAssembly() {
  const candidates = [
    process.env.MESSAGING_SERVER_DLL,
    join(repo, 'src/MessagingServer/bin/Debug/net10.0/MessagingServer.dll'),
    join(repo, 'src/MessagingServer/bin/Release/net10.0/MessagingServer.dll'),
  ];
  return candidates.find((path) => path && existsSync(path)) ?? null;
}

/** A port the OS says is free now. */
export function freePort() {
  return new Promise((resolve, reject) => {
    const probe = createServer();
    probe.once('error', reject);
    probe.listen(0, '127.0.0.1', () => {
      const { port } = probe.address();
      probe.close(() => resolve(port));
    });
  });
}

/** An HS256 JWT for `userId`, as the server expects (sub, exp, iss, aud). */
export function mintToken(userId, { lifetimeSeconds = 600, key = SIGNING_KEY } = {}) {
  const part = (value) => Buffer.from(JSON.stringify(value)).toString('base64url');
  const now = Math.floor(Date.now() / 1000);
  const unsigned = `${part({ alg: 'HS256', typ: 'JWT' })}.${part({
    sub: userId, iss: 'messaging-server', aud: 'messaging-server', iat: now, nbf: now, exp: now + lifetimeSeconds,
  })}`;
  return `${unsigned}.${createHmac('sha256', key).update(unsigned).digest('base64url')}`;
}

/**
 * Starts the server and resolves once /health/ready answers 200 (or rejects with its output when it exits
 * or is not ready within `timeoutMs`).
 */
export async function startServer({ dll, port, dataFolder, env = {}, timeoutMs = 60_000 }) {
  const output = [];
  const child = spawn('dotnet', [dll, '--urls', `http://127.0.0.1:${port}`], {
    cwd: dirname(dll),
    stdio: ['ignore', 'pipe', 'pipe'],
    env: {
      ...process.env,
      ASPNETCORE_ENVIRONMENT: 'Testing',
      Auth__SigningKey: SIGNING_KEY,
      Persistence__SqlitePath: join(dataFolder, 'messaging.db'),
      Sms__Loopback__AutoReply: 'true',
      ...env,
    },
  });
  const exited = new Promise((resolve) => child.once('exit', (code, signal) => resolve({ code, signal })));
  for (const stream of [child.stdout, child.stderr]) {
    stream.setEncoding('utf8');
    stream.on('data', (text) => output.push(text));
  }
  const url = `http://127.0.0.1:${port}/`;
  const server = {
    url,
    pid: child.pid,
    output: () => output.join(''),
    /** kill -9: no shutdown hook runs, open sockets just break. */
    async kill() {
      if (child.exitCode === null && child.signalCode === null) {
        child.kill('SIGKILL');
      }
      return exited;
    },
  };
  const deadline = Date.now() + timeoutMs;
  let gone = null;
  exited.then((how) => { gone = how; });
  while (Date.now() < deadline) {
    if (gone) {
      throw new Error(`the server exited (${JSON.stringify(gone)}) before it was ready:\n${server.output()}`);
    }
    try {
      const response = await fetch(new URL('health/ready', url));
      if (response.status === 200) {
        return server;
      }
    } catch {
      // not listening yet
    }
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  await server.kill();
  throw new Error(`the server was not ready within ${timeoutMs} ms:\n${server.output()}`);
}

/** Resolves when `condition()` is true, checked after each `emitter` event (and now); rejects after `timeoutMs`. */
export function when(client, type, condition, timeoutMs, what) {
  return new Promise((resolve, reject) => {
    if (condition()) {
      resolve();
      return;
    }
    const timer = setTimeout(() => {
      off();
      reject(new Error(`timed out after ${timeoutMs} ms waiting for ${what}`));
    }, timeoutMs);
    const off = client.on(type, () => {
      if (condition()) {
        clearTimeout(timer);
        off();
        resolve();
      }
    });
  });
}
