// Property tests for lib/tlog, seeded so that any failure replays.
//
// 1. Round trip: random sessions (text with astral emoji, combining marks,
//    JSON-special characters, invalid and truncated UTF-8, characters split
//    across reads, delays from 0 to days, window sizes from 0x0 to
//    65535x65535) are encoded the way tlog's writer does
//    (tests/support/tlog-encoder.ts) and decoded: same bytes, times, sizes.
// 2. Corruption: real fixtures damaged in each way of tests/support/corrupt.ts
//    never make the public API throw or hang, always give a timeline a player
//    can use, and the damage is reported where it can be detected.

import { describe, expect, it } from 'vitest';
import { assembleTimeline, parseMessageLine, type Timeline } from '@/lib/tlog';
import { MUTATORS } from '../support/corrupt';
import { fixtureLines, fixtureNames } from '../support/fixtures';
import { createRng } from '../support/prng';
import { expectedStream, expectedWindows, randomSession } from '../support/random-session';
import { decodeAll, decodedViolations, type Decoded } from '../support/timeline-checks';
import { encodeRecording, type Packet } from '../support/tlog-encoder';

/** AUDITTY_FUZZ_SCALE=10 runs ten times the cases (e.g. nightly); 1 keeps the suite quick. */
const SCALE = Math.max(1, Number(process.env.AUDITTY_FUZZ_SCALE) || 1);
const ROUND_TRIPS = 600 * SCALE;
const CASES_PER_CLASS = 100 * SCALE;
const COMBINED_CASES = 500 * SCALE;
/** Far above what any case needs (~1 ms): a case this slow is a runaway loop. */
const CASE_BUDGET_MS = 1000;

/** Checks one stream of a decoded timeline against what went in. */
function streamViolations(
  timeline: Timeline,
  packets: Packet[],
  kind: 'output' | 'input',
): string[] {
  const want = expectedStream(packets, kind);
  const bytes: number[] = [];
  const times: number[] = [];
  for (const e of timeline.events) {
    if (e.kind !== kind) continue;
    for (const b of e.data) {
      bytes.push(b);
      times.push(e.t);
    }
  }
  if (!Buffer.from(bytes).equals(Buffer.from(want.bytes))) return [`${kind} bytes differ`];
  for (let i = 0; i < times.length; i++) {
    const t = times[i] ?? NaN;
    if (!(t >= (want.lo[i] ?? NaN) && t <= (want.hi[i] ?? NaN))) {
      return [`${kind} byte ${i} at ${t} ms, expected ${want.lo[i]}..${want.hi[i]}`];
    }
  }
  return [];
}

function roundTripViolations(packets: Packet[], lines: string[], startMs: number): string[] {
  const messages = [];
  for (const line of lines) {
    const parsed = parseMessageLine(line);
    if (!parsed.ok) return [`encoded line refused: ${parsed.error}`];
    messages.push(parsed.value);
  }
  const timeline = assembleTimeline(messages);
  const v = decodedViolations({ errors: [], messages, timeline, streamed: timeline });
  if (timeline.problems.length > 0) v.push(`problem: ${timeline.problems[0]?.error}`);
  if (timeline.gaps.length > 0 || timeline.duplicates > 0)
    v.push('gaps or duplicates in a whole recording');
  if (timeline.messages !== lines.length)
    v.push(`${timeline.messages} of ${lines.length} messages kept`);
  v.push(
    ...streamViolations(timeline, packets, 'output'),
    ...streamViolations(timeline, packets, 'input'),
  );
  const windows = JSON.stringify(timeline.windows);
  if (windows !== JSON.stringify(expectedWindows(packets))) v.push(`windows ${windows}`);
  if (lines.length > 0 && timeline.startMs !== startMs)
    v.push(`start ${timeline.startMs}, expected ${startMs}`);
  const inputBytes = expectedStream(packets, 'input').bytes.length;
  if (timeline.hasInput !== inputBytes > 0) v.push(`hasInput ${timeline.hasInput}`);
  const lastT = timeline.events.reduce((max, e) => Math.max(max, e.t), 0);
  if (timeline.durationMs !== lastT)
    v.push(`duration ${timeline.durationMs}, last event at ${lastT}`);
  return v;
}

describe('random recordings round-trip through the tlog encoding', () => {
  it(
    `${ROUND_TRIPS} sessions: encode, decode, same bytes, times and window sizes`,
    () => {
      const failures: string[] = [];
      let messages = 0;
      for (let seed = 1; seed <= ROUND_TRIPS && failures.length < 5; seed++) {
        const rng = createRng(seed);
        const packets = randomSession(rng, { maxBursts: rng.chance(0.05) ? 300 : 30 });
        const cutAfter = new Set(packets.flatMap((_, i) => (rng.chance(0.1) ? [i] : [])));
        const startMs = rng.int(0, 2_000_000_000) * 1000 + rng.int(0, 999);
        const lines = encodeRecording(packets, {
          payload: rng.pick([64, 100, 256, 1024, 2048, 8192]),
          cutAfter,
          startMs,
        });
        messages += lines.length;
        const v = roundTripViolations(packets, lines, startMs);
        if (v.length > 0) failures.push(`seed ${seed}: ${v.slice(0, 3).join('; ')}`);
      }
      expect(failures).toEqual([]);
      // The sessions must really exercise message boundaries.
      expect(messages).toBeGreaterThan(ROUND_TRIPS * 2);
    },
    60_000 * SCALE,
  );
});

interface Base {
  name: string;
  lines: string[];
  decoded: Decoded;
}

/** The small fixtures whole, and a slice of big.tlog (which then starts with lost messages). */
function bases(): Base[] {
  const out = fixtureNames().map((name) => {
    const all = fixtureLines(name);
    const lines = name === 'big' ? all.slice(1000, 1300) : all;
    return { name: name === 'big' ? 'big[1001..1300]' : name, lines, decoded: decodeAll(lines) };
  });
  for (const base of out) {
    const v = decodedViolations(base.decoded);
    if (v.length > 0 || base.decoded.errors.length > 0)
      throw new Error(`${base.name} does not decode cleanly: ${v}`);
  }
  return out;
}

function runCase(base: Base, classes: string[], seed: number): string[] {
  const rng = createRng(seed);
  let lines = base.lines;
  let expectation: ((d: Decoded, o: Decoded) => string | null) | undefined;
  for (const name of classes) {
    const mutator = MUTATORS[name];
    if (!mutator) throw new Error(`no mutator ${name}`);
    const mutation = mutator(lines, rng);
    lines = mutation.lines;
    expectation = classes.length === 1 ? mutation.expect : undefined;
  }
  const started = performance.now();
  let decoded: Decoded;
  try {
    decoded = decodeAll(lines);
  } catch (err) {
    return [`threw: ${err instanceof Error ? err.stack : String(err)}`];
  }
  const elapsed = performance.now() - started;
  const v = decodedViolations(decoded);
  if (elapsed > CASE_BUDGET_MS) v.push(`took ${Math.round(elapsed)} ms`);
  const complaint = expectation?.(decoded, base.decoded);
  if (complaint) v.push(complaint);
  return v;
}

describe('corrupted real recordings', () => {
  const all = bases();
  const classes = Object.keys(MUTATORS);

  it.each(classes)(
    `%s: ${CASES_PER_CLASS} cases, no throw, no hang, damage marked`,
    (name) => {
      const failures: string[] = [];
      for (let i = 0; i < CASES_PER_CLASS && failures.length < 5; i++) {
        const base = all[i % all.length];
        if (!base) continue;
        const seed = 1_000_000 + classes.indexOf(name) * 10_000 + i;
        const v = runCase(base, [name], seed);
        if (v.length > 0) failures.push(`${base.name} seed ${seed}: ${v.slice(0, 3).join('; ')}`);
      }
      expect(failures).toEqual([]);
    },
    60_000,
  );

  it(
    `${COMBINED_CASES} cases of 2 to 4 kinds of damage at once`,
    () => {
      const failures: string[] = [];
      const pick = createRng(99);
      const usable = classes.filter((c) => c !== 'empty');
      for (let i = 0; i < COMBINED_CASES && failures.length < 5; i++) {
        const base = all[i % all.length];
        if (!base) continue;
        const kinds = Array.from({ length: pick.int(2, 4) }, () => pick.pick(usable));
        const seed = 2_000_000 + i;
        const v = runCase(base, kinds, seed);
        if (v.length > 0)
          failures.push(
            `${base.name} ${kinds.join('+')} seed ${seed}: ${v.slice(0, 3).join('; ')}`,
          );
      }
      expect(failures).toEqual([]);
    },
    60_000 * SCALE,
  );
});
