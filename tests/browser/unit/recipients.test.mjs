import assert from 'node:assert/strict';
import { test } from 'node:test';
import { MAX_RECIPIENTS, MAX_TEXT_LENGTH, csvRows, parseCsv, parsePasted, recipientsSummary } from '../../../src/MessagingServer/wwwroot/app/csv.js';

test('pasted numbers: one per line, or separated by commas or semicolons, written numbers normalised, duplicates once', () => {
  const r = parsePasted('+1 (555) 000-1111\n+15550002222, +15550003333;+15550001111\r\n\n  ');
  assert.deepEqual(r.numbers, ['+15550001111', '+15550002222', '+15550003333']);
  assert.equal(r.duplicates, 1);
  assert.equal(r.problem, null);
  assert.equal(recipientsSummary(r), '3 numbers read, 1 duplicate dropped');
});

test('a pasted list with a bad number is refused as a whole and names the line', () => {
  const r = parsePasted('+15550001111\n5550002222\n+1555abc, +15550003333\n<script>alert(1)</script>');
  assert.deepEqual(r.rejected, [{ line: 2, text: '5550002222' }, { line: 3, text: '+1555abc' }, { line: 4, text: '<script>alert(1)</script>' }]);
  assert.match(r.problem, /^3 lines are not an E\.164 number.*nothing was sent/);
});

test('an empty paste or file is refused', () => {
  assert.equal(parsePasted(' \n ,; ').problem, 'Paste at least one number.');
  assert.equal(parseCsv('').problem, 'The file has no numbers.');
  assert.equal(parseCsv('name,phone\n').problem, 'The file has no numbers.');
});

test('a CSV file: the first E.164 cell of each row, a header row skipped, quotes and a BOM understood', () => {
  const csv = '\uFEFFname;phone;note\r\n"Smith, Ann";+15550001111;call\n12;"+1 555 000 2222";x\n\nBob,,+15550003333\n';
  const r = parseCsv(csv);
  assert.deepEqual(r.numbers, ['+15550001111', '+15550002222', '+15550003333']);
  assert.equal(r.header, true);
  assert.equal(r.problem, null);
  assert.equal(recipientsSummary(r), '3 numbers read, header row skipped');
});

test('a CSV row without a number is rejected with its line; only a first row without digits counts as a header', () => {
  const r = parseCsv('Alice,555-1234\n+15550001111\n"multi\nline",x\nname,phone');
  assert.equal(r.header, false);
  assert.deepEqual(r.rejected.map((x) => x.line), [1, 3, 5]);
  assert.ok(r.problem);
});

test('csvRows keeps quoted separators, doubled quotes and line breaks inside quotes', () => {
  assert.deepEqual([...csvRows('a,"b,""c""\nd"\r\ne\tf')], [{ line: 1, cells: ['a', 'b,"c"\nd'] }, { line: 3, cells: ['e', 'f'] }]);
  assert.deepEqual([...csvRows('"unterminated,+15550001111')], [{ line: 1, cells: ['unterminated,+15550001111'] }]);
});

test('more than the server takes is refused; exactly the limit is fine', () => {
  const numbers = (n) => Array.from({ length: n }, (_, i) => `+1555${String(i).padStart(7, '0')}`);
  assert.equal(parseCsv(numbers(MAX_RECIPIENTS).join('\n')).problem, null);
  const over = parseCsv(numbers(MAX_RECIPIENTS + 1).join('\n'));
  assert.equal(over.numbers.length, MAX_RECIPIENTS + 1);
  assert.match(over.problem, /10,001 numbers; a broadcast takes at most 10,000/);
});

test('an oversized text is not parsed at all', () => {
  const r = parsePasted('+15550001111\n'.repeat(Math.ceil(MAX_TEXT_LENGTH / 13) + 1));
  assert.deepEqual(r.numbers, []);
  assert.match(r.problem, /at most 2 MB/);
  assert.match(parseCsv('x'.repeat(MAX_TEXT_LENGTH + 1)).problem, /at most 2 MB/);
});

test('a very long rejected line is shown cut short', () => {
  const r = parsePasted('y'.repeat(5000));
  assert.equal(r.rejected[0].text.length, 41);
});
