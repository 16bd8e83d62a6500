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
import { searchStore, type SearchResult } from './screen-text-search';
import { EntryStore } from './screen-text-store';

export type { ScreenHit } from './screen-text-search';

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

export class ScreenTextIndex {
  private store = new EntryStore();
  private screens: Record<BufferKind, Screen> = { normal: newScreen(), alternate: newScreen() };
  private last: { buffer: BufferKind; rows: number; cols: number } | null = null;

  /** The moment the index stopped taking lines, its budget spent (null: it has not). */
  fullAt: number | null = null;

  /** `budget`: about how many bytes the index may hold (`bytes`); past it, no more lines. */
  constructor(
    private readonly reader: ScreenReader,
    private readonly budget = Infinity,
  ) {}

  /** Entries so far. */
  get length(): number {
    return this.store.length;
  }

  /**
   * About what the index holds, in bytes (EntryStore.bytes: sealed blocks
   * compressed, the newest block as it came, what a search keeps unpacked).
   */
  get bytes(): number {
    return this.store.bytes;
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
    return this.store.text(i);
  }

  time(i: number): number {
    return this.store.time(i);
  }

  /**
   * The hits of `matcher` in entries [from, length), at most `limit`, and
   * whether it stopped early (the limit, or `deadline` in performance.now() ms).
   */
  search(matcher: Matcher, from = 0, limit = Infinity, deadline = Infinity): SearchResult {
    return searchStore(this.store, matcher, from, limit, deadline);
  }

  private born(born: Map<string, number>, t: number, row: number, text: string, prev: number) {
    const entry = this.add(t, row, text, prev);
    born.set(text, entry);
    return entry;
  }

  private add(t: number, row: number, text: string, prev: number): number {
    return this.store.add(t, row, text, prev);
  }

  /** Lines that scrolled away between two looks, as one entry: their texts joined, each with its row. */
  private addBurst(t: number, lines: readonly ScrolledLine[]): number {
    const text = lines.map((l) => l.text).join('\n');
    return this.store.add(
      t,
      lines[0]?.row ?? 0,
      text,
      -2,
      lines.map((l) => l.row),
    );
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
