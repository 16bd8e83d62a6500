import { SerializeAddon } from '@xterm/addon-serialize';
import type { Terminal } from '@xterm/headless';
import { describe, expect, it } from 'vitest';
import {
  HeadlessShadow,
  headlessSink,
  replayTerminal,
} from '@/lib/replay/adapters/xterm-headless-shadow';
import { KeyframeBuilder, KeyframeStore, type KeyframePolicy } from '@/lib/replay/keyframes';
import { Playhead } from '@/lib/replay/playhead';
import { captureState, internalsAvailable } from '@/lib/replay/adapters/xterm-state';
import { SCROLLBACK } from '@/lib/replay/terminal-options';
import { TimelineIndex } from '@/lib/replay/timeline-index';
import { assembleTimeline, type Timeline } from '@/lib/tlog';
import { fixtureMessages, fixtureNames } from '../support/fixtures';

// Keyframes must be invisible: whatever moment the playhead reaches by
// restoring one and replaying the rest, the terminal must be in exactly the
// state that playing the recording from its start leaves it in.

/** Small keyframe intervals so that the small fixtures get many keyframes. */
const DENSE: KeyframePolicy = { everyCost: 512, everyMs: 500, forceCost: 64 * 1024 };

function state(terminal: Terminal): string {
  const serializer = new SerializeAddon();
  terminal.loadAddon(serializer as unknown as Parameters<Terminal['loadAddon']>[0]);
  const captured = captureState(terminal, serializer, SCROLLBACK);
  serializer.dispose();
  return `${terminal.cols}x${terminal.rows} ${terminal.buffer.normal.length} lines\n${captured}`;
}

async function buildKeyframes(timeline: Timeline, policy = DENSE): Promise<KeyframeStore> {
  const store = new KeyframeStore();
  const builder = new KeyframeBuilder(new HeadlessShadow(), (k) => store.add(k), policy);
  // In two parts, as a recording arrives while it is being indexed.
  const half = Math.floor(timeline.events.length / 2);
  await builder.push(timeline.events.slice(0, half));
  await builder.push(timeline.events.slice(half));
  return store;
}

/** The terminal after events[0..count) played from the start, without keyframes. */
async function fromStart(timeline: Timeline, count: number): Promise<string> {
  const terminal = replayTerminal();
  const index = new TimelineIndex(timeline.events);
  index.sync(timeline.events);
  const playhead = new Playhead(headlessSink(terminal), index, null);
  playhead.moveTo(timeline.events, count);
  await playhead.idle();
  return state(terminal);
}

/** Seeded so failures reproduce. */
function random(seed: number): () => number {
  let s = seed >>> 0;
  return () => {
    s = (s * 1664525 + 1013904223) >>> 0;
    return s / 2 ** 32;
  };
}

describe('terminal internals', () => {
  it('are where terminal-state.ts reads them (fails when an xterm.js upgrade moves them)', () => {
    expect(internalsAvailable(replayTerminal())).toBe(true);
  });
});

describe('keyframes', () => {
  const names = fixtureNames().filter((n) => n !== 'big');
  it.each(names)(
    '%s: restoring a keyframe then replaying equals playing from the start',
    async (name) => {
      const timeline = assembleTimeline(fixtureMessages(name));
      const store = await buildKeyframes(timeline);
      expect(store.keyframes.length).toBeGreaterThan(2);

      const terminal = replayTerminal();
      const index = new TimelineIndex();
      index.sync(timeline.events);
      const playhead = new Playhead(headlessSink(terminal), index, store);
      const next = random(name.length * 7919);
      const n = timeline.events.length;
      // Random jumps both ways, plus the exact keyframe positions and the ends.
      const targets = [
        n,
        0,
        ...store.keyframes.slice(0, 6).map((k) => k.index),
        ...Array.from({ length: 60 }, () => Math.floor(next() * (n + 1))),
      ];
      for (const target of targets) {
        playhead.moveTo(timeline.events, target);
        await playhead.idle();
        expect(state(terminal), `${name} at event ${target}`).toBe(
          await fromStart(timeline, target),
        );
      }
      expect(playhead.restores).toBeGreaterThan(5);
    },
  );

  it('big: keyframes come at most one interval (plus a boundary) apart, and restore exactly', async () => {
    const timeline = assembleTimeline(fixtureMessages('big'));
    const policy = { everyCost: 64 * 1024, everyMs: 30_000, forceCost: 1024 * 1024 };
    const store = await buildKeyframes(timeline, policy);
    const index = new TimelineIndex();
    index.sync(timeline.events);
    expect(store.keyframes.length).toBeGreaterThan(10);
    let previous = 0;
    for (const k of store.keyframes) {
      // A keyframe waits for a boundary, which comes within a few events.
      expect(index.costBefore(k.index) - previous).toBeLessThan(policy.everyCost + 4096);
      previous = index.costBefore(k.index);
    }
    // A full scrollback (seq 1 100000): restores keep it and overwrite every line of it.
    expect(store.keyframes.filter((k) => k.fullScrollback).length).toBeGreaterThan(5);
    const terminal = replayTerminal();
    const playhead = new Playhead(headlessSink(terminal), index, store);
    const n = timeline.events.length;
    for (const target of [Math.floor(n * 0.9), Math.floor(n * 0.3), Math.floor(n * 0.6), 40, n]) {
      playhead.moveTo(timeline.events, target);
      await playhead.idle();
      expect(state(terminal), `big at event ${target}`).toBe(await fromStart(timeline, target));
    }
    expect(playhead.restores).toBeGreaterThanOrEqual(4);
  });
});
