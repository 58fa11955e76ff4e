// node --test unit/   (SEGMENT_CASES=file.json adds the cases the server's SmsSegments measured)
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { test } from 'node:test';
// (The wire protocol's helpers, frames, parser, clientRefs and URLs, are the client library's: clients/js/test/unit.)
import {
  bodyProblem, isE164, isHttpsUrl, isValidUserId, laterStatus, measureSegments, mediaProblem, normalizeNumber, numberProblem, parseMedia,
} from '../../../src/MessagingServer/wwwroot/app/protocol.js';

test('E.164 is + and 8 to 15 digits', () => {
  for (const good of ['+12345678', '+15550001111', '+123456789012345']) {
    assert.ok(isE164(good), good);
  }
  for (const bad of ['', '+', '+1234567', '+1234567890123456', '15550001111', '+1555 000 1111', '+1555abc0000', '++15550001111']) {
    assert.ok(!isE164(bad), bad);
  }
});

test('a written number is normalized before it is checked', () => {
  assert.equal(normalizeNumber(' +1 (555) 000-1111 '), '+15550001111');
  assert.equal(normalizeNumber('+44 20.7946.0958'), '+442079460958');
  assert.equal(numberProblem('+15550001111'), null);
  assert.match(numberProblem('12345'), /E\.164/);
  assert.match(numberProblem(''), /number/);
});

test('user ids follow the server rules', () => {
  assert.ok(isValidUserId('alice'));
  assert.ok(isValidUserId('support.desk-1_@acme'));
  assert.ok(!isValidUserId(''));
  assert.ok(!isValidUserId('a'.repeat(65)));
  assert.ok(!isValidUserId('alice smith'));
  assert.ok(!isValidUserId('ålice'));
});

test('a body is 1 to 1600 characters and not only white space', () => {
  assert.match(bodyProblem(''), /Type a message/);
  assert.match(bodyProblem(' \n '), /Type a message/);
  assert.equal(bodyProblem('x'.repeat(1600)), null);
  assert.match(bodyProblem('x'.repeat(1601)), /1601 characters; the limit is 1600/);
});

test('segments follow GSM-7 160/153 and UCS-2 70/67', () => {
  const cases = [
    ['', 'GSM-7', 1, 0],
    ['a'.repeat(160), 'GSM-7', 1, 160],
    ['a'.repeat(161), 'GSM-7', 2, 161],
    ['a'.repeat(306), 'GSM-7', 2, 306],
    ['a'.repeat(307), 'GSM-7', 3, 307],
    ['€'.repeat(80), 'GSM-7', 1, 160],
    [`${'a'.repeat(159)}^`, 'GSM-7', 2, 161],
    ['ü£¥èΔ', 'GSM-7', 1, 5],
    ['é', 'GSM-7', 1, 1],
    ['ê', 'UCS-2', 1, 1],
    ['x'.repeat(70), 'GSM-7', 1, 70],
    [`${'x'.repeat(69)}😀`, 'UCS-2', 2, 71],
    ['😀'.repeat(35), 'UCS-2', 1, 70],
    ['Привет'.repeat(12), 'UCS-2', 2, 72],
    ['`', 'UCS-2', 1, 1],
  ];
  for (const [body, encoding, segments, units] of cases) {
    const m = measureSegments(body);
    assert.deepEqual([m.encoding, m.segments, m.units], [encoding, segments, units], JSON.stringify(body));
  }
});

test('segments agree with the server on the cases it measured', { skip: !process.env.SEGMENT_CASES && 'SEGMENT_CASES not set' }, () => {
  const cases = JSON.parse(readFileSync(process.env.SEGMENT_CASES, 'utf8'));
  assert.ok(cases.length > 10);
  for (const c of cases) {
    const m = measureSegments(c.body);
    assert.deepEqual({ encoding: m.encoding, segments: m.segments, units: m.units },
      { encoding: c.encoding, segments: c.segments, units: c.units }, JSON.stringify(c.body));
  }
});



test('status only moves forward', () => {
  assert.equal(laterStatus(null, 'queued'), 'queued');
  assert.equal(laterStatus('queued', 'sent'), 'sent');
  assert.equal(laterStatus('delivered', 'sent'), 'delivered');
  assert.equal(laterStatus('sent', 'failed'), 'failed');
  assert.equal(laterStatus('sending', 'queued'), 'queued');
});

test('media URLs are absolute https:// links of at most 2048 characters, at most 10 of them', () => {
  assert.ok(isHttpsUrl('https://img.test/a.png'));
  for (const bad of ['http://img.test/a.png', 'javascript:alert(1)', 'data:image/png;base64,AAAA', '//img.test/a.png', 'img.test/a.png', 'https://', '', null, 42,
    `https://img.test/${'a'.repeat(2040)}`]) {
    assert.ok(!isHttpsUrl(bad), String(bad).slice(0, 40));
  }
  assert.equal(mediaProblem([]), null);
  assert.equal(mediaProblem(Array.from({ length: 10 }, (_, i) => `https://img.test/${i}.png`)), null);
  assert.match(mediaProblem(Array.from({ length: 11 }, (_, i) => `https://img.test/${i}.png`)), /At most 10/);
  assert.match(mediaProblem(['https://img.test/a.png', 'http://img.test/b.png']), /https:\/\/ link: http:\/\/img\.test\/b\.png/);
  assert.match(mediaProblem([`https://img.test/${'a'.repeat(2040)}`]), /at most 2048 characters/);
  assert.match(mediaProblem(['<script>'.repeat(50)]), /^A media URL must be an https:\/\/ link: .{80}$/, 'a hostile value is cut short in the message');
});

test('the composer\'s media field is split on white space, duplicates kept for the server to judge', () => {
  assert.deepEqual(parseMedia(''), []);
  assert.deepEqual(parseMedia('  https://a.test/1.png\n https://a.test/x,y.png  https://a.test/1.png '), ['https://a.test/1.png', 'https://a.test/x,y.png', 'https://a.test/1.png']);
});

test('with media the body may be empty, never too long', () => {
  assert.equal(bodyProblem('', { hasMedia: true }), null);
  assert.match(bodyProblem('', { hasMedia: false }), /Type a message/);
  assert.match(bodyProblem('x'.repeat(1601), { hasMedia: true }), /limit is 1600/);
});
