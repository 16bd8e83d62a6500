import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { replayTerminal } from '@/lib/replay/adapters/xterm-headless-shadow';
import { clampSize } from '@/lib/replay/terminal-options';
import {
  makeStillFrame,
  STILL_FIRST_OUTPUT_MS,
  STILL_MAX_OUTPUT,
  STILL_MAX_RUNS,
  STILL_MESSAGES,
} from '@/lib/replay/still/frame';
import { PALETTE, readScreen } from '@/lib/replay/adapters/xterm-still-screen';
import type { StillFrame } from '@/lib/replay/still/types';
import { TimelineBuilder, parseMessageLine } from '@/lib/tlog';
import { fixtureLines, fixtureNames } from '../support/fixtures';
import { visibleRows } from '../support/screen-rows';
import { encodeRecording } from '../support/tlog-encoder';

// The still frame (docs/still-frame.md) against a reference: a terminal set up
// as the player's, written every event up to the moment one at a time (not
// through the Playhead's batches), read cell by cell.

const HOSTILE = path.resolve(import.meta.dirname, '../fixtures/hostile');

function write(terminal: ReturnType<typeof replayTerminal>, data: Uint8Array | string) {
  return new Promise<void>((resolve) => terminal.write(data, resolve));
}

function timelineOf(lines: readonly string[]) {
  const builder = new TimelineBuilder();
  for (const line of lines) {
    const parsed = parseMessageLine(line);
    if (parsed.ok) builder.push(parsed.value);
  }
  return builder.timeline;
}

/**
 * The reference screen at `atMs`, cell by cell: hidden cells (SGR 8) blank,
 * the second half of a wide character skipped, trailing blanks trimmed.
 * Stops writing past STILL_MAX_OUTPUT (no frame is made then).
 */
async function referenceRows(lines: readonly string[], atMs: number) {
  const terminal = replayTerminal();
  let output = 0;
  for (const event of timelineOf(lines).events) {
    if (event.t > atMs || output > STILL_MAX_OUTPUT) break;
    if (event.kind === 'output') {
      output += event.data.length;
      await write(terminal, event.data);
    } else if (event.kind === 'window') {
      const size = clampSize(event.cols, event.rows);
      if (size.cols !== terminal.cols || size.rows !== terminal.rows)
        terminal.resize(size.cols, size.rows);
    }
  }
  const rows = visibleRows(terminal);
  const size = { cols: terminal.cols, rows: terminal.rows };
  terminal.dispose();
  return { rows, output, size };
}

const frameRows = (frame: StillFrame) =>
  frame.lines.map((runs) =>
    runs
      .map((r) => r.text)
      .join('')
      .trimEnd(),
  );

const recordings = [
  ...fixtureNames().map((name) => ({ name, lines: fixtureLines(name) })),
  ...readdirSync(HOSTILE)
    .filter((f) => f.endsWith('.tlog'))
    .map((f) => ({ name: `hostile/${f}`, lines: fileLines(path.join(HOSTILE, f)) })),
];

function fileLines(file: string): string[] {
  return readFileSync(file, 'utf8')
    .split('\n')
    .filter((l) => l.trim() !== '');
}

describe('still frame', () => {
  for (const { name, lines: all } of recordings) {
    it(
      `${name}: shows what the reference terminal shows, at the first output and through the recording`,
      { timeout: 60_000 },
      async () => {
        // What the page reads: the first STILL_MESSAGES messages.
        const lines = all.slice(0, STILL_MESSAGES);
        const complete = all.length < STILL_MESSAGES;
        const timeline = timelineOf(lines);
        const firstOutput = timeline.events.find((e) => e.kind === 'output');
        const moments: { startAt?: number }[] = [{}];
        for (const k of [1, 2, 3, 4])
          moments.push({ startAt: Math.round((timeline.durationMs * k) / 4) });
        if (!complete) moments.push({ startAt: timeline.durationMs + 1 });
        for (const moment of moments) {
          const frame = await makeStillFrame(lines, { ...moment, complete });
          const atMs = moment.startAt ?? firstOutput?.t ?? 0;
          const reference = await referenceRows(lines, atMs);
          const label = `${name} at ${moment.startAt ?? 'first output'}`;
          if (
            reference.output === 0 ||
            reference.output > STILL_MAX_OUTPUT ||
            (moment.startAt === undefined && atMs > STILL_FIRST_OUTPUT_MS) ||
            (!complete && atMs >= timeline.durationMs)
          ) {
            expect(frame, label).toBeNull();
            continue;
          }
          if (!frame) throw new Error(`${label}: no frame`);
          expect(frame.atMs, label).toBe(atMs);
          expect({ cols: frame.cols, rows: frame.rows }, label).toEqual(reference.size);
          expect(frame.lines, label).toHaveLength(reference.size.rows);
          expect(frameRows(frame), label).toEqual(reference.rows);
          for (const runs of frame.lines) {
            const cells = runs.reduce((sum, r) => sum + r.cells, 0);
            expect(cells, label).toBeLessThanOrEqual(frame.cols);
            // What reaches the page is the screen's text: never a control character.
            for (const run of runs) expect(run.text, label).not.toMatch(/[\x00-\x1f\x7f-\x9f]/);
          }
        }
      },
    );
  }

  it('has a frame for most recordings: the rule is not "never"', async () => {
    let frames = 0;
    for (const { lines } of recordings) {
      const first = lines.slice(0, STILL_MESSAGES);
      if (await makeStillFrame(first, { complete: lines.length < STILL_MESSAGES })) frames++;
    }
    expect(frames).toBeGreaterThanOrEqual(recordings.length - 2);
  });

  it('gives no frame for a moment past the messages read, unless they are the whole recording', async () => {
    const lines = fixtureLines('colors').slice(0, 3);
    const { durationMs } = timelineOf(lines);
    expect(await makeStillFrame(lines, { startAt: durationMs + 1, complete: false })).toBeNull();
    expect(
      await makeStillFrame(lines, { startAt: durationMs - 1, complete: false }),
    ).not.toBeNull();
    expect(await makeStillFrame(lines, { startAt: durationMs + 1, complete: true })).not.toBeNull();
  });

  it('gives no frame from the start when the first output comes after a second', async () => {
    // The same recording, with every message a second and a half later.
    const lines = fixtureLines('input').map((line) => {
      const message = JSON.parse(line) as { pos: number };
      return JSON.stringify({ ...message, pos: message.pos + 1500 });
    });
    expect(await makeStillFrame(lines, { complete: true })).toBeNull();
    expect(await makeStillFrame(lines, { startAt: 2000, complete: true })).not.toBeNull();
  });

  it('gives no frame for a screen of more styled runs than STILL_MAX_RUNS', async () => {
    // Full screens with every cell in another colour than the last: 3,000 runs at 100x30, 10,000 at 200x50.
    const screen = (cols: number, rows: number) => {
      let text = '';
      for (let i = 0; i < cols * rows; i++) text += `\x1b[38;5;${i % 2 ? 196 : 21}mx`;
      return encodeRecording(
        [
          { kind: 'window', t: 0, cols, rows },
          { kind: 'output', t: 0, bytes: new TextEncoder().encode(text) },
        ],
        { payload: 1 << 20 },
      );
    };
    const under = await makeStillFrame(screen(100, 30), { complete: true });
    expect(under?.lines.reduce((sum, runs) => sum + runs.length, 0)).toBe(3000);
    expect(await makeStillFrame(screen(200, 50), { complete: true })).toBeNull();
    expect(STILL_MAX_RUNS).toBeGreaterThan(3000);
    expect(STILL_MAX_RUNS).toBeLessThan(10_000);
  });

  it('skips lines that are not messages, as the player does', async () => {
    const lines = fixtureLines('colors');
    const clean = await makeStillFrame(lines, { startAt: 3000, complete: true });
    const damaged = await makeStillFrame(['not json', '{"id":"x"}', ...lines], {
      startAt: 3000,
      complete: true,
    });
    expect(damaged).toEqual(clean);
  });
});

describe('still frame colours', () => {
  it('resolves colours and attributes as xterm.js draws them', async () => {
    const terminal = replayTerminal();
    await write(
      terminal,
      '\x1b[31mR\x1b[1mB\x1b[0m\x1b[7mI\x1b[0m\x1b[38;5;196mP\x1b[38;2;1;2;3mT\x1b[8mH\x1b[0m' +
        '\x1b[2;3;4;9;53mS\x1b[0m\x1b[44m \x1b[0m\x1b[97;41mW\x1b[0m  ',
    );
    const [row] = readScreen(terminal);
    terminal.dispose();
    expect(row).toEqual([
      { text: 'R', cells: 1, style: { color: '#cc0000' } },
      // Bold draws the bright colour (drawBoldTextInBrightColors).
      { text: 'B', cells: 1, style: { color: '#ef2929', bold: true } },
      { text: 'I', cells: 1, style: { color: '#000000', background: '#e4e4e7' } },
      { text: 'P', cells: 1, style: { color: '#ff0000' } },
      // Hidden text (the H) is not on screen: a blank, in the same colour.
      { text: 'T ', cells: 2, style: { color: '#010203' } },
      {
        text: 'S',
        cells: 1,
        style: { dim: true, italic: true, underline: true, strike: true, overline: true },
      },
      { text: ' ', cells: 1, style: { background: '#3465a4' } },
      { text: 'W', cells: 1, style: { color: '#eeeeec', background: '#cc0000' } },
    ]);
  });

  it('builds the 256-colour palette as xterm.js does', () => {
    expect(PALETTE).toHaveLength(256);
    expect(PALETTE[16]).toBe('#000000');
    expect(PALETTE[21]).toBe('#0000ff');
    expect(PALETTE[196]).toBe('#ff0000');
    expect(PALETTE[231]).toBe('#ffffff');
    expect(PALETTE[232]).toBe('#080808');
    expect(PALETTE[255]).toBe('#eeeeee');
  });

  it('counts a wide character as two cells, written once', async () => {
    const terminal = replayTerminal();
    await write(terminal, 'a\u4e2db\u6587c');
    const [row] = readScreen(terminal);
    terminal.dispose();
    expect(row).toEqual([{ text: 'a\u4e2db\u6587c', cells: 7 }]);
  });
});
