import { describe, expect, it } from 'vitest';
import { ActivityIndex } from '@/lib/replay/activity';
import { packEvents, transferables, unpackEvents } from '@/lib/replay/event-batch';
import { InputLog, tokenizeInput } from '@/lib/replay/input-log';
import { commandForKey, SHORTCUTS } from '@/lib/replay/keymap';
import { LINE_FEED_COST, outputCost } from '@/lib/replay/replay-cost';
import { formatSpeed, SPEEDS, stepSpeed } from '@/lib/replay/speeds';
import { clampSize } from '@/lib/replay/terminal-options';
import { TimelineIndex } from '@/lib/replay/timeline-index';
import { assembleTimeline, type TimelineEvent } from '@/lib/tlog';
import { fixtureMessages } from '../support/fixtures';

// The pure pieces the player's view is built from.

const bytes = (s: string) => new TextEncoder().encode(s);
const key = (
  k: string,
  mods: Partial<Record<'shiftKey' | 'ctrlKey' | 'metaKey' | 'altKey', boolean>> = {},
) =>
  commandForKey({
    key: k,
    shiftKey: false,
    ctrlKey: false,
    metaKey: false,
    altKey: false,
    ...mods,
  });

describe('keymap', () => {
  it.each([
    [' ', { kind: 'toggle' }],
    ['k', { kind: 'toggle' }],
    ['ArrowLeft', { kind: 'skip', ms: -5000 }],
    ['ArrowRight', { kind: 'skip', ms: 5000 }],
    [',', { kind: 'step', direction: -1 }],
    ['.', { kind: 'step', direction: 1 }],
    ['<', { kind: 'speed', direction: -1 }],
    ['>', { kind: 'speed', direction: 1 }],
    ['{', { kind: 'speed', direction: -1 }],
    ['}', { kind: 'speed', direction: 1 }],
    ['Backspace', { kind: 'speed-reset' }],
    ['0', { kind: 'jump', fraction: 0 }],
    ['7', { kind: 'jump', fraction: 0.7 }],
    ['Home', { kind: 'start' }],
    ['End', { kind: 'end' }],
    ['G', { kind: 'end' }],
    ['f', { kind: 'fullscreen' }],
    ['?', { kind: 'help' }],
    ['/', { kind: 'find' }],
    ['n', { kind: 'find-step', direction: 1 }],
    ['N', { kind: 'find-step', direction: -1 }],
  ])('%j', (k, command) => expect(key(k)).toEqual(command));

  it("Ctrl+F and ⌘F open find instead of the browser's, with no other modifier", () => {
    expect(key('f', { ctrlKey: true })).toEqual({ kind: 'find' });
    expect(key('f', { metaKey: true })).toEqual({ kind: 'find' });
    expect(key('f', { ctrlKey: true, shiftKey: true })).toBeNull();
    expect(key('f', { ctrlKey: true, altKey: true })).toBeNull();
  });

  it('Shift+arrows move 30 s; Ctrl, Alt and Meta leave keys to the browser', () => {
    expect(key('ArrowLeft', { shiftKey: true })).toEqual({ kind: 'skip', ms: -30_000 });
    expect(key('ArrowRight', { shiftKey: true })).toEqual({ kind: 'skip', ms: 30_000 });
    expect(key('ArrowRight', { ctrlKey: true })).toBeNull();
    expect(key('k', { altKey: true })).toBeNull();
    expect(key('c', { metaKey: true })).toBeNull();
    expect(key('x')).toBeNull();
    expect(key('g')).toBeNull();
  });

  it('lists every key in the help table', () => {
    const listed = SHORTCUTS.flatMap((s) => s.keys).join(' ');
    for (const k of [
      'Space',
      'k',
      '←',
      '→',
      'Shift+←',
      ',',
      '.',
      '<',
      '>',
      '{',
      '}',
      'Backspace',
      '0',
      '9',
      'Home',
      'End',
      'G',
      'f',
      '?',
      '/',
      'Ctrl+F',
      'n',
      'N',
    ]) {
      expect(listed).toContain(k);
    }
  });
});

describe('speeds', () => {
  it('doubles and halves through the presets, clamped at 1/16 and 16', () => {
    expect(SPEEDS[0]).toBe(1 / 16);
    expect(SPEEDS.at(-1)).toBe(16);
    expect(stepSpeed(1, 1)).toBe(2);
    expect(stepSpeed(1, -1)).toBe(0.5);
    expect(stepSpeed(16, 1)).toBe(16);
    expect(stepSpeed(1 / 16, -1)).toBe(1 / 16);
    expect(stepSpeed(3, 1)).toBe(4);
    expect(stepSpeed(3, -1)).toBe(2);
  });
  it('names speeds as people read them', () => {
    expect(SPEEDS.map(formatSpeed)).toEqual([
      '1/16×',
      '1/8×',
      '1/4×',
      '1/2×',
      '1×',
      '2×',
      '4×',
      '8×',
      '16×',
    ]);
    expect(formatSpeed(1.5)).toBe('1.5×');
  });
});

describe('clampSize', () => {
  it.each([
    [80, 24, 80, 24],
    [65535, 65535, 500, 200],
    [0, 0, 80, 24],
    [1, 1, 2, 1],
    [Number.NaN, 30, 80, 30],
  ])('%i x %i -> %i x %i', (c, r, cols, rows) => expect(clampSize(c, r)).toEqual({ cols, rows }));
});

describe('replay cost', () => {
  it('counts bytes plus line feeds', () => {
    expect(outputCost(bytes('abc'))).toBe(3);
    expect(outputCost(bytes('1\r\n2\r\n'))).toBe(6 + 2 * LINE_FEED_COST);
  });
});

describe('TimelineIndex', () => {
  const timeline = assembleTimeline(fixtureMessages('resize'));
  const index = new TimelineIndex();
  index.sync(timeline.events);
  it('counts the events due at a time', () => {
    expect(index.countAt(-1)).toBe(0);
    expect(index.countAt(timeline.durationMs)).toBe(timeline.events.length);
    const mid = timeline.events[50]!.t;
    expect(timeline.events[index.countAt(mid) - 1]!.t).toBe(mid);
    expect(timeline.events[index.countAt(mid)]!.t).toBeGreaterThan(mid);
  });
  it('finds the output moments around a time', () => {
    const outputs = timeline.events.filter((e) => e.kind === 'output').map((e) => e.t);
    expect(index.nextOutputTime(5000)).toBe(outputs.find((t) => t > 5000));
    expect(index.previousOutputTime(5000)).toBe([...outputs].reverse().find((t) => t < 5000));
    expect(index.nextOutputTime(timeline.durationMs)).toBeNull();
    expect(index.previousOutputTime(0)).toBeNull();
  });
  it('sums the output cost, growing with the timeline', () => {
    const total = timeline.events.reduce(
      (s, e) => s + (e.kind === 'output' ? outputCost(e.data) : 0),
      0,
    );
    expect(index.costBefore(timeline.events.length)).toBe(total);
    const growing = new TimelineIndex();
    const events: TimelineEvent[] = [];
    for (const e of timeline.events) {
      events.push(e);
      growing.sync(events);
    }
    expect(growing.costBefore(events.length)).toBe(total);
  });
});

describe('ActivityIndex', () => {
  it('puts output in time slices, log-scaled, and spreads them onto a longer span', () => {
    const events: TimelineEvent[] = [
      { kind: 'output', t: 0, data: bytes('a') },
      { kind: 'output', t: 999, data: new Uint8Array(1000) },
      { kind: 'window', t: 500, cols: 80, rows: 24 },
    ];
    const activity = new ActivityIndex(1000, 10);
    expect(activity.sync(events, 999)).toBe(true);
    expect(activity.sync(events, 999)).toBe(false);
    const levels = activity.levels();
    expect(levels[9]).toBe(1);
    expect(levels[0]).toBeGreaterThan(0);
    expect(levels[0]).toBeLessThan(0.2);
    expect(levels.slice(1, 9).every((l) => l === 0)).toBe(true);
    events.push({ kind: 'output', t: 1999, data: bytes('z') });
    // The events are not read again: a let-go output (no bytes now) keeps its weight.
    events[1] = { kind: 'output', t: 999, data: new Uint8Array(0) };
    activity.sync(events, 1999);
    expect(activity.span).toBe(1999);
    const longer = activity.levels();
    expect(longer[4]).toBe(1);
    expect(longer[0]).toBeGreaterThan(0);
    expect(longer[9]).toBeGreaterThan(0);
    expect(longer[9]).toBeLessThan(0.2);
    expect(longer.filter((l) => l > 0)).toHaveLength(3);
  });
});

describe('input log', () => {
  it('tells keystrokes from terminal replies', () => {
    const { tokens } = tokenizeInput(
      'ls\x1b[A\x1b[12;1R\x1b[?1;2c\x1b]11;rgb:0000/0000/0000\x07\x03\r',
      5,
    );
    expect(tokens.map((t) => [t.kind, t.text])).toEqual([
      ['text', 'ls'],
      ['key', '↑'],
      ['reply', 'ESC[12;1R'],
      ['reply', 'ESC[?1;2c'],
      ['reply', 'ESC]11;rgb:0000/0000/0000'],
      ['key', '^C'],
      ['key', '⏎'],
    ]);
  });
  it('names keys', () => {
    const names = (s: string) => tokenizeInput(s, 0).tokens.map((t) => t.text);
    expect(names('\x7f\t\x1bOA\x1b[3~\x1b[1;5C\x1bx\x1b')).toEqual([
      '⌫',
      '⇥',
      '↑',
      'Delete',
      '→',
      'M-x',
      'Esc',
    ]);
    expect(names('\x1b[200~pasted\x1b[201~')).toEqual(['paste[', 'pasted', ']paste']);
  });
  it('keeps a sequence split between events whole', () => {
    const log = new InputLog();
    log.sync([
      { kind: 'input', t: 1, data: bytes('a\x1b[1') },
      { kind: 'input', t: 2, data: bytes('2;40R') },
    ]);
    expect(log.lines[0]?.tokens.map((t) => [t.kind, t.text])).toEqual([
      ['text', 'a'],
      ['reply', 'ESC[12;40R'],
    ]);
  });
  it('splits input.tlog into lines at each Enter', () => {
    const log = new InputLog();
    log.sync(assembleTimeline(fixtureMessages('input')).events);
    const text = log.lines.map((l) => l.tokens.map((t) => t.text).join(''));
    expect(text[0]).toBe('echo hello⏎');
    expect(text).toContain('s3cret-Pa55⏎');
    expect(text).toContain('ecoh⌫⌫⌫cho typo fixed⏎');
    expect(log.lines.every((l, i) => i === 0 || l.t >= log.lines[i - 1]!.t)).toBe(true);
  });
});

describe('event batches', () => {
  it.each(['input', 'gap'])(
    'round-trip through typed arrays, keeping indices (%s: input, gaps)',
    (name) => {
      const events = assembleTimeline(fixtureMessages(name)).events;
      expect(new Set(events.map((e) => e.kind))).toContain(name);
      const batch = packEvents(events, 3, events.length);
      expect(batch.first).toBe(3);
      expect(transferables(batch)).toHaveLength(5);
      const back = unpackEvents(batch);
      expect(back).toEqual(events.slice(3));
    },
  );
});
