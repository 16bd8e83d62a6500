// Damage inside messages: flipped bytes, mangled timing, out-of-range
// numbers, wrong types, foreign recordings, text that no longer fits.

import { MAX_DELAY_MS } from '@/lib/tlog';
import { idOf, parse, shuffle, type Mutator } from './corrupt-core';
import type { Rng } from './prng';
import { hasProblemFor } from './timeline-checks';

const TIMING_CHARS = [...'+<>[]=x/0123456789 \t\n?-.eé😀'];
const HUGE = [
  '9007199254740992',
  '9007199254740993',
  '1e20',
  '1e308',
  '1e400',
  '-1',
  '0.5',
  '-0',
  '4294967296',
  String(MAX_DELAY_MS),
  String(MAX_DELAY_MS + 1),
  '99999999999999999999999',
];
const WRONG = [
  null,
  true,
  false,
  'str',
  '',
  1,
  0,
  1.5,
  -3,
  [],
  {},
  [1, 'a'],
  [256],
  ['1'],
  { a: 1 },
];

/** Whether `value` is acceptable for `field` (so a validation error is not owed). */
function fieldOk(field: string, value: unknown): boolean {
  const count = (v: unknown) => typeof v === 'number' && Number.isSafeInteger(v) && v >= 0;
  switch (field) {
    case 'ver':
      return (
        (typeof value === 'string' &&
          /^\d{1,6}(\.\d{1,6})?$/.test(value) &&
          Number(value.split('.')[0]) <= 2) ||
        (typeof value === 'number' && Number.isInteger(value) && value >= 0 && value <= 2)
      );
    case 'host':
    case 'user':
    case 'term':
    case 'timing':
      return typeof value === 'string';
    case 'session':
    case 'id':
      return count(value);
    case 'pos':
      return count(value) && Number(value) <= MAX_DELAY_MS;
    case 'in_bin':
    case 'out_bin':
      return Array.isArray(value) && value.every((b) => Number.isInteger(b) && b >= 0 && b <= 255);
    case 'rec':
      return value === undefined || (typeof value === 'string' && value !== '');
    case 'time':
      return value === undefined || (typeof value === 'number' && Number.isFinite(value));
    default:
      return value === undefined || typeof value === 'string';
  }
}

function mangleTiming(timing: string, rng: Rng): string {
  const at = rng.int(0, timing.length);
  switch (rng.int(0, 7)) {
    case 0:
      return timing.slice(0, at) + rng.pick(TIMING_CHARS) + timing.slice(at);
    case 1:
      return timing.slice(0, at) + timing.slice(Math.min(timing.length, at + rng.int(1, 8)));
    case 2:
      return timing.replace(/\d+/g, (n) => (rng.chance(0.2) ? String(rng.int(0, 1000)) : n));
    case 3:
      return timing.replace(/\d+/, () =>
        rng.pick(['0', '99999999999999999999', '2147483648000', '65536', '4294967295']),
      );
    case 4:
      return timing.replace(/[<>[\]=+]/g, (c) =>
        rng.chance(0.2) ? rng.pick(['<', '>', '[', ']', '=', '+']) : c,
      );
    case 5:
      return Array.from({ length: rng.int(0, 40) }, () => rng.pick(TIMING_CHARS)).join('');
    case 6:
      return timing + timing;
    default:
      return '';
  }
}

/** Replaces one field's JSON text by raw text (to write 1e400, which JSON.stringify cannot). */
function withRawField(line: string, field: string, raw: string): string {
  const object = parse(line);
  object[field] = '__RAW__';
  return JSON.stringify(object).replace('"__RAW__"', raw);
}

export const FIELD_MUTATORS: Record<string, Mutator> = {
  'flip-bytes': (lines, rng) => {
    const out = [...lines];
    const i = rng.int(0, out.length - 1);
    const bytes = Buffer.from(out[i] ?? '');
    for (let k = rng.int(1, 4); k > 0; k--) bytes[rng.int(0, bytes.length - 1)] = rng.int(0, 255);
    out[i] = bytes.toString('utf8');
    return { lines: out };
  },
  'mangle-timing': (lines, rng) => {
    const out = [...lines];
    const i = rng.int(0, out.length - 1);
    const object = parse(out[i] ?? '{}');
    object.timing = mangleTiming(String(object.timing), rng);
    out[i] = JSON.stringify(object);
    return { lines: out };
  },
  'huge-numbers': (lines, rng) => {
    const out = [...lines];
    const i = rng.int(0, out.length - 1);
    const line = out[i] ?? '{}';
    const id = idOf(line);
    if (rng.chance(0.3)) {
      const object = parse(line);
      object.timing = String(object.timing).replace(/\d+/, '99999999999999999999');
      out[i] = JSON.stringify(object);
      const changed = out[i] !== line;
      return {
        lines: out,
        expect: (d) =>
          !changed || hasProblemFor(d.timeline, id) ? null : 'huge count not reported',
      };
    }
    const field = rng.pick(['id', 'pos', 'session', 'time']);
    const raw = rng.pick(HUGE);
    out[i] = withRawField(line, field, raw);
    const value: unknown = JSON.parse(raw);
    return {
      lines: out,
      expect: (d) =>
        fieldOk(field, value) || d.errors.length === 1 ? null : `${field}=${raw} not refused`,
    };
  },
  'wrong-types': (lines, rng) => {
    const out = [...lines];
    const i = rng.int(0, out.length - 1);
    const object = parse(out[i] ?? '{}');
    const field = rng.pick([
      'ver',
      'host',
      'rec',
      'user',
      'term',
      'session',
      'id',
      'pos',
      'time',
      'timing',
      'in_txt',
      'in_bin',
      'out_txt',
      'out_bin',
    ]);
    const value = rng.chance(0.3) ? undefined : rng.pick(WRONG);
    if (value === undefined) delete object[field];
    else object[field] = value;
    out[i] = JSON.stringify(object);
    const required = !['rec', 'time', 'in_txt', 'out_txt'].includes(field);
    const ok = value === undefined ? !required : fieldOk(field, value);
    return {
      lines: out,
      expect: (d) =>
        ok || d.errors.length === 1 ? null : `${field}=${JSON.stringify(value)} not refused`,
    };
  },
  'mix-recordings': (lines, rng) => {
    const out = [...lines];
    const k = rng.int(1, Math.max(1, Math.floor((out.length - 1) / 2)));
    if (out.length < 3) return { lines: out };
    const changed = new Set<number>();
    for (const i of shuffle([...out.keys()], rng).slice(0, k)) {
      const object = parse(out[i] ?? '{}');
      if (rng.chance(0.2)) delete object.rec;
      else object.rec = 'another-recording';
      changed.add(Number(object.id));
      out[i] = JSON.stringify(object);
    }
    return {
      lines: out,
      expect: (d) => {
        const reported = d.timeline.problems.filter((p) =>
          p.error.includes('another recording'),
        ).length;
        return reported === changed.size
          ? null
          : `${reported} foreign messages reported for ${changed.size}`;
      },
    };
  },
  'text-mismatch': (lines, rng) => {
    const out = [...lines];
    const i = rng.int(0, out.length - 1);
    const object = parse(out[i] ?? '{}');
    const field = rng.pick(['out_txt', 'in_txt', 'out_bin', 'in_bin']);
    const current = object[field];
    if (typeof current === 'string') {
      const chars = Array.from(current);
      if (chars.length > 0 && rng.chance(0.5)) chars.splice(rng.int(0, chars.length - 1), 1);
      else chars.splice(rng.int(0, chars.length), 0, rng.pick(['x', 'é', '😀', '\uFFFD']));
      object[field] = chars.join('');
    } else if (Array.isArray(current)) {
      if (current.length > 0 && rng.chance(0.5)) current.splice(rng.int(0, current.length - 1), 1);
      else current.splice(rng.int(0, current.length), 0, rng.int(0, 255));
    } else {
      object[field] = 'x';
    }
    out[i] = JSON.stringify(object);
    const id = Number(object.id);
    return {
      lines: out,
      expect: (d) =>
        hasProblemFor(d.timeline, id) ? null : `${field} of ${id} changed, not reported`,
    };
  },
};
