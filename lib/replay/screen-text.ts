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
  /**
   * The entry on this entry's row before it, or -1; for a burst (the lines
   * that scrolled away between two looks, kept as one entry), -2 less the
   * index of its lines' rows in burstRows.
   */
  private prevs = new Int32Array(1024);
  /** Each burst line's row (above the top: negative), burst after burst. */
  private burstRows = new Int16Array(1024);
  private burstLines = 0;
  private blocks: Block[] = [];
  private pending: string[] = [];
  private size = 0;
  private screens: Record<BufferKind, Screen> = { normal: newScreen(), alternate: newScreen() };
  private last: { buffer: BufferKind; rows: number; cols: number } | null = null;
  /** Characters of text held (for the memory report). */
  private chars = 0;

  /** The moment the index stopped taking lines, its budget spent (null: it has not). */
  fullAt: number | null = null;

  /** `budget`: about how many bytes the index may hold (`bytes`); past it, no more lines. */
  constructor(
    private readonly reader: ScreenReader,
    private readonly budget = Infinity,
  ) {}

  /** Entries so far. */
  get length(): number {
    return this.size;
  }

  /**
   * About what the index holds, in bytes: its typed arrays (14 bytes a line,
   * allocated ahead), 4 bytes a line of offsets, and the text at a byte a
   * character (V8 keeps Latin-1 text so; a block with other characters takes
   * two), plus each line's string while its block is not yet joined.
   */
  get bytes(): number {
    return (
      this.times.length * 14 +
      this.burstRows.length * 2 +
      this.size * 4 +
      this.chars +
      this.pending.length * 20
    );
  }

  /** Reads the screen after the output of moment `t` (ms). */
  check(t: number): void {
    if (this.fullAt !== null) return;
    if (this.bytes > this.budget) {
      this.fullAt = t;
      return;
    }
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
    // They are kept as one entry (a burst), each line with its row.
    const burst: ScrolledLine[] = [];
    for (const line of scrolled) {
      const { was, text } = line;
      if (!text || (was !== null && screen.rows[was] === text)) continue;
      if (screen.entryOf.has(text) || born.has(text)) continue;
      born.set(text, -1);
      burst.push(line);
    }
    if (burst.length === 1)
      born.set(burst[0]?.text ?? '', this.add(t, burst[0]?.row ?? 0, burst[0]?.text ?? '', -1));
    else if (burst.length > 1) {
      const entry = this.addBurst(t, burst);
      for (const line of burst) born.set(line.text, entry);
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
          if (block && matcher.required) {
            // A regular expression: only on the lines holding its literal part.
            i = this.searchRequired(matcher, block, b * BLOCK, i, blockEnd, hits, limit, deadline);
            if (performance.now() > deadline) return { hits, next: i, stopped: i < this.size };
            break;
          }
          this.searchEntry(matcher, i, this.text(i), hits, limit);
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
    for (const { m, k, base } of scanBlock(matcher.global, block, first, from, to)) {
      this.hitAt(matcher, first + k, block.text, base, m.index, m.index + m[0].length, hits);
      if (hits.length >= limit) return;
    }
  }

  /**
   * A regular expression over a sealed block: its required literal found in
   * one pass, and the expression run on each line holding it. Returns the
   * entry it got to.
   */
  private searchRequired(
    matcher: Matcher,
    block: Block,
    first: number,
    from: number,
    to: number,
    hits: ScreenHit[],
    limit: number,
    deadline: number,
  ): number {
    const re = matcher.required as RegExp;
    for (const { m, k, base } of scanBlock(re, block, first, from, to)) {
      // The line it is in: a whole entry, or one line of a burst.
      const lineStart = Math.max(base, block.text.lastIndexOf('\n', m.index) + 1);
      const lineEnd = block.text.indexOf('\n', m.index);
      const line = block.text.slice(lineStart, lineEnd);
      for (const [s, e] of matcher.matchesIn(line)) {
        this.hitAt(matcher, first + k, block.text, base, lineStart + s, lineStart + e, hits);
        if (hits.length >= limit) return first + k;
      }
      re.lastIndex = lineEnd + 1;
      if (performance.now() > deadline) return first + k + 1;
    }
    return to;
  }

  /** The hits in entry i (its text given): each line of a burst on its own. */
  private searchEntry(matcher: Matcher, i: number, text: string, hits: ScreenHit[], limit: number) {
    const burst = this.burstOf(i);
    if (burst < 0) {
      for (const [s, e] of matcher.matchesIn(text)) {
        if (hits.length < limit) this.hit(matcher, i, text, s, e, this.rowsOf[i] ?? 0, hits);
      }
      return;
    }
    text.split('\n').forEach((line, j) => {
      for (const [s, e] of matcher.matchesIn(line)) {
        if (hits.length < limit)
          this.hit(matcher, i, line, s, e, this.burstRows[burst + j] ?? 0, hits);
      }
    });
  }

  /** Where entry i's lines' rows start in burstRows, or -1 if it is not a burst. */
  private burstOf(i: number): number {
    const prev = this.prevs[i] ?? -1;
    return prev <= -2 ? -2 - prev : -1;
  }

  /** A hit at [start, end) of `text` (a block's), in entry i that starts there at `base`. */
  private hitAt(
    matcher: Matcher,
    i: number,
    text: string,
    base: number,
    start: number,
    end: number,
    hits: ScreenHit[],
  ): void {
    const burst = this.burstOf(i);
    if (burst < 0) {
      const entryEnd = text.indexOf('\n', end);
      this.hit(
        matcher,
        i,
        text.slice(base, entryEnd),
        start - base,
        end - base,
        this.rowsOf[i] ?? 0,
        hits,
      );
      return;
    }
    // Which of the burst's lines: count the newlines before it.
    let j = 0;
    let lineStart = base;
    for (
      let at = text.indexOf('\n', base);
      at !== -1 && at < start;
      at = text.indexOf('\n', at + 1)
    ) {
      j += 1;
      lineStart = at + 1;
    }
    const lineEnd = text.indexOf('\n', start);
    const line = text.slice(lineStart, lineEnd);
    this.hit(
      matcher,
      i,
      line,
      start - lineStart,
      end - lineStart,
      this.burstRows[burst + j] ?? 0,
      hits,
    );
  }

  /** Adds a hit unless the line before it on its row had the same match at the same place. */
  private hit(
    matcher: Matcher,
    i: number,
    text: string,
    start: number,
    end: number,
    row: number,
    hits: ScreenHit[],
  ): void {
    const prev = this.prevs[i] ?? -1;
    // (A burst before it on its row held many lines: the same place means nothing there.)
    if (prev >= 0 && this.burstOf(prev) < 0) {
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
      row,
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

  private addBurst(t: number, lines: readonly ScrolledLine[]): number {
    const first = this.burstLines;
    if (first + lines.length > this.burstRows.length) {
      const grown = new Int16Array(Math.ceil((first + lines.length) * 1.5));
      grown.set(this.burstRows);
      this.burstRows = grown;
    }
    lines.forEach((line, j) => (this.burstRows[first + j] = line.row));
    this.burstLines += lines.length;
    return this.add(t, lines[0]?.row ?? 0, lines.map((l) => l.text).join('\n'), -2 - first);
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
    const n = Math.ceil(this.times.length * 1.5);
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

/**
 * The non-empty matches of a global `re` in entries [from, to) of a block
 * (`first` is its first entry), each with the entry it is in (k, from the
 * block's start) and where that entry starts. The caller may move
 * `re.lastIndex` on between two matches.
 */
function* scanBlock(re: RegExp, block: Block, first: number, from: number, to: number) {
  re.lastIndex = block.starts[from - first] ?? 0;
  const stop = block.starts[to - first] ?? block.text.length;
  let k = from - first;
  for (let m = re.exec(block.text); m && m.index < stop; m = re.exec(block.text)) {
    if (m[0].length === 0) {
      re.lastIndex += 1;
      continue;
    }
    while ((block.starts[k + 1] ?? Infinity) <= m.index) k += 1;
    yield { m, k, base: block.starts[k] ?? 0 };
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
