// A broadcast's recipients from what the user gave: pasted numbers (one per line, or separated by commas or
// semicolons) or a CSV file (per row, the first cell that is an E.164 number; a header row is skipped).
// Every line that holds no valid number is reported, and a list with any such line, no number at all or
// more than the server takes is refused as a whole: the console never sends part of a list.
// Pure functions: no DOM, so Node can test them.

import { isE164, normalizeNumber } from './protocol.js';

/** The most recipients one broadcast takes (the server's limit, docs/protocol.md). */
export const MAX_RECIPIENTS = 10_000;

/** The most text the console reads for one list (a file or a paste), in characters. */
export const MAX_TEXT_LENGTH = 2 * 1024 * 1024;

/** A rejected line is shown with at most this many characters. */
const SHOWN = 40;

/**
 * @typedef {{ numbers: string[], duplicates: number, rejected: Array<{ line: number, text: string }>,
 *   header: boolean, problem: string | null }} Recipients
 */

/** Pasted numbers: one per line, or several on a line separated by `,` or `;`. */
export function parsePasted(text) {
  const source = String(text ?? '');
  if (source.length > MAX_TEXT_LENGTH) {
    return tooLarge(source.length);
  }
  const list = collector();
  source.split(/\r\n|\r|\n/).forEach((line, i) => {
    for (const part of line.split(/[,;]/)) {
      if (part.trim() !== '') {
        list.add(i + 1, part);
      }
    }
  });
  return list.done('Paste at least one number.');
}

/** A CSV file's text: per row the first cell that is an E.164 number; a first row without digits is a header. */
export function parseCsv(text) {
  const source = String(text ?? '').replace(/^\uFEFF/, '');
  if (source.length > MAX_TEXT_LENGTH) {
    return tooLarge(source.length);
  }
  const list = collector();
  let first = true;
  for (const { line, cells } of csvRows(source)) {
    if (cells.every((c) => c.trim() === '')) {
      continue;
    }
    const number = cells.map(normalizeNumber).find(isE164);
    if (number) {
      list.add(line, number);
    } else if (first && !cells.some((c) => /[0-9]/.test(c))) {
      list.header = true;
    } else {
      list.add(line, cells.join(','));
    }
    first = false;
  }
  return list.done('The file has no numbers.');
}

/** The rows of a CSV text with the line each starts on; `,` `;` and tab separate cells, `"` quotes ("" is a quote). */
export function* csvRows(text) {
  let cells = [];
  let cell = '';
  let quoted = false;
  let line = 1;
  let start = 1;
  for (let i = 0; i < text.length; i++) {
    const c = text[i];
    if (quoted) {
      if (c === '"' && text[i + 1] === '"') {
        cell += '"';
        i++;
      } else if (c === '"') {
        quoted = false;
      } else {
        line += c === '\n' ? 1 : 0;
        cell += c;
      }
    } else if (c === '"' && cell.trim() === '') {
      quoted = true;
      cell = '';
    } else if (c === ',' || c === ';' || c === '\t') {
      cells.push(cell);
      cell = '';
    } else if (c === '\n' || c === '\r') {
      if (c === '\r' && text[i + 1] === '\n') {
        i++;
      }
      cells.push(cell);
      yield { line: start, cells };
      cells = [];
      cell = '';
      line++;
      start = line;
    } else {
      cell += c;
    }
  }
  if (cell !== '' || cells.length > 0) {
    cells.push(cell);
    yield { line: start, cells };
  }
}

/** What the summary under the form says about a parsed list. */
export function recipientsSummary(r) {
  const parts = [`${count(r.numbers.length, 'number')} read`];
  if (r.duplicates > 0) {
    parts.push(`${count(r.duplicates, 'duplicate')} dropped`);
  }
  if (r.header) {
    parts.push('header row skipped');
  }
  if (r.rejected.length > 0) {
    parts.push(`${count(r.rejected.length, 'line')} rejected`);
  }
  return parts.join(', ');
}

function collector() {
  const seen = new Set();
  const numbers = [];
  const rejected = [];
  let duplicates = 0;
  return {
    header: false,
    add(line, text) {
      const number = normalizeNumber(text);
      if (!isE164(number)) {
        const shown = text.trim();
        rejected.push({ line, text: shown.length > SHOWN ? `${shown.slice(0, SHOWN)}…` : shown });
      } else if (seen.has(number)) {
        duplicates++;
      } else {
        seen.add(number);
        numbers.push(number);
      }
    },
    done(emptyProblem) {
      let problem = null;
      if (rejected.length > 0) {
        problem = `${count(rejected.length, 'line')} ${rejected.length === 1 ? 'is' : 'are'} not an E.164 number (+ and 8 to 15 digits): fix or remove ${rejected.length === 1 ? 'it' : 'them'}; nothing was sent.`;
      } else if (numbers.length === 0) {
        problem = emptyProblem;
      } else if (numbers.length > MAX_RECIPIENTS) {
        problem = `The list has ${numbers.length.toLocaleString('en-US')} numbers; a broadcast takes at most ${MAX_RECIPIENTS.toLocaleString('en-US')}. Nothing was sent.`;
      }
      return { numbers, duplicates, rejected, header: this.header, problem };
    },
  };
}

function tooLarge(length) {
  return {
    numbers: [], duplicates: 0, rejected: [], header: false,
    problem: `The list is ${(length / 1024 / 1024).toFixed(1)} MB; the console reads at most ${MAX_TEXT_LENGTH / 1024 / 1024} MB. Nothing was sent.`,
  };
}

function count(n, word) {
  return `${n.toLocaleString('en-US')} ${word}${n === 1 ? '' : 's'}`;
}
