// The screen text index (docs/find.md): every line of text as the terminal
// showed it over the whole recording, with the moment it appeared, so that
// a search finds what scrolled away long ago and what a full-screen program
// drew, after escape sequences, backspaces and redraws were interpreted.
//
// The keyframe worker reads the screen after the last output event of each
// millisecond (and after each resize) through a ScreenReader. A line is an
// entry when its text appears where the screen did not show that text just
// before (scrolling and redrawing the same text add nothing); the entry
// knows which entry was on its row before it (`prev`), so that a search
// counts a word once while the line around it is being typed or updated.

import type { Matcher } from './find';

export type BufferKind = 'normal' | 'alternate';

/** What the index needs of a terminal (adapters/xterm-screen.ts). */
export interface ScreenReader {
  buffer(): BufferKind;
  rows(): number;
  cols(): number;
  /** The viewport rows written since the last call (inclusive), or null if unknown (all). */
  takeDirty(): { start: number; end: number } | null;
  /** Whether viewport row `y` continues the line above it (a wrapped line). */
  isContinuation(y: number): boolean;
  /** The text of the line starting at viewport row `y`, its wrapped rows joined. */
  lineText(y: number): string;
  /**
   * The normal buffer's lines that scrolled off the top since the last call
   * (or all of its scrollback, the first time), oldest first.
   */
  takeScrolled(): ScrolledLine[];
  /** After a resize: lines that scroll off from now on count (nothing new scrolled). */
  resetScrolled(): void;
}

export interface ScrolledLine {
  /** Its row above the top of the screen: -1 for the line just above. */
  row: number;
  /** Its row at the last call, if it was on screen then (null: not known). */
  was: number | null;
  text: string;
}

/** Entries per block of joined text. */
const BLOCK = 4096;

interface Block {
  /** The entries' texts joined with "\n". */
  text: string;
  /** starts[i]: where entry (block index × BLOCK + i) starts in text; one more at the end. */
  starts: Uint32Array;
}

/** One buffer's screen as the index last saw it. */
interface Screen {
  /** Per row: the text of the line starting there ('' for none or a continuation). */
  rows: string[];
  /** Per row: the entry of that text, or -1. */
  entries: number[];
  /** The texts on screen, counted. */
  count: Map<string, number>;
  /** For each text on screen: its entry. */
  entryOf: Map<string, number>;
}

const newScreen = (): Screen => ({ rows: [], entries: [], count: new Map(), entryOf: new Map() });

export interface ScreenHit {
  /** The entry (line) it is in: hits are in entry order, which is time order. */
  entry: number;
  /** ms: the moment the line with the match appeared. */
  t: number;
  /**
   * The viewport row of the line's start at that moment: negative for a
   * line that had scrolled off the top by then (-1: just above the top).
   */
  row: number;
  /** The match in the line's text: [start, end) in UTF-16 units. */
  start: number;
  end: number;
  /** The line's text (cut to about 160 characters around the match). */
  line: string;
  /** Where `line` starts in the entry's text. */
  lineStart: number;
}

const EXCERPT = 160;

export class ScreenTextIndex {
  private times = new Float64Array(1024);
  private rowsOf = new Int16Array(1024);
  private prevs = new Int32Array(1024);
  private blocks: Block[] = [];
  private pending: string[] = [];
  private size = 0;
  private screens: Record<BufferKind, Screen> = { normal: newScreen(), alternate: newScreen() };
  private last: { buffer: BufferKind; rows: number; cols: number } | null = null;
  /** Characters of text held (for the memory report). */
  private chars = 0;

  constructor(private readonly reader: ScreenReader) {}

  /** Entries so far. */
  get length(): number {
    return this.size;
  }

  /** About what the index holds, in bytes: text at one byte a character (mostly ASCII) and 14 per entry. */
  get bytes(): number {
    return this.chars + this.size * 14 + this.blocks.length * 64;
  }

  /** Reads the screen after the output of moment `t` (ms). */
  check(t: number): void {
    const reader = this.reader;
    const buffer = reader.buffer();
    const rows = reader.rows();
    const cols = reader.cols();
    const screen = this.screens[buffer];
    let dirty = reader.takeDirty();
    const last = this.last;
    const resized = last !== null && (last.rows !== rows || last.cols !== cols);
    if (!last || last.buffer !== buffer || resized) dirty = null;
    this.last = { buffer, rows, cols };
    let scrolled: ScrolledLine[] = [];
    if (buffer === 'normal') {
      if (resized) reader.resetScrolled();
      else scrolled = reader.takeScrolled();
    }
    let start = dirty ? Math.max(0, dirty.start) : 0;
    const end = dirty ? Math.min(rows - 1, dirty.end) : rows - 1;
    while (start > 0 && reader.isContinuation(start)) start -= 1;

    // What each row shows now; then which texts are new to the screen, all
    // judged against the screen before this moment (and a text new twice in
    // one moment is one entry); then the screen moves on.
    const changed: { y: number; text: string }[] = [];
    for (let y = start; y <= end; y++) {
      const text = reader.isContinuation(y) ? '' : reader.lineText(y);
      if (text !== (screen.rows[y] ?? '')) changed.push({ y, text });
    }
    for (let y = rows; y < screen.rows.length; y++) {
      if (screen.rows[y]) changed.push({ y, text: '' });
    }
    const born = new Map<string, number>();
    const entryFor = (text: string, row: number, prev: number): number =>
      screen.entryOf.get(text) ?? born.get(text) ?? this.born(born, t, row, text, prev);
    // Lines printed and scrolled away since the last look come first: they
    // came before what is on screen. One that was on screen then, unchanged,
    // was seen.
    for (const { row, was, text } of scrolled) {
      if (text && (was === null || screen.rows[was] !== text)) entryFor(text, row, -1);
    }
    const entries = changed.map(({ y, text }) =>
      text ? entryFor(text, y, screen.entries[y] ?? -1) : -1,
    );
    changed.forEach(({ y }) => forget(screen, screen.rows[y] ?? ''));
    changed.forEach(({ y, text }, i) => {
      if (y >= rows) return;
      const entry = entries[i] ?? -1;
      screen.rows[y] = text;
      screen.entries[y] = entry;
      if (text) {
        screen.count.set(text, (screen.count.get(text) ?? 0) + 1);
        screen.entryOf.set(text, entry);
      }
    });
    if (screen.rows.length > rows) {
      screen.rows.length = rows;
      screen.entries.length = rows;
    }
  }

  /** The text of entry `i`. */
  text(i: number): string {
    const b = Math.floor(i / BLOCK);
    const block = this.blocks[b];
    if (!block) return this.pending[i - b * BLOCK] ?? '';
    const k = i - b * BLOCK;
    return block.text.slice(block.starts[k], (block.starts[k + 1] ?? 0) - 1);
  }

  time(i: number): number {
    return this.times[i] ?? 0;
  }

  /**
   * The hits of `matcher` in entries [from, length), at most `limit`, and
   * whether it stopped early (the limit, or `deadline` in performance.now() ms).
   */
  search(
    matcher: Matcher,
    from = 0,
    limit = Infinity,
    deadline = Infinity,
  ): { hits: ScreenHit[]; next: number; stopped: boolean } {
    const hits: ScreenHit[] = [];
    let i = from;
    const full = (): boolean => hits.length >= limit;
    while (i < this.size && !full()) {
      const b = Math.floor(i / BLOCK);
      const block = this.blocks[b];
      const blockEnd = Math.min(this.size, (b + 1) * BLOCK);
      if (block && matcher.literal) {
        this.searchBlock(matcher, block, b * BLOCK, i, blockEnd, hits, limit);
        i = blockEnd;
      } else {
        for (; i < blockEnd && !full(); i++) {
          for (const [s, e] of matcher.matchesIn(this.text(i))) {
            if (!full()) this.hit(matcher, i, s, e, hits);
          }
          if ((i & 255) === 0 && performance.now() > deadline)
            return { hits, next: i + 1, stopped: true };
        }
      }
      if (performance.now() > deadline) return { hits, next: i, stopped: i < this.size };
    }
    return { hits, next: i, stopped: i < this.size };
  }

  private searchBlock(
    matcher: Matcher,
    block: Block,
    first: number,
    from: number,
    to: number,
    hits: ScreenHit[],
    limit: number,
  ): void {
    const re = matcher.global;
    re.lastIndex = block.starts[from - first] ?? 0;
    const stop = block.starts[to - first] ?? block.text.length;
    let k = from - first;
    for (let m = re.exec(block.text); m && m.index < stop; m = re.exec(block.text)) {
      if (m[0].length === 0) {
        re.lastIndex += 1;
        continue;
      }
      while ((block.starts[k + 1] ?? Infinity) <= m.index) k += 1;
      const base = block.starts[k] ?? 0;
      this.hit(matcher, first + k, m.index - base, m.index - base + m[0].length, hits);
      if (hits.length >= limit) return;
    }
  }

  /** Adds a hit unless the line before it on its row had the same match at the same place. */
  private hit(matcher: Matcher, i: number, start: number, end: number, hits: ScreenHit[]): void {
    const text = this.text(i);
    const prev = this.prevs[i] ?? -1;
    if (prev >= 0) {
      const before = this.text(prev);
      const word = text.slice(start, end);
      if (
        before.slice(start, end) === word &&
        matcher.matchesIn(before).some(([s, e]) => s === start && e === end)
      ) {
        return;
      }
    }
    const lineStart = Math.max(0, Math.min(start - EXCERPT / 2, text.length - EXCERPT));
    hits.push({
      entry: i,
      t: this.times[i] ?? 0,
      row: this.rowsOf[i] ?? 0,
      start,
      end,
      line: text.slice(lineStart, lineStart + EXCERPT),
      lineStart,
    });
  }

  private born(born: Map<string, number>, t: number, row: number, text: string, prev: number) {
    const entry = this.add(t, row, text, prev);
    born.set(text, entry);
    return entry;
  }

  private add(t: number, row: number, text: string, prev: number): number {
    const i = this.size;
    if (i >= this.times.length) this.grow();
    this.times[i] = t;
    this.rowsOf[i] = row;
    this.prevs[i] = prev;
    this.pending.push(text);
    this.chars += text.length + 1;
    this.size += 1;
    if (this.pending.length === BLOCK) this.seal();
    return i;
  }

  private seal(): void {
    const starts = new Uint32Array(this.pending.length + 1);
    let at = 0;
    this.pending.forEach((text, k) => {
      starts[k] = at;
      at += text.length + 1;
    });
    starts[this.pending.length] = at;
    // Joined into one string: one object instead of thousands, searched in one go.
    this.blocks.push({ text: this.pending.join('\n') + '\n', starts });
    this.pending = [];
  }

  private grow(): void {
    const n = this.times.length * 2;
    const times = new Float64Array(n);
    times.set(this.times);
    const rows = new Int16Array(n);
    rows.set(this.rowsOf);
    const prevs = new Int32Array(n);
    prevs.set(this.prevs);
    this.times = times;
    this.rowsOf = rows;
    this.prevs = prevs;
  }
}

function forget(screen: Screen, text: string): void {
  if (!text) return;
  const n = (screen.count.get(text) ?? 0) - 1;
  if (n > 0) screen.count.set(text, n);
  else {
    screen.count.delete(text);
    screen.entryOf.delete(text);
  }
}
