// The pure protocol helpers (frames, the parser, clientRefs, URLs): moved here from the console's own copies.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { baseUrl, frames, isEvent, newClientRef, parseFrame, socketUrl } from '../../src/index.js';

test('a clientRef is fresh each time, carries its prefix and stays within the 128-character limit', () => {
  const refs = new Set(Array.from({ length: 1000 }, () => newClientRef('web')));
  assert.equal(refs.size, 1000);
  for (const ref of refs) {
    assert.match(ref, /^web-[0-9a-f]{32}$/);
  }
  assert.match(newClientRef(), /^c-[0-9a-f]{32}$/);
});

test('frames are the protocol\'s JSON, media only when there is some', () => {
  assert.deepEqual(JSON.parse(frames.send({ to: '+15550001111', body: 'hi', clientRef: 'r1' })), { type: 'send', to: '+15550001111', body: 'hi', clientRef: 'r1' });
  assert.deepEqual(JSON.parse(frames.send({ to: '+15550001111', body: '', media: [], clientRef: 'r1' })), { type: 'send', to: '+15550001111', body: '', clientRef: 'r1' });
  assert.deepEqual(JSON.parse(frames.send({ to: '+15550001111', body: '', media: ['https://x.test/a.png'] })).media, ['https://x.test/a.png']);
  assert.deepEqual(JSON.parse(frames.ack(7)), { type: 'ack', seq: 7 });
  assert.deepEqual(JSON.parse(frames.ping()), { type: 'ping' });
});

test('the parser keeps objects with a string type and refuses everything else', () => {
  assert.equal(parseFrame('{"type":"pong"}').type, 'pong');
  for (const bad of ['', 'nope', '[]', '42', 'null', '{"seq":1}', '{"type":7}', '"type"', '{"type":"x"']) {
    assert.equal(parseFrame(bad), null, bad);
  }
  assert.equal(parseFrame('{"type":"message","type":"welcome"}').type, 'welcome', 'a repeated key: the last one wins, as in JSON.parse');
});

test('only the stored event types with a positive integer seq are events', () => {
  for (const type of ['message', 'outbound', 'status', 'broadcast']) {
    assert.ok(isEvent({ type, seq: 1 }), type);
  }
  for (const bad of [{ type: 'welcome', seq: 1 }, { type: 'status', seq: 0 }, { type: 'message', seq: 1.5 }, { type: 'message', seq: '1' }, { type: 'message' }, null]) {
    assert.ok(!isEvent(bad), JSON.stringify(bad));
  }
});

test('the socket URL is relative to the page and carries since and the token only when given', () => {
  assert.equal(socketUrl(baseUrl('../', 'http://localhost:8080/app/'), 'alice'), 'ws://localhost:8080/message/alice');
  assert.equal(socketUrl(baseUrl('../', 'https://example.test/base/app/#x'), 'a@b', { since: 12, token: 't.k' }),
    'wss://example.test/base/message/a%40b?since=12&access_token=t.k');
  assert.equal(socketUrl(baseUrl('../', 'http://h/app/index.html?x=1'), 'bob', { since: 0, token: '' }), 'ws://h/message/bob?since=0');
});
