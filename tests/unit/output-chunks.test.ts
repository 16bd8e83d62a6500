import { SerializeAddon } from '@xterm/addon-serialize';
import type { Terminal } from '@xterm/headless';
import { describe, expect, it } from 'vitest';
import {
  HeadlessShadow,
  headlessSink,
  replayTerminal,
} from '@/lib/replay/adapters/xterm-headless-shadow';
import { captureState } from '@/lib/replay/adapters/xterm-state';
import { KeyframeBuilder, KeyframeStore, type KeyframePolicy } from '@/lib/replay/keyframes';
import { decodeOutputs, OutputChunks, type FetchOutput } from '@/lib/replay/output-chunks';
import { Playhead } from '@/lib/replay/playhead';
import { SCROLLBACK } from '@/lib/replay/terminal-options';
import { TimelineIndex } from '@/lib/replay/timeline-index';
import { TimelineBuilder, validateMessage, type TimelineEvent } from '@/lib/tlog';
import { parseMessageRange } from '@/lib/schemas';
import { fixtureLines, fixtureNames } from '../support/fixtures';

// Output over the memory budget is let go and fetched again by id range
// (docs/memory.md). Whatever was let go, a seek must land on exactly the
// screen that playing from the start with everything held gives.

const POLICY: KeyframePolicy = { everyCost: 16 * 1024, everyMs: 2000, forceCost: 256 * 1024 };

function state(terminal: Terminal): string {
  const serializer = new SerializeAddon();
  terminal.loadAddon(serializer as unknown as Parameters<Terminal['loadAddon']>[0]);
  const captured = captureState(terminal, serializer, SCROLLBACK);
  serializer.dispose();
  return `${terminal.cols}x${terminal.rows} ${terminal.buffer.normal.length} lines\n${captured}`;
}

/** What the messages API answers for an id range of a fixture: its lines, parsed. */
function fixtureFetch(name: string, log: [number, number][] = []): FetchOutput {
  const values = fixtureLines(name).map((line) => JSON.parse(line) as { id: number });
  values.sort((a, b) => a.id - b.id);
  return async (from, to) => {
    log.push([from, to]);
    await new Promise((resolve) => setTimeout(resolve, 1));
    return decodeOutputs(values.filter((v) => v.id >= from && v.id <= to));
  };
}

/** A fixture's timeline, loaded as the player loads it, with its output chunked. */
function load(name: string, budget: number, fetch: FetchOutput, releasedBelow = () => Infinity) {
  const builder = new TimelineBuilder();
  const chunks = new OutputChunks(builder.timeline.events, { budget, fetch, releasedBelow });
  const values = fixtureLines(name).map((line) => JSON.parse(line) as { id: number });
  values.sort((a, b) => a.id - b.id);
  const copy: TimelineEvent[] = [];
  const reference = new TimelineBuilder();
  for (const value of values) {
    const message = decodeOne(value);
    if (!message) continue;
    builder.push(message);
    chunks.noteMessage(message.id, builder.timeline.events.length);
    for (const event of reference.push(message)) copy.push(event);
  }
  return { events: builder.timeline.events, chunks, reference: copy };
}

function decodeOne(value: unknown) {
  const message = validateMessage(value);
  return message.ok ? message.value : null;
}

async function keyframesOf(events: readonly TimelineEvent[], budget = Infinity) {
  const store = new KeyframeStore(budget);
  const builder = new KeyframeBuilder(new HeadlessShadow(), (k) => store.add(k), POLICY);
  await builder.push([...events]);
  return store;
}

async function fromStart(events: readonly TimelineEvent[], count: number): Promise<string> {
  const terminal = replayTerminal();
  const index = new TimelineIndex();
  index.sync(events);
  const playhead = new Playhead(headlessSink(terminal), index, null);
  playhead.moveTo(events, count);
  await playhead.idle();
  return state(terminal);
}

function random(seed: number): () => number {
  let s = seed >>> 0;
  return () => {
    s = (s * 1664525 + 1013904223) >>> 0;
    return s / 2 ** 32;
  };
}

describe('output chunks', () => {
  it('big: seeks that fetch let-go output again land on the screen played from the start', async () => {
    const fetched: [number, number][] = [];
    const budget = 128 * 1024;
    const { events, chunks, reference } = load('big', budget, fixtureFetch('big', fetched));
    const total = reference.reduce((n, e) => n + (e.kind === 'output' ? e.data.length : 0), 0);
    expect(total).toBeGreaterThan(8 * budget);
    expect(chunks.chunkBytes).toBe(32 * 1024);
    expect(chunks.evictions).toBeGreaterThan(20);
    expect(chunks.held).toBeLessThanOrEqual(budget);
    // Let go: the events are still there, their bytes are not.
    expect(events).toHaveLength(reference.length);
    expect(events.filter((e) => e.kind === 'output' && e.data.length === 0).length).toBeGreaterThan(
      100,
    );
    const store = await keyframesOf(reference, 256 * 1024);
    expect(store.thinned).toBeGreaterThan(0);
    expect(store.size).toBeLessThanOrEqual(256 * 1024);
    expect(store.keyframes.length).toBeGreaterThan(4);

    const terminal = replayTerminal();
    const index = new TimelineIndex();
    index.sync(events);
    const playhead = new Playhead(headlessSink(terminal), index, store, chunks);
    const next = random(4242);
    const n = events.length;
    const targets = [
      n,
      0,
      Math.floor(n / 3),
      ...Array.from({ length: 14 }, () => Math.floor(next() * (n + 1))),
    ];
    for (const target of targets) {
      playhead.moveTo(events, target);
      await playhead.idle();
      expect(state(terminal), `big at event ${target}`).toBe(await fromStart(reference, target));
      expect(chunks.held).toBeLessThanOrEqual(chunks.budget);
    }
    expect(chunks.refetches).toBeGreaterThan(3);
    expect(fetched.length).toBe(chunks.refetches);
    expect(chunks.waiting).toBe(0);
    expect(chunks.error).toBeNull();
    // Each re-fetch asks for one chunk's ids, never the whole recording.
    const ranges = new Set(chunks.chunks.map((c) => `${c.firstId}-${c.lastId}`));
    for (const [from, to] of fetched) expect(ranges.has(`${from}-${to}`)).toBe(true);
    expect(chunks.chunks.length).toBeGreaterThan(20);
  });

  it('lets go only of events below releasedBelow (the worker and the activity strip have read them)', () => {
    let released = 0;
    const { chunks } = load('big', 256 * 1024, fixtureFetch('big'), () => released);
    expect(chunks.evictions).toBe(0);
    expect(chunks.held).toBe(chunks.total);
    released = Infinity;
    const more = load('big', 256 * 1024, fixtureFetch('big'), () => released);
    expect(more.chunks.evictions).toBeGreaterThan(0);
    expect(more.chunks.peak).toBeLessThanOrEqual(256 * 1024 + 64 * 1024 + 8192);
  });

  it('lets go once releasedBelow moves on after the load (a worker behind a fast read)', () => {
    let released = 0;
    const { chunks } = load('big', 128 * 1024, fixtureFetch('big'), () => released);
    expect(chunks.held).toBe(chunks.total);
    expect(chunks.held).toBeGreaterThan(4 * chunks.budget);
    released = Infinity;
    chunks.trim();
    expect(chunks.held).toBeLessThanOrEqual(chunks.budget);
    expect(chunks.evictions).toBeGreaterThan(20);
  });

  it('keeps no more chunks in flight than the budget holds with two to spare', async () => {
    const fetched: [number, number][] = [];
    const { chunks } = load('big', 128 * 1024, fixtureFetch('big', fetched));
    const lost = chunks.chunks.filter((c) => !c.resident);
    expect(lost.length).toBeGreaterThan(4);
    for (const chunk of lost) chunks.prefetch(chunk.first);
    // Four chunks of budget: two in flight at most.
    expect(fetched).toHaveLength(2);
    await new Promise((resolve) => setTimeout(resolve, 20));
    expect(chunks.refetches).toBe(2);
    expect(chunks.held).toBeLessThanOrEqual(chunks.budget);
  });

  it('a re-fetch that brings other output fails with a clear error and leaves the chunk let go', async () => {
    const wrong: FetchOutput = async () => [new Uint8Array(3)];
    const { chunks, events } = load('big', 256 * 1024, wrong);
    const lost = chunks.chunks.find((c) => !c.resident);
    expect(lost).toBeDefined();
    if (!lost) return;
    const wait = chunks.ensure(lost.first, lost.end);
    expect(wait).not.toBeNull();
    expect(chunks.waiting).toBe(1);
    await expect(wait).rejects.toThrow(/the recording changed on the server/);
    expect(chunks.waiting).toBe(0);
    expect(chunks.error).toMatch(/came back with 1 outputs of 3 bytes/);
    expect(lost.resident).toBe(false);
    const outputs = events.slice(lost.first, lost.end).filter((e) => e.kind === 'output');
    expect(outputs.length).toBe(lost.outputs);
    expect(outputs.every((e) => e.data.length === 0)).toBe(true);
  });

  it('holds everything when the recording fits the budget', () => {
    for (const name of fixtureNames().filter((n) => n !== 'big')) {
      const { chunks } = load(name, 16 * 1024 * 1024, fixtureFetch(name));
      expect(chunks.evictions, name).toBe(0);
      expect(chunks.held, name).toBe(chunks.total);
    }
  });

  it('never goes below four chunks of budget', () => {
    const { chunks } = load('big', 1, fixtureFetch('big'));
    expect(chunks.chunkBytes).toBe(1);
    expect(chunks.budget).toBe(4);
  });
});

describe('keyframe thinning', () => {
  it('keeps the first and last keyframe and halves the rest each time the budget is passed', () => {
    const store = new KeyframeStore(10);
    for (let i = 0; i < 9; i++)
      store.add({
        index: i * 10,
        t: i,
        cols: 80,
        rows: 24,
        state: new Uint8Array(2),
        cost: 0,
        fullScrollback: false,
      });
    expect(store.size).toBeLessThanOrEqual(10);
    expect(store.keyframes[0]?.index).toBe(0);
    expect(store.keyframes.at(-1)?.index).toBe(80);
    expect(store.thinned).toBeGreaterThan(0);
  });
});

describe('messages API id range', () => {
  const parse = (query: string) => parseMessageRange(new URLSearchParams(query));
  it('takes both ids or neither', () => {
    expect(parse('')).toBeUndefined();
    expect(parse('from=3&to=9')).toEqual({ from: 3, to: 9 });
    expect(parse('from=5&to=5')).toEqual({ from: 5, to: 5 });
  });
  it.each([
    ['from=3', /give both or neither/],
    ['to=3', /give both or neither/],
    ['from=9&to=3', /from is above to/],
    ['from=0&to=3', /not a message id/],
    ['from=-1&to=3', /not a message id/],
    ['from=1.5&to=3', /not a message id/],
    ['from=1e3&to=3', /not a message id/],
    ['from=&to=3', /not a message id/],
    ['from=99999999999999999&to=3', /not a message id/],
    ['from=1&from=2&to=3', /given twice/],
  ])('refuses %s', (query, error) => {
    expect(() => parse(query)).toThrow(error);
  });
});
