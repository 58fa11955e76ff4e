// What every browser scenario needs: Debian's Chromium in a fresh profile, a page that fails the
// scenario on any script error, and a line protocol to ask the test host (the xunit test that owns
// the server) to act: `@@harness {"id":1,"action":"inbound",...}` on stdout, `@@reply {"id":1,...}` on stdin.

import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { chromium } from 'playwright-core';

export const CHROMIUM = process.env.CHROMIUM_PATH || '/usr/bin/chromium';

const CHROMIUM_ARGS = [
  '--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run',
  '--disable-background-networking', '--disable-component-update', '--disable-sync',
];

/** A browser with a fresh profile (deleted on close); never one that Playwright downloads. */
export async function launchBrowser({ viewport = { width: 1200, height: 760 } } = {}) {
  const profile = await mkdtemp(join(tmpdir(), 'console-test-'));
  // launchPersistentContext is Playwright's way to pass --user-data-dir: a fresh one per run.
  const context = await chromium.launchPersistentContext(profile, {
    executablePath: CHROMIUM,
    headless: true,
    args: CHROMIUM_ARGS,
    viewport,
    locale: 'en-US',
    timezoneId: 'UTC',
  });
  return {
    context,
    async close() {
      await context.close().catch(() => {});
      await rm(profile, { recursive: true, force: true }).catch(() => {});
    },
  };
}

/** Lines from the page (console, errors) kept for the failure report; a page error fails the scenario. */
export function watchPage(page, log) {
  const errors = [];
  page.on('console', (m) => log(`[page console.${m.type()}] ${m.text()}`));
  page.on('pageerror', (e) => {
    errors.push(e);
    log(`[page exception] ${e.stack ?? e.message}`);
  });
  return {
    assertNoErrors() {
      if (errors.length > 0) {
        throw new Error(`the page threw: ${errors.map((e) => e.message).join('; ')}`);
      }
    },
  };
}

// ---- the line protocol with the test host, on stdin/stdout

const stdinHandlers = new Map(); // line prefix -> handler(json)
const stdinClosed = [];
let stdinLines = null;

function reader() {
  if (!stdinLines) {
    stdinLines = createInterface({ input: process.stdin });
    stdinLines.on('line', (line) => {
      for (const [prefix, handler] of stdinHandlers) {
        if (line.startsWith(`${prefix} `)) {
          handler(JSON.parse(line.slice(prefix.length + 1)));
          return;
        }
      }
    });
    stdinLines.on('close', () => stdinClosed.splice(0).forEach((f) => f()));
  }
}

/** Handles the host's lines that start with `prefix ` (their JSON payload). */
export function onHostLine(prefix, handler) {
  stdinHandlers.set(prefix, handler);
  reader();
}

/** Resolves when the host closes stdin. */
export function hostClosed() {
  reader();
  return new Promise((resolve) => stdinClosed.push(resolve));
}

export function tellHost(kind, payload) {
  process.stdout.write(`${kind} ${JSON.stringify(payload)}\n`);
}

let nextId = 1;
const waiting = new Map();

/** Asks the test host to do something (post an inbound SMS, stop or start the server) and waits for it. */
export function askHost(action, args = {}, timeoutMs = 20_000) {
  onHostLine('@@reply', (reply) => {
    const w = waiting.get(reply.id);
    if (w) {
      waiting.delete(reply.id);
      clearTimeout(w.timer);
      if (reply.error) {
        w.reject(new Error(`the host could not ${w.action}: ${reply.error}`));
      } else {
        w.resolve(reply.result ?? null);
      }
    }
  });
  const id = nextId++;
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => {
      waiting.delete(id);
      reject(new Error(`the test host did not answer '${action}' within ${timeoutMs} ms`));
    }, timeoutMs);
    waiting.set(id, { resolve, reject, timer, action });
    tellHost('@@harness', { id, action, ...args });
  });
}

export function closeHost() {
  stdinLines?.close();
}

export function assert(condition, message) {
  if (!condition) {
    throw new Error(`assertion failed: ${message}`);
  }
}

export function assertEqual(actual, expected, message) {
  const a = JSON.stringify(actual);
  const e = JSON.stringify(expected);
  if (a !== e) {
    throw new Error(`assertion failed: ${message}\n  expected: ${e}\n  actual:   ${a}`);
  }
}
