import assert from 'node:assert/strict';
import { test } from 'node:test';
import { frames } from '../../src/protocol.js';
import { assertFrame, loadSchemas, validate } from '../support/schema.mjs';

const schemas = loadSchemas();

test('there is one schema per frame type of the protocol', () => {
  assert.deepEqual([...schemas.keys()].sort(),
    ['ack', 'broadcast', 'error', 'message', 'outbound', 'ping', 'pong', 'send', 'status', 'welcome']);
  for (const [type, schema] of schemas) {
    assert.equal(schema.properties.type.const, type);
    assert.ok(schema.required.includes('type'), type);
  }
});

test('the frames the client builds validate', () => {
  assertFrame(schemas, JSON.parse(frames.send({ to: '+15550001111', body: 'hi', clientRef: 'c1' })));
  assertFrame(schemas, JSON.parse(frames.send({ to: '+15550001111', body: '', media: ['https://example.org/a.png'] })));
  assertFrame(schemas, JSON.parse(frames.ack(7)));
  assertFrame(schemas, JSON.parse(frames.ping()));
});

test('documented server frames validate', () => {
  for (const frame of [
    { type: 'welcome', userId: 'alice', lastSeq: 0, resumeFrom: 1 },
    { type: 'outbound', seq: 1, id: 'm1', clientRef: 'c1', from: '+15550000000', to: '+15550001111', body: 'Hello', at: '2026-11-23T18:00:00.000Z', status: 'queued', encoding: 'GSM-7', segments: 1 },
    { type: 'status', seq: 2, id: 'm1', status: 'failed', error: { code: '21610', message: 'opted out' }, at: '2026-11-23T18:00:00.004Z' },
    { type: 'message', seq: 3, id: 'm2', from: '+15550001111', to: '+15550000000', body: 'Yo', media: [], at: '2026-11-23T18:00:00.009Z' },
    { type: 'broadcast', seq: 4, id: 'b1', total: 3, sent: 1, failed: 0, skipped: 1, cancelled: 0, at: '2026-11-23T18:00:01.000Z' },
    { type: 'error', code: 'invalid_to', message: "'to' must be E.164", clientRef: 'c2' },
    { type: 'pong' },
  ]) {
    assertFrame(schemas, frame);
  }
});

test('the validator refuses what the schemas forbid', () => {
  const outbound = schemas.get('outbound');
  const good = { type: 'outbound', seq: 1, id: 'm1', from: '+1', to: '+15550001111', body: 'x', at: '2026-11-23T18:00:00.000Z', status: 'queued', encoding: 'GSM-7', segments: 1 };
  assert.deepEqual(validate(outbound, good), []);
  const cases = [
    [{ ...good, seq: 0 }, /below 1/],
    [{ ...good, seq: 1.5 }, /not of type integer/],
    [{ ...good, status: 'lost' }, /not one of/],
    [{ ...good, to: '5550001111' }, /does not match/],
    [{ ...good, at: '2026-11-23 18:00' }, /does not match/],
    [{ ...good, extra: true }, /'extra' is not in the schema/],
    [{ ...good, type: 'status' }, /must be "outbound"/],
    [(({ segments, ...rest }) => rest)(good), /'segments' is required/],
    [{ ...good, media: Array(11).fill('https://a') }, /more than 10/],
    [{ ...good, clientRef: '' }, /shorter than 1/],
  ];
  for (const [frame, problem] of cases) {
    assert.match(validate(outbound, frame).join('\n'), problem, JSON.stringify(frame));
  }
  assert.throws(() => assertFrame(schemas, { type: 'nope' }), /no schema/);
  assert.throws(() => validate({ oneOf: [] }, 1), /does not know the keyword/);
});
