import { describe, expect, it } from 'vitest';
import { scanTiming, type TimingOp } from '@/lib/tlog/timing';
import { createRng } from '../support/prng';

// lib/tlog/timing.ts scanTiming, the hand-written reader of the timing
// grammar, against the grammar written as a regular expression (what the
// decoder used before; docs/tlog-format.md, "The timing script"): the same
// records, numbers and offsets, and the same verdict on malformed scripts.

const RECORD = /[ \t\n\v\f\r]*(?:([+<>])(\d+)|([[\]])(\d+)\/(\d+)|=(\d+)x(\d+))/y;
const TRAILING_SPACE = /^[ \t\n\v\f\r]*$/;
const count = (digits: string | undefined) =>
  digits === undefined ? 0 : digits.length > 15 ? Infinity : Number(digits);

type Record = [op: TimingOp, a: number, b: number, offset: number];

function reference(
  script: string,
  stopAt = Infinity,
): { records: Record[]; result: number | null } {
  const records: Record[] = [];
  RECORD.lastIndex = 0;
  while (RECORD.lastIndex < script.length) {
    const start = RECORD.lastIndex;
    const m = RECORD.exec(script);
    if (!m) return { records, result: TRAILING_SPACE.test(script.slice(start)) ? null : start };
    const [, op, n, binOp, skip, bytes, cols, rows] = m;
    records.push(
      op !== undefined
        ? [op as TimingOp, count(n), 0, start]
        : binOp !== undefined
          ? [binOp as TimingOp, count(skip), count(bytes), start]
          : ['=', count(cols), count(rows), start],
    );
    if (records.length >= stopAt) return { records, result: null };
  }
  return { records, result: null };
}

function scanned(script: string, stopAt = Infinity) {
  const records: Record[] = [];
  const result = scanTiming(script, (op, a, b, offset) => {
    records.push([op, a, b, offset]);
    return records.length >= stopAt;
  });
  return { records, result };
}

const PIECES = [
  '+',
  '>',
  '<',
  '[',
  ']',
  '=',
  'x',
  '/',
  ' ',
  '\t',
  '\n',
  '\v',
  '\f',
  '\r',
  '\u00a0',
  '0',
  '7',
  '12',
  '65535',
  '9999999999999999',
  '123456789012345',
  'a',
  '-',
  '.',
  '１',
];

describe('scanTiming', () => {
  it('reads well-formed scripts record by record, with their offsets', () => {
    expect(scanned('+10>3 <2\n]1/4[0/0=80x24\t').records).toEqual([
      ['+', 10, 0, 0],
      ['>', 3, 0, 3],
      ['<', 2, 0, 5],
      [']', 1, 4, 8],
      ['[', 0, 0, 13],
      ['=', 80, 24, 17],
    ]);
    expect(scanned('').result).toBeNull();
    expect(scanned('  \n').result).toBeNull();
    expect(scanned('>1234567890123456').records).toEqual([['>', Infinity, 0, 0]]);
  });

  it('stops at the first malformed record, at the offset where it starts', () => {
    expect(scanned('>3 +x').result).toBe(2);
    expect(scanned('=80x').result).toBe(0);
    expect(scanned(']1-2').result).toBe(0);
    expect(scanned('+1\u00a0+2').result).toBe(2);
    expect(scanned('>3 stop', 1)).toEqual({ records: [['>', 3, 0, 0]], result: null });
  });

  it('agrees with the grammar as a regular expression on 20,000 random scripts', () => {
    const rng = createRng(0x71a1);
    for (let n = 0; n < 20_000; n++) {
      const good = rng.chance(0.5);
      let script = '';
      const parts = rng.int(0, 12);
      for (let i = 0; i < parts; i++) {
        if (good) {
          const op = rng.pick(['+', '>', '<', '[', ']', '=']);
          const num = () =>
            String(rng.chance(0.05) ? rng.pick(PIECES.slice(-8, -4)) : rng.int(0, 99999));
          const space = rng.chance(0.3) ? rng.pick([' ', '\n', '\t', '\r\n', '\f\v']) : '';
          script += `${space}${op}${num()}${op === '=' ? `x${num()}` : op === '[' || op === ']' ? `/${num()}` : ''}`;
        } else {
          script += rng.pick(PIECES);
        }
      }
      const stopAt = rng.chance(0.2) ? rng.int(1, 4) : Infinity;
      expect(scanned(script, stopAt), JSON.stringify(script)).toEqual(reference(script, stopAt));
    }
  });
});
