import { readdirSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { HeadlessShadow } from '@/lib/replay/adapters/xterm-headless-shadow';
import { compileQuery, EMPTY_QUERY, type FindQuery } from '@/lib/replay/find';
import { DEFAULT_POLICY, KeyframeBuilder } from '@/lib/replay/keyframes';
import { ScreenTextIndex } from '@/lib/replay/screen-text';
import {
  emptyMeta,
  frontCode,
  frontDecode,
  packMeta,
  packText,
  unpackMeta,
  unpackText,
} from '@/lib/replay/screen-text-codec';
import { mayHold, queryTrigrams, trigramFilter } from '@/lib/replay/screen-text-filter';
import { assembleTimeline, type TimelineEvent } from '@/lib/tlog';
import { fixtureMessages, fixtureNames, messagesOfFile } from '../support/fixtures';

// The screen text index (lib/replay/screen-text.ts) as the keyframe worker
// builds it: over a headless terminal, read after each moment's output.

const encoder = new TextEncoder();
const out = (t: number, text: string): TimelineEvent => ({
  kind: 'output',
  t,
  data: encoder.encode(text),
});

async function indexOf(
  events: readonly TimelineEvent[],
  options: { trackRows?: boolean; parts?: number; budget?: number } = {},
): Promise<ScreenTextIndex> {
  const shadow = new HeadlessShadow({ trackRows: options.trackRows ?? true });
  const index = new ScreenTextIndex(shadow.screen, options.budget);
  const builder = new KeyframeBuilder(
    shadow,
    () => undefined,
    DEFAULT_POLICY,
    (t) => index.check(t),
  );
  // In parts, as a recording arrives while it is being indexed.
  const parts = options.parts ?? 3;
  const size = Math.ceil(events.length / parts);
  for (let i = 0; i < events.length; i += size) {
    await builder.push(events.slice(i, i + size), i + size >= events.length);
  }
  shadow.dispose();
  return index;
}

function search(index: ScreenTextIndex, text: string, options: Partial<FindQuery> = {}) {
  const compiled = compileQuery({ ...EMPTY_QUERY, text, ...options });
  if (!compiled.ok) throw new Error(compiled.error);
  return index.search(compiled.matcher).hits;
}

const entries = (index: ScreenTextIndex) =>
  Array.from({ length: index.length }, (_, i) => `${index.time(i)} ${index.text(i)}`);

const HOSTILE = path.resolve(import.meta.dirname, '../fixtures/hostile');

const hostileEvents = (name: string): readonly TimelineEvent[] =>
  assembleTimeline(messagesOfFile(path.join(HOSTILE, `${name}.tlog`))).events;

describe('screen text index', () => {
  it('reads what the screen shows after backspaces and redraws, not the bytes', async () => {
    // bash echoes a backspace as BS, then erases to the end of the line.
    const index = await indexOf([
      out(100, '$ '),
      out(200, 's'),
      out(300, 'd'),
      out(400, 'o'),
      out(500, '\b\b\x1b[K'),
      out(600, 'u'),
      out(700, 'd'),
      out(800, 'o'),
      out(900, ' ls\r\n'),
    ]);
    const hits = search(index, 'sudo');
    expect(hits.map((h) => [h.t, h.row, h.start, h.end])).toEqual([[800, 0, 2, 6]]);
    expect(search(index, 'sdo')).toHaveLength(1);
  });

  it('counts a word once while the line around it is typed or updated in place', async () => {
    const index = await indexOf([
      out(0, '$ sudo'),
      out(100, ' -i'),
      out(200, '\r\n'),
      out(1000, '\x1b[H load 0.10  passwd'),
      out(2000, '\x1b[H load 0.20  passwd'),
      out(3000, '\x1b[H load 0.30  passwd'),
    ]);
    expect(search(index, 'sudo').map((h) => h.t)).toEqual([0]);
    expect(search(index, 'passwd').map((h) => h.t)).toEqual([1000]);
    expect(search(index, 'load 0.2').map((h) => h.t)).toEqual([2000]);
  });

  it('finds what scrolled away, and scrolling adds no lines of its own', async () => {
    const lines = Array.from({ length: 200 }, (_, i) => out(i * 10, `line ${i}\r\n`));
    const index = await indexOf(lines);
    expect(index.length).toBe(200);
    const hits = search(index, 'line 3', { wholeWord: true });
    expect(hits.map((h) => [h.t, h.row])).toEqual([[30, 3]]);
    // Once the screen is full, a line is on the row above the cursor when its output ends.
    expect(search(index, 'line 150', { wholeWord: true }).map((h) => h.row)).toEqual([22]);
  });

  it('finds what a full-screen program drew, and the shell screen is not new again after it', async () => {
    const index = await indexOf([
      out(0, '$ vi notes\r\n'),
      out(100, '\x1b[?1049h\x1b[H\x1b[2J'),
      out(200, '\x1b[6;3Hthe SECRETWORD here'),
      out(300, '\x1b[24;1H-- INSERT --'),
      out(400, '\x1b[?1049l'),
      out(500, '$ '),
    ]);
    expect(search(index, 'secretword').map((h) => [h.t, h.row, h.start])).toEqual([[200, 5, 6]]);
    expect(search(index, 'vi notes').map((h) => h.t)).toEqual([0]);
    expect(entries(index)).toEqual([
      '0 $ vi notes',
      '200   the SECRETWORD here',
      '300 -- INSERT --',
      '500 $ ',
    ]);
  });

  it('joins a wrapped line, so a word across the wrap is found', async () => {
    const index = await indexOf([out(0, `${'x'.repeat(78)}passwd and more\r\n`)]);
    expect(index.length).toBe(1);
    expect(search(index, 'passwd').map((h) => [h.row, h.start, h.end])).toEqual([[0, 78, 84]]);
  });

  it('finds lines printed and scrolled away within one moment, above the screen', async () => {
    // One write of 100 lines into 24 rows: 77 of them are gone before the screen is read.
    const burst = Array.from({ length: 100 }, (_, i) => `burst ${i}\r\n`).join('');
    const index = await indexOf([out(0, '$ cat log\r\n'), out(50, burst), out(90, '$ ')]);
    const hits = search(index, 'burst', { wholeWord: true });
    expect(hits).toHaveLength(100);
    expect(hits.every((h) => h.t === 50)).toBe(true);
    // In the scrollback, counted from the top of the screen: burst 0 is 77 lines above it.
    expect(hits[0]?.row).toBe(-77);
    expect(search(index, 'burst 99', { wholeWord: true }).map((h) => h.row)).toEqual([22]);
    expect(search(index, 'cat log').map((h) => [h.t, h.row])).toEqual([[0, 0]]);
  });

  it('keeps one line for a text printed over and over (yes), and the last SCROLLBACK of a flood', async () => {
    const yes = await indexOf([out(0, 'y\r\n'.repeat(5000)), out(10, 'y\r\n'.repeat(5000))]);
    expect(entries(yes)).toEqual(['0 y']);
    const flood = Array.from({ length: 3000 }, (_, i) => `n${i}\r\n`).join('');
    const index = await indexOf([out(0, flood)]);
    // 1,000 lines of scrollback and 23 on screen hold what is left of 3,000:
    // those that scrolled away are one entry, a burst.
    expect(index.length).toBe(24);
    expect(search(index, '^n\\d+$', { regex: true })).toHaveLength(1023);
    expect(search(index, 'n1977', { wholeWord: true })).toHaveLength(1);
    expect(search(index, 'n1976', { wholeWord: true })).toHaveLength(0);
  });

  it('keeps the lines that scrolled away together as one entry, each line found on its row', async () => {
    const before = Array.from({ length: 200 }, (_, i) => out(i, `row ${i}\r\n`));
    const burst = Array.from({ length: 50 }, (_, i) => `deep ${i}\r\n`).join('');
    const after = Array.from({ length: 5000 }, (_, i) => out(1000 + i, `later ${i}\r\n`));
    const index = await indexOf([...before, out(500, burst), ...after], { parts: 5 });
    // 200 + 1 burst + 23 on screen + 5,000: the burst is in a sealed block.
    expect(index.length).toBe(200 + 1 + 23 + 5000);
    const row = (text: string, options: Partial<FindQuery> = {}) =>
      search(index, text, { wholeWord: true, ...options }).map((h) => [h.t, h.row, h.start]);
    expect(row('deep 0')).toEqual([[500, -27, 0]]);
    expect(row('deep 26')).toEqual([[500, -1, 0]]);
    expect(row('deep 27')).toEqual([[500, 0, 0]]);
    const regex = search(index, 'deep 1[0-9]', { regex: true });
    expect(regex.map((h) => h.row)).toEqual([-17, -16, -15, -14, -13, -12, -11, -10, -9, -8]);
    expect(regex.map((h) => h.line)).toEqual(Array.from({ length: 10 }, (_, i) => `deep 1${i}`));
    expect(search(index, 'later 4999')).toHaveLength(1);
  });

  it('stops taking lines once its budget is spent, and says from when', async () => {
    const lines = Array.from({ length: 3000 }, (_, i) =>
      out(i * 10, `entry ${i} ${'x'.repeat(40)}\r\n`),
    );
    const whole = await indexOf(lines);
    expect(whole.fullAt).toBeNull();
    expect(whole.bytes).toBeGreaterThan(100_000);
    const small = await indexOf(lines, { budget: 60_000 });
    expect(small.fullAt).not.toBeNull();
    // Checked before each moment: over by one moment's lines at most.
    expect(small.bytes).toBeLessThanOrEqual(60_000 + 100);
    expect(small.length).toBeGreaterThan(100);
    expect(small.length).toBeLessThan(whole.length);
    // What it holds is still found; the moment it stopped is the first line it left out.
    expect(search(small, 'entry 0', { wholeWord: true })).toHaveLength(1);
    expect(small.fullAt).toBe(whole.time(small.length));
  });

  it('reads the screen after the last output of each moment: what was there only within it is not on screen', async () => {
    const index = await indexOf([out(100, 'flash'), out(100, '\r\x1b[Kstays')]);
    expect(search(index, 'flash')).toEqual([]);
    expect(search(index, 'stays').map((h) => h.t)).toEqual([100]);
  });

  it('knows the rows each write touched: the same index as reading every row each time', async () => {
    const names = [...fixtureNames()];
    for (const name of names) {
      const events = assembleTimeline(fixtureMessages(name)).events;
      const tracked = await indexOf(events);
      const full = await indexOf(events, { trackRows: false, parts: 1 });
      expect(entries(tracked), name).toEqual(entries(full));
      expect(tracked.length, name).toBeGreaterThan(0);
    }
  });

  it('indexes the hostile fixtures the same way, within the screen (tests/fixtures/hostile)', async () => {
    const names = readdirSync(HOSTILE)
      .filter((f) => f.endsWith('.tlog'))
      .map((f) => f.replace(/\.tlog$/, ''));
    for (const name of names) {
      const events = hostileEvents(name);
      const tracked = await indexOf(events);
      const full = await indexOf(events, { trackRows: false, parts: 1 });
      expect(entries(tracked), name).toEqual(entries(full));
      expect(search(tracked, `END OF HOSTILE FIXTURE ${name}`).length, name).toBe(1);
    }
  }, 120_000);

  it('finds across blocks of entries, as one pass over the joined text does', async () => {
    // A word typed at the start: its lines end up in a sealed block.
    const typing = ['$ s', 'u', 'd', 'o', ' -i\r\n'].map((text, i) => out(i, text));
    const lines = Array.from({ length: 9000 }, (_, i) =>
      out(i, `row ${i} ${i % 1000 === 7 ? 'needle' : 'hay'}\r\n`),
    );
    const index = await indexOf([...typing, ...lines.map((e) => ({ ...e, t: e.t + 10 }))], {
      parts: 4,
    });
    expect(search(index, 'sudo').map((h) => [h.t, h.start, h.end])).toEqual([[3, 2, 6]]);
    const hits = search(index, 'NEEDLE');
    expect(hits.map((h) => h.t)).toEqual([17, 1017, 2017, 3017, 4017, 5017, 6017, 7017, 8017]);
    expect(hits.every((h) => index.text(h.entry).slice(h.start, h.end) === 'needle')).toBe(true);
    const regex = search(index, 'ne+dle', { regex: true });
    expect(regex.map((h) => h.t)).toEqual(hits.map((h) => h.t));
    // From a later line on, as the worker does with lines indexed after a search began.
    const compiled = compileQuery({ ...EMPTY_QUERY, text: 'needle' });
    if (!compiled.ok) throw new Error(compiled.error);
    expect(index.search(compiled.matcher, 5000).hits.map((h) => h.t)).toEqual([
      5017, 6017, 7017, 8017,
    ]);
    expect(index.search(compiled.matcher, 0, 2).hits).toHaveLength(2);
  });
});

describe('screen text index: sealed blocks (screen-text-store.ts)', () => {
  it('front-codes and packs text losslessly: surrogate pairs, lone surrogates, long prefixes', () => {
    const lines = [
      '',
      '$ s',
      '$ su',
      '$ sudo',
      'x'.repeat(10) + 'a', // a prefix of 10: the newline's code
      'x'.repeat(10) + 'b',
      '\u{1F600}a',
      '\u{1F601}b', // shares a high surrogate with the line before
      'lone \ud800 high',
      'lone \udc00 low',
      'y'.repeat(3000),
      'y'.repeat(3000) + 'z',
      '',
      'caf\u00e9 \u4e2d\u6587',
    ];
    const text = lines.join('\n') + '\n';
    const lone = packText(text);
    expect(lone.utf16).toBe(true);
    expect(unpackText(lone)).toBe(text);
    const clean = lines.filter((l) => !l.startsWith('lone')).join('\n') + '\n';
    const packed = packText(clean);
    expect(packed.utf16).toBe(false);
    expect(unpackText(packed)).toBe(clean);
    const bytes = new TextEncoder().encode(clean);
    const coded = frontCode(bytes);
    expect(coded.length).toBeLessThan(bytes.length);
    expect(frontDecode(coded, bytes.length)).toEqual(bytes);
  });

  it('packs per-entry data losslessly: moments (whole or not), rows, prevs, bursts', () => {
    const first = 8192;
    for (const times of [
      [0, 5, 5, 1_000_000, 1_000_001],
      [0.5, 1.25, 3, 3, 40.125],
    ]) {
      const m = emptyMeta(5, 5);
      m.n = 5;
      m.times.set(times);
      m.rows.set([0, -3, 23, 5, -1]);
      m.prevs.set([-1, -2, first + 0, first + 1, -2]);
      m.starts.set([0, 4, 20, 21, 30, 41]);
      m.burstAt.set([0, 0, 3, 3, 3, 5]);
      m.burstRows.set([-3, -2, -1, -1000, 7]);
      expect(unpackMeta(packMeta(m, first), first, 5, 5)).toEqual(m);
    }
  });

  it('filters by folded trigrams: never no for a text that matches, ſ and K included', () => {
    const filter = trigramFilter('$ \u017fUDO -i\nthe \u212Aelvin scale\nEmoji \u{1F600} here\n');
    for (const word of [
      'sudo',
      'SUDO',
      'kelvin',
      'Kelvin scale',
      'emoji',
      'here',
      'su',
      'x\u4e2dy',
    ])
      expect(mayHold(filter, queryTrigrams(word)), word).toBe(true);
    expect(mayHold(filter, queryTrigrams('qqqzzzxx'))).toBe(false);
    expect(mayHold(filter, queryTrigrams(null))).toBe(true);
  });

  it('finds in sealed, compressed chunks what the open block finds, in any script and case', async () => {
    const special = (i: number) => `\u017fUDO \u212Aelvin \u{1F600} caf\u00e9 #${i}`;
    const lines = Array.from({ length: 9000 }, (_, i) =>
      out(i, `row ${i} ${i % 1000 === 7 ? special(i) : 'hay'}\r\n`),
    );
    const index = await indexOf(lines, { parts: 3 });
    const held = index.bytes;
    const sevens = [7, 1007, 2007, 3007, 4007, 5007, 6007, 7007, 8007];
    for (const [text, options] of [
      ['sudo', {}],
      ['kelvin', {}],
      ['\u{1F600} CAF\u00c9', {}],
      ['caf\u00e9', { wholeWord: true, caseSensitive: true }],
      ['sudo k[a-z]+', { regex: true }],
      ['\u{1F600}', { regex: true }],
    ] as const) {
      const hits = search(index, text, options);
      expect(
        hits.map((h) => h.t),
        text,
      ).toEqual(sevens);
      expect(
        hits.every((h) => index.text(h.entry).includes(special(h.t))),
        text,
      ).toBe(true);
    }
    expect(search(index, 'qqqzzzxx')).toEqual([]);
    // 9,000 lines of about 14 characters: the two sealed blocks are held compressed.
    const chars = Array.from({ length: index.length }, (_, i) => index.text(i).length + 1);
    expect(held).toBeLessThan(chars.reduce((a, b) => a + b, 0) / 2);
  });
});
