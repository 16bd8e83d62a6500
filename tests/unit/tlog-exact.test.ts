// Byte-exact decoding, checked against the real player: for every fixture,
// the output bytes auditty decodes must be what Debian's `tlog-play
// --goto=end` writes right now (and what tests/fixtures/reference/ stored).
// tlog-play must be installed: without it this test fails, it does not skip.

import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  assembleTimeline,
  parseMessageLine,
  TimelineBuilder,
  type Timeline,
  type TlogMessage,
} from '@/lib/tlog';
import { firstDifference, requireCommands, tlogPlay } from '../support/consumers';
import { fixtureMessages, fixtureNames, fixturePath } from '../support/fixtures';
import { createRng } from '../support/prng';
import { expectedStream, randomSession } from '../support/random-session';
import { encodeRecording } from '../support/tlog-encoder';

const REFERENCE_DIR = path.resolve(__dirname, '../fixtures/reference');
const NAMES = fixtureNames();

function outputOf(timeline: Timeline): Buffer {
  return Buffer.concat(timeline.events.flatMap((e) => (e.kind === 'output' ? [e.data] : [])));
}

/** Ids between the first and last that no message has: computed from the file alone. */
function missingIds(messages: TlogMessage[]): number[] {
  const ids = new Set(messages.map((m) => m.id));
  const max = Math.max(...ids);
  const missing: number[] = [];
  for (let id = 1; id <= max; id++) if (!ids.has(id)) missing.push(id);
  return missing;
}

/** Duration as the format defines it: the last message's pos plus its delays. */
function formatDuration(messages: TlogMessage[]): number {
  const last = messages.reduce((a, b) => (b.id > a.id ? b : a));
  return last.pos + [...last.timing.matchAll(/\+(\d+)/g)].reduce((sum, m) => sum + Number(m[1]), 0);
}

let scratch = '';
beforeAll(() => {
  requireCommands('tlog-play', 'script');
  scratch = mkdtempSync(path.join(tmpdir(), 'auditty-exact-'));
});
afterAll(() => {
  if (scratch) rmSync(scratch, { recursive: true, force: true });
});

describe.concurrent('decoding the fixtures is byte-exact with tlog-play', () => {
  it('has every fixture the issue asks for', () => {
    expect(NAMES).toEqual(
      expect.arrayContaining([
        'big',
        'colors',
        'fullscreen',
        'gap',
        'input',
        'invalid-bytes',
        'resize',
        'utf8-emoji',
      ]),
    );
  });

  it.each(NAMES)(
    '%s',
    async (name) => {
      const messages = fixtureMessages(name);
      const timeline = assembleTimeline(messages);
      const decoded = outputOf(timeline);
      const missing = missingIds(messages);

      const played = await tlogPlay(fixturePath(name), { lax: missing.length > 0 });
      expect(firstDifference(decoded, played), 'auditty vs tlog-play').toBe('identical');
      const reference = readFileSync(path.join(REFERENCE_DIR, `${name}.out`));
      expect(firstDifference(played, reference), 'tlog-play vs stored reference').toBe('identical');

      // The streaming path (the player's) decodes the same bytes.
      const builder = new TimelineBuilder();
      for (const message of messages) builder.push(message);
      expect(firstDifference(outputOf(builder.timeline), decoded), 'streamed vs assembled').toBe(
        'identical',
      );

      // Metadata, checked against what the file says directly.
      expect(timeline.problems).toEqual([]);
      expect(timeline.messages).toBe(messages.length);
      expect(
        timeline.gaps.flatMap((g) =>
          Array.from({ length: g.missing }, (_, i) => g.afterId + 1 + i),
        ),
      ).toEqual(missing);
      expect(timeline.durationMs).toBe(formatDuration(messages));
      const first = messages[0];
      expect(timeline.startMs).toBe(
        first?.time === undefined ? null : Math.round(first.time * 1000 - first.pos),
      );
      expect(timeline.hasInput).toBe(messages.some((m) => m.in_txt !== '' || m.in_bin.length > 0));
    },
    60_000,
  );

  it('gap: plays past every gap, each marked at its place', () => {
    const timeline = assembleTimeline(fixtureMessages('gap'));
    expect(timeline.gaps.length).toBeGreaterThan(0);
    const gapEvents = timeline.events.filter((e) => e.kind === 'gap');
    expect(gapEvents.map((e) => e.t)).toEqual(timeline.gaps.map((g) => g.t));
    // Output continues after the last gap.
    const lastGap = timeline.events.findLastIndex((e) => e.kind === 'gap');
    expect(timeline.events.slice(lastGap).some((e) => e.kind === 'output')).toBe(true);
  });

  it('resize: every window size change, in order', () => {
    const timeline = assembleTimeline(fixtureMessages('resize'));
    expect(timeline.windows?.map((w) => `${w.cols}x${w.rows}`)).toEqual([
      '100x30',
      '80x24',
      '132x40',
    ]);
  });

  it('input: the typed text is decoded, the password included', () => {
    const timeline = assembleTimeline(fixtureMessages('input'));
    const typed = Buffer.concat(
      timeline.events.flatMap((e) => (e.kind === 'input' ? [e.data] : [])),
    ).toString();
    expect(typed).toContain('s3cret-Pa55');
    expect(typed).toContain('\x1b[A');
  });

  it('invalid-bytes: raw bytes in place, the last character left dangling', () => {
    const output = outputOf(assembleTimeline(fixtureMessages('invalid-bytes')));
    expect(output.includes(Buffer.from('ok \xff\xfe bad \xc3( trunc', 'latin1'))).toBe(true);
    expect(output.includes(Buffer.from('€', 'utf8'))).toBe(true);
    expect([...output.subarray(-6)]).toEqual([...Buffer.from('bye '), 0xe2, 0x82]);
  });
});

describe('the test encoder writes what tlog-play reads', () => {
  // Random sessions encoded by tests/support/tlog-encoder.ts: tlog-play must
  // accept them and play the same bytes auditty decodes, which are the bytes
  // that went in. This keeps the fuzz tests' encoder honest. A tlog-play run
  // costs ~0.2 s, so there are a few long sessions rather than many short ones.
  it('plays 4 long random recordings exactly', async () => {
    const rng = createRng(0x7106);
    const plays: Promise<void>[] = [];
    for (let i = 0; i < 4; i++) {
      const packets = randomSession(rng, { maxBursts: 500 });
      const lines = encodeRecording(packets, {
        payload: rng.int(64, 1024),
        startMs: 1_795_797_000_000 + i,
      });
      const file = path.join(scratch, `random-${i}.tlog`);
      writeFileSync(file, lines.map((l) => `${l}\n`).join(''));
      const messages = lines.map((line) => {
        const parsed = parseMessageLine(line);
        if (!parsed.ok) throw new Error(`case ${i}: ${parsed.error}`);
        return parsed.value;
      });
      const decoded = outputOf(assembleTimeline(messages));
      expect(
        firstDifference(decoded, expectedStream(packets, 'output').bytes),
        `case ${i}: vs input`,
      ).toBe('identical');
      if (lines.length === 0) continue;
      plays.push(
        tlogPlay(file).then((played) => {
          expect(firstDifference(decoded, played), `case ${i}: auditty vs tlog-play`).toBe(
            'identical',
          );
        }),
      );
    }
    await Promise.all(plays);
  }, 60_000);
});
