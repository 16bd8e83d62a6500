// Property tests for the exports, seeded. Random sessions encoded as tlog
// come out of each export as what went in; damaged real recordings never make
// an export throw, and what it writes stays well-formed.

import { describe, expect, it } from 'vitest';
import { exportAsciicast, exportRaw, exportTlog } from '@/lib/export';
import { exportText } from '@/lib/export/text';
import { parseMessageLine } from '@/lib/tlog';
import { MUTATORS } from '../support/corrupt';
import { collect, collectText, parseCast, type Cast } from '../support/exports';
import { fixtureLines, fixtureNames } from '../support/fixtures';
import { createRng } from '../support/prng';
import { expectedStream, expectedWindows, randomSession } from '../support/random-session';
import { decodeAll, outputOf } from '../support/timeline-checks';
import { encodeRecording } from '../support/tlog-encoder';

/** AUDITTY_FUZZ_SCALE=10 runs ten times the cases (e.g. nightly); 1 keeps the suite quick. */
const SCALE = Math.max(1, Number(process.env.AUDITTY_FUZZ_SCALE) || 1);
const ROUND_TRIPS = 200 * SCALE;
const TEXT_EVERY = 40;
const CASES_PER_CLASS = 20 * SCALE;
const TEXT_CASES_PER_CLASS = 1 * SCALE;

const decodeText = (bytes: Uint8Array) =>
  new TextDecoder('utf-8', { ignoreBOM: true }).decode(bytes);
const eventText = (cast: Cast, code: string) =>
  cast.events
    .filter((e) => e[1] === code)
    .map((e) => e[2])
    .join('');

/** Complaints about an asciicast export, whatever went in. */
function castViolations(cast: Cast): string[] {
  const v: string[] = [];
  const { version, width, height } = cast.header;
  if (version !== 2) v.push(`version ${String(version)}`);
  for (const side of [width, height])
    if (!(Number.isInteger(side) && Number(side) > 0)) v.push(`size ${width}x${height}`);
  let last = 0;
  for (const [t, code, data] of cast.events) {
    if (!(t >= last) || !Number.isFinite(t)) v.push(`time ${t} after ${last}`);
    last = t;
    if (!['o', 'i', 'r', 'm'].includes(code)) v.push(`code ${code}`);
    if (code === 'r' && !/^[1-9]\d*x[1-9]\d*$/.test(data)) v.push(`resize ${data}`);
  }
  return v;
}

describe('exports of random recordings', () => {
  it(
    `${ROUND_TRIPS} sessions: raw, asciicast and tlog give back what was recorded`,
    async () => {
      const failures: string[] = [];
      for (let seed = 1; seed <= ROUND_TRIPS && failures.length < 5; seed++) {
        const rng = createRng(500_000 + seed);
        const packets = randomSession(rng);
        const lines = encodeRecording(packets, {
          payload: rng.pick([64, 256, 2048]),
          startMs: 1_795_797_000_000,
        });
        const output = expectedStream(packets, 'output').bytes;
        const input = expectedStream(packets, 'input').bytes;
        const v: string[] = [];

        if (!(await collect(exportRaw(lines))).equals(Buffer.from(output))) v.push('raw differs');
        if ((await collectText(exportTlog(lines))) !== lines.map((l) => `${l}\n`).join(''))
          v.push('tlog differs');
        const cast = parseCast(await collectText(exportAsciicast(lines)));
        v.push(...castViolations(cast));
        if (eventText(cast, 'o') !== decodeText(output)) v.push('o events differ');
        if (eventText(cast, 'i') !== decodeText(input)) v.push('i events differ');
        const [first, ...later] = expectedWindows(packets);
        if (packets[0]?.kind === 'window' && first && first.cols > 0 && first.rows > 0) {
          let size = `${first.cols}x${first.rows}`;
          const resizes: string[] = [];
          for (const w of later) {
            const next = `${w.cols}x${w.rows}`;
            if (w.cols > 0 && w.rows > 0 && next !== size) resizes.push((size = next));
          }
          if (cast.header.width !== first.cols || cast.header.height !== first.rows)
            v.push('header size');
          if (
            JSON.stringify(cast.events.filter((e) => e[1] === 'r').map((e) => e[2])) !==
            JSON.stringify(resizes)
          ) {
            v.push('r events differ');
          }
        }
        if (seed % TEXT_EVERY === 0) await collectText(exportText(lines));
        if (v.length > 0) failures.push(`seed ${seed}: ${v.join('; ')}`);
      }
      expect(failures).toEqual([]);
    },
    60_000 * SCALE,
  );
});

describe('exports of corrupted real recordings', () => {
  const bases = fixtureNames()
    .filter((name) => name !== 'big')
    .map((name) => fixtureLines(name));

  it.each(Object.keys(MUTATORS))(
    `%s: ${CASES_PER_CLASS} cases, every format completes, well-formed`,
    async (name) => {
      const mutator = MUTATORS[name];
      if (!mutator) throw new Error(name);
      const failures: string[] = [];
      for (let i = 0; i < CASES_PER_CLASS && failures.length < 5; i++) {
        const seed = 3_000_000 + Object.keys(MUTATORS).indexOf(name) * 1000 + i;
        const lines = mutator(bases[i % bases.length] ?? [], createRng(seed)).lines;
        const v: string[] = [];
        try {
          // Exports read the lines in stored order: the streamed timeline is theirs.
          const streamed = outputOf(decodeAll(lines).streamed);
          if (!(await collect(exportRaw(lines))).equals(streamed))
            v.push('raw is not the streamed output');
          v.push(...castViolations(parseCast(await collectText(exportAsciicast(lines)))));
          const ids = (await collectText(exportTlog(lines)))
            .split('\n')
            .filter((l) => l !== '')
            .map((l) => {
              const parsed = parseMessageLine(l);
              return parsed.ok ? parsed.value.id : NaN;
            });
          if (!ids.every((id, k) => k === 0 || id > (ids[k - 1] ?? Infinity)))
            v.push(`tlog ids ${ids}`);
          if (i < TEXT_CASES_PER_CLASS) await collectText(exportText(lines));
        } catch (err) {
          v.push(`threw: ${err instanceof Error ? err.stack : String(err)}`);
        }
        if (v.length > 0) failures.push(`seed ${seed}: ${v.slice(0, 3).join('; ')}`);
      }
      expect(failures).toEqual([]);
    },
    60_000,
  );
});
