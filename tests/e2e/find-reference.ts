import headless from '@xterm/headless';
import { clampSize, SCROLLBACK } from '../../lib/replay/terminal-options';
import { fixtureTimeline } from './player-support';

// The reference for find (docs/find.md, "What counts as a hit"), built
// apart from the player's index: a plain @xterm/headless terminal plays the
// fixture's events, every row of the screen (and the scrollback printed
// since the last look) is read after the last output of each millisecond
// and before and after each resize, and the hits are found with
// indexOf on each line: no dirty-row tracking, no joined blocks, no regular
// expressions.

export interface ReferenceHit {
  t: number;
  row: number;
  start: number;
}

interface Entry {
  t: number;
  row: number;
  text: string;
  prev: number;
}

const WORD = /[\p{L}\p{N}\p{M}_]/u;

/** Every line that appeared on screen, in order (the index's entries). */
export async function referenceLines(fixture: string): Promise<Entry[]> {
  // More scrollback than the player keeps (SCROLLBACK): a line's place never moves here.
  const terminal = new headless.Terminal({
    cols: 80,
    rows: 24,
    scrollback: SCROLLBACK * 100,
    allowProposedApi: true,
  });
  const written = () => new Promise<void>((resolve) => terminal.write('', resolve));
  const entries: Entry[] = [];
  const screens = new Map<string, { rows: string[]; ids: number[] }>();
  /** The normal buffer's top line at the last look (-1: none yet). */
  let top = -1;
  const read = async (t: number, resized = false) => {
    await written();
    const buffer = terminal.buffer.active;
    const before = screens.get(buffer.type) ?? { rows: [], ids: [] };
    /** The line starting at absolute row `y`, with its wrapped rows before `end`. */
    const lineAt = (y: number, end: number) => {
      let last = y;
      while (last + 1 < end && buffer.getLine(last + 1)?.isWrapped) last += 1;
      let text = '';
      for (let k = y; k <= last; k++)
        text += buffer.getLine(k)?.translateToString(k === last) ?? '';
      return text;
    };
    const now: string[] = [];
    for (let y = 0; y < terminal.rows; y++) {
      const line = buffer.getLine(buffer.baseY + y);
      now.push(line?.isWrapped ? '' : lineAt(buffer.baseY + y, buffer.baseY + terminal.rows));
    }
    const shown = new Map<string, number>();
    before.rows.forEach((text, y) => {
      if (text) shown.set(text, before.ids[y] ?? -1);
    });
    const born = new Map<string, number>();
    const entryFor = (text: string, row: number, prev: number) => {
      const known = shown.get(text) ?? born.get(text);
      if (known !== undefined) return known;
      entries.push({ t, row, text, prev });
      born.set(text, entries.length - 1);
      return entries.length - 1;
    };
    // Printed and scrolled away since the last look, unless on screen then, unchanged.
    if (buffer.type === 'normal') {
      for (let y = resized ? buffer.baseY : Math.max(0, top); y < buffer.baseY; y++) {
        if (buffer.getLine(y)?.isWrapped) continue;
        const text = lineAt(y, buffer.length);
        const was = top < 0 ? undefined : before.rows[y - top];
        if (text && text !== was) entryFor(text, y - buffer.baseY, -1);
      }
      top = buffer.baseY;
    }
    const ids = now.map((text, y) => {
      if (!text) return -1;
      if (text === before.rows[y]) return before.ids[y] ?? -1;
      return entryFor(text, y, before.ids[y] ?? -1);
    });
    screens.set(buffer.type, { rows: now, ids });
  };
  let unseen = false;
  let lastT = 0;
  let size = clampSize(0, 0);
  terminal.resize(size.cols, size.rows);
  for (const event of fixtureTimeline(fixture).events) {
    if (unseen && event.t !== lastT) {
      await read(lastT);
      unseen = false;
    }
    if (event.kind === 'output') {
      terminal.write(event.data);
      unseen = true;
    } else if (event.kind === 'window') {
      const next = clampSize(event.cols, event.rows);
      if (next.cols !== size.cols || next.rows !== size.rows) {
        if (unseen) await read(lastT);
        await written();
        size = next;
        terminal.resize(size.cols, size.rows);
        await read(event.t, true);
        unseen = false;
      }
    }
    lastT = event.t;
  }
  if (unseen) await read(lastT);
  terminal.dispose();
  return entries;
}

/** Where a case-insensitive search for `word` finds it (whole words only, if asked). */
export async function referenceHits(
  fixture: string,
  word: string,
  options: { wholeWord?: boolean } = {},
): Promise<ReferenceHit[]> {
  const entries = await referenceLines(fixture);
  const needle = word.toLowerCase();
  const at = (text: string, start: number) =>
    text.toLowerCase().startsWith(needle, start) &&
    (!options.wholeWord ||
      (!WORD.test(text[start - 1] ?? ' ') && !WORD.test(text[start + word.length] ?? ' ')));
  const hits: ReferenceHit[] = [];
  for (const entry of entries) {
    const lower = entry.text.toLowerCase();
    for (
      let start = lower.indexOf(needle);
      start !== -1;
      start = lower.indexOf(needle, start + needle.length)
    ) {
      if (!at(entry.text, start)) continue;
      const before = entries[entry.prev];
      if (before && at(before.text, start)) continue;
      hits.push({ t: entry.t, row: entry.row, start });
    }
  }
  return hits;
}

/** The seek bar's ticks for these hits (seek-bar.tsx: one per 0.25% of the bar, at its first hit). */
export function referenceTicks(hits: readonly ReferenceHit[], durationMs: number): number[] {
  const span = Math.max(1, durationMs);
  const ticks: number[] = [];
  let lastSlot = -1;
  for (const hit of hits) {
    const slot = Math.floor((Math.min(span, Math.max(0, hit.t)) / span) * 400);
    if (slot !== lastSlot) ticks.push(hit.t);
    lastSlot = slot;
  }
  return ticks;
}
