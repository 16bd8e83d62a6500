import { readdirSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import {
  HeadlessShadow,
  headlessSink,
  replayTerminal,
} from '@/lib/replay/adapters/xterm-headless-shadow';
import { KeyframeBuilder, KeyframeStore } from '@/lib/replay/keyframes';
import { Playhead } from '@/lib/replay/playhead';
import { MAX_COLS, MAX_ROWS } from '@/lib/replay/terminal-options';
import { TimelineIndex } from '@/lib/replay/timeline-index';
import { assembleTimeline } from '@/lib/tlog';
import { messagesOfFile } from '../support/fixtures';

// The hostile fixtures (tests/fixtures/hostile/README.md) through the same
// terminal set-up as the player's, in @xterm/headless: nothing may come out
// of the terminal (no title, no answer to a query, no window size beyond the
// clamp) and nothing may take long. The e2e tests do the same in Chromium.

const DIR = path.resolve(import.meta.dirname, '../fixtures/hostile');
const names = readdirSync(DIR)
  .filter((f) => f.endsWith('.tlog'))
  .map((f) => f.replace(/\.tlog$/, ''))
  .sort();

const load = (name: string) => assembleTimeline(messagesOfFile(path.join(DIR, `${name}.tlog`)));

describe('hostile fixtures', () => {
  it('are all there (make-hostile.ts writes them)', () => {
    expect(names).toEqual(
      expect.arrayContaining([
        'giant-window',
        'huge-line',
        'many-params',
        'osc52-clipboard',
        'osc8-links',
      ]),
    );
    expect(names.length).toBeGreaterThanOrEqual(10);
  });

  it.each(names)('%s stays inside the terminal and plays quickly', async (name) => {
    const timeline = load(name);
    expect(timeline.problems).toEqual([]);
    const started = performance.now();
    const terminal = replayTerminal();
    const escaped: string[] = [];
    terminal.onTitleChange((title) => escaped.push(`title ${title}`));
    terminal.onData((data) => escaped.push(`data ${JSON.stringify(data)}`));
    terminal.onBinary((data) => escaped.push(`binary ${data.length}`));
    let largest = 0;
    terminal.onResize(({ cols, rows }) => {
      largest = Math.max(largest, cols * rows);
      if (cols > MAX_COLS || rows > MAX_ROWS) escaped.push(`resize ${cols}x${rows}`);
    });
    const index = new TimelineIndex();
    index.sync(timeline.events);
    const store = new KeyframeStore();
    const builder = new KeyframeBuilder(new HeadlessShadow(), (k) => store.add(k));
    const playhead = new Playhead(headlessSink(terminal), index, store);
    await builder.push(timeline.events);
    playhead.moveTo(timeline.events, timeline.events.length);
    await playhead.idle();
    // And back into the middle, through a keyframe when there is one.
    playhead.moveTo(timeline.events, Math.floor(timeline.events.length / 2));
    await playhead.idle();
    playhead.moveTo(timeline.events, timeline.events.length);
    await playhead.idle();

    expect(escaped).toEqual([]);
    expect(largest).toBeLessThanOrEqual(MAX_COLS * MAX_ROWS);
    expect(terminal.cols).toBeLessThanOrEqual(MAX_COLS);
    const buffer = terminal.buffer.active;
    const text = Array.from({ length: buffer.length }, (_, i) =>
      buffer.getLine(i)?.translateToString(true),
    ).join('\n');
    expect(text).toContain(`END OF HOSTILE FIXTURE ${name}`);
    expect(performance.now() - started).toBeLessThan(20_000);
    terminal.dispose();
  });
});
