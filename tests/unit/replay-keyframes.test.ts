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

async function buildKeyframes(
  timeline: Timeline,
  policy = DENSE,
  budget = Infinity,
): Promise<KeyframeStore> {
  const store = new KeyframeStore(budget);
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

describe('keyframe thinning', () => {
  const keyframe = (index: number, bytes = 1000) => ({
    index,
    t: index,
    cols: 80,
    rows: 24,
    state: new Uint8Array(bytes),
    cost: bytes,
    fullScrollback: false,
  });

  it('keeps the spacing even over the whole recording, and the newest keyframe', () => {
    // Room for 100 keyframes, and 5,000 arrive: thinned 6 times.
    const store = new KeyframeStore(100 * 1000);
    for (let i = 1; i <= 5000; i++) store.add(keyframe(i * 10));
    expect(store.thinned).toBe(6);
    expect(store.size).toBeLessThanOrEqual(100 * 1000);
    expect(store.keyframes.length).toBeGreaterThanOrEqual(50);
    expect(store.keyframes.at(-1)?.index).toBe(50_000);
    const gaps = store.keyframes.slice(1).map((k, i) => k.index - (store.keyframes[i]?.index ?? 0));
    // 2^6 arrivals apart, the same at the start as at the end; only the
    // newest may be closer to the one before it.
    expect(Math.max(...gaps)).toBe(64 * 10);
    expect(gaps.slice(0, -1).filter((g) => g < 32 * 10)).toEqual([]);
  });

  it('replaces the newest keyframe while it is off the stride', () => {
    const store = new KeyframeStore(4 * 1000);
    for (let i = 1; i <= 5; i++) store.add(keyframe(i));
    // Thinned at the 5th: 1, 3 and 5 stay; from 5 on, every second is kept.
    expect(store.keyframes.map((k) => k.index)).toEqual([1, 3, 5]);
    store.add(keyframe(6));
    expect(store.keyframes.map((k) => k.index)).toEqual([1, 3, 5, 6]);
    store.add(keyframe(7));
    expect(store.keyframes.map((k) => k.index)).toEqual([1, 3, 5, 7]);
    expect(store.size).toBe(4000);
  });

  it('big, under a tenth of the room: every gap is at most 20 intervals, and restores exactly', async () => {
    const timeline = assembleTimeline(fixtureMessages('big'));
    const policy = { everyCost: 16 * 1024, everyMs: 30_000, forceCost: 1024 * 1024 };
    const unthinned = await buildKeyframes(timeline, policy);
    const store = await buildKeyframes(timeline, policy, unthinned.size / 10);
    // Halving until a tenth fits: 4 times (5 if the later keyframes are larger).
    expect(store.thinned).toBeGreaterThanOrEqual(4);
    expect(store.thinned).toBeLessThanOrEqual(5);
    expect(store.size).toBeLessThanOrEqual(unthinned.size / 10);
    const index = new TimelineIndex();
    index.sync(timeline.events);
    // A tenth of the keyframes, so about 10 intervals apart; at most twice that anywhere.
    const interval = 20 * (policy.everyCost + 4096);
    let previous = 0;
    for (const k of store.keyframes) {
      expect(index.costBefore(k.index) - previous).toBeLessThan(interval);
      previous = index.costBefore(k.index);
    }
    const terminal = replayTerminal();
    const playhead = new Playhead(headlessSink(terminal), index, store);
    const n = timeline.events.length;
    for (const target of [Math.floor(n * 0.05), Math.floor(n * 0.7), Math.floor(n * 0.2), n]) {
      playhead.moveTo(timeline.events, target);
      await playhead.idle();
      expect(state(terminal), `big at event ${target}`).toBe(await fromStart(timeline, target));
    }
  });
});
