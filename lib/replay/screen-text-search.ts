// A search of the screen text index's entries (screen-text.ts, docs/find.md,
// "What counts as a hit"): the sealed chunks whose trigram filter can hold
// the query's literal text, each searched in one pass over its joined text;
// the open block entry by entry.

import type { Matcher } from './find';
import { requiredLiteral } from './find-pattern';
import { mayHold, queryTrigrams } from './screen-text-filter';
import type { EntryStore } from './screen-text-store';

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

export interface SearchResult {
  hits: ScreenHit[];
  /** The entry to go on from. */
  next: number;
  stopped: boolean;
}

const EXCERPT = 160;

/** A sealed chunk's text: starts[k] is where entry first + k starts in it; one more at the end. */
interface Opened {
  first: number;
  end: number;
  text: string;
  starts: Uint32Array;
}

/** The text every match holds: a plain query's, or a regular expression's required literal. */
function literalOf(matcher: Matcher): string | null {
  if (matcher.literal) return matcher.query.text;
  return matcher.required ? requiredLiteral(matcher.query.text) : null;
}

/** See ScreenTextIndex.search. */
export function searchStore(
  store: EntryStore,
  matcher: Matcher,
  from: number,
  limit: number,
  deadline: number,
): SearchResult {
  const hits: ScreenHit[] = [];
  const grams = queryTrigrams(literalOf(matcher));
  const found = new Found(store, matcher, hits, limit);
  let i = from;
  while (i < store.length && !found.full()) {
    const chunk = store.chunkOf(i);
    if (!chunk) {
      // The open block: entry by entry.
      for (; i < store.length && !found.full(); i++) {
        found.inEntry(i, store.text(i));
        if ((i & 255) === 0 && performance.now() > deadline)
          return { hits, next: i + 1, stopped: true };
      }
      break;
    }
    if (!mayHold(chunk.filter, grams)) {
      i = chunk.end;
      continue;
    }
    const opened = {
      first: chunk.first,
      end: chunk.end,
      text: store.textOf(chunk),
      starts: store.metaOf(chunk).starts,
    };
    if (matcher.literal) {
      found.joined(opened, i);
      i = chunk.end;
    } else if (matcher.required) {
      i = found.required(opened, i, deadline);
    } else {
      for (; i < chunk.end && !found.full(); i++) {
        const k = i - opened.first;
        found.inEntry(i, opened.text.slice(opened.starts[k], (opened.starts[k + 1] ?? 0) - 1));
        if ((i & 255) === 0 && performance.now() > deadline)
          return { hits, next: i + 1, stopped: true };
      }
    }
    if (performance.now() > deadline) return { hits, next: i, stopped: i < store.length };
  }
  return { hits, next: i, stopped: i < store.length };
}

/** The hits of one search, as they are found. */
class Found {
  /** The burst line of the last hit in a burst: which (j), where it starts, in which entry's text. */
  private line = { text: '', base: -1, start: 0, j: 0 };

  constructor(
    private readonly store: EntryStore,
    private readonly matcher: Matcher,
    private readonly hits: ScreenHit[],
    private readonly limit: number,
  ) {}

  full(): boolean {
    return this.hits.length >= this.limit;
  }

  /** The hits in a chunk's entries from `from` on, in one pass over its joined text. */
  joined(chunk: Opened, from: number): void {
    for (const { m, k, base } of scanChunk(this.matcher.global, chunk, from)) {
      this.hitAt(chunk.first + k, chunk.text, base, m.index, m.index + m[0].length);
      if (this.full()) return;
    }
  }

  /**
   * A regular expression over a chunk: its required literal found in one
   * pass, and the expression run on each line holding it. Returns the entry
   * it got to.
   */
  required(chunk: Opened, from: number, deadline: number): number {
    const re = this.matcher.required as RegExp;
    const text = chunk.text;
    for (const { m, k, base } of scanChunk(re, chunk, from)) {
      // The line it is in: a whole entry, or one line of a burst.
      const lineStart = Math.max(base, text.lastIndexOf('\n', m.index) + 1);
      const lineEnd = text.indexOf('\n', m.index);
      const line = text.slice(lineStart, lineEnd);
      for (const [s, e] of this.matcher.matchesIn(line)) {
        this.hitAt(chunk.first + k, text, base, lineStart + s, lineStart + e);
        if (this.full()) return chunk.first + k;
      }
      re.lastIndex = lineEnd + 1;
      if (performance.now() > deadline) return chunk.first + k + 1;
    }
    return chunk.end;
  }

  /** The hits in entry i (its text given): each line of a burst on its own. */
  inEntry(i: number, text: string): void {
    const { meta: m, k } = this.store.at(i);
    if (m.prevs[k] !== -2) {
      for (const [s, e] of this.matcher.matchesIn(text)) {
        if (!this.full()) this.hit(i, text, s, e, m.rows[k] ?? 0);
      }
      return;
    }
    const burst = m.burstAt[k] ?? 0;
    text.split('\n').forEach((line, j) => {
      for (const [s, e] of this.matcher.matchesIn(line)) {
        if (!this.full()) this.hit(i, line, s, e, m.burstRows[burst + j] ?? 0);
      }
    });
  }

  /** A hit at [start, end) of `text` (a chunk's), in entry i that starts there at `base`. */
  private hitAt(i: number, text: string, base: number, start: number, end: number): void {
    const { meta: m, k } = this.store.at(i);
    if (m.prevs[k] !== -2) {
      const entryEnd = text.indexOf('\n', end);
      this.hit(i, text.slice(base, entryEnd), start - base, end - base, m.rows[k] ?? 0);
      return;
    }
    // Which of the burst's lines: count the newlines before it (on from the
    // last hit's line when it is in the same burst of the same text).
    const on = this.line.text === text && this.line.base === base && this.line.start <= start;
    let j = on ? this.line.j : 0;
    let lineStart = on ? this.line.start : base;
    for (
      let at = text.indexOf('\n', lineStart);
      at !== -1 && at < start;
      at = text.indexOf('\n', at + 1)
    ) {
      j += 1;
      lineStart = at + 1;
    }
    this.line = { text, base, start: lineStart, j };
    const line = text.slice(lineStart, text.indexOf('\n', start));
    const row = m.burstRows[(m.burstAt[k] ?? 0) + j] ?? 0;
    this.hit(i, line, start - lineStart, end - lineStart, row);
  }

  /** Adds a hit unless the line before it on its row had the same match at the same place. */
  private hit(i: number, text: string, start: number, end: number, row: number): void {
    const store = this.store;
    const { meta, k } = store.at(i);
    const t = meta.times[k] ?? 0;
    const prev = meta.prevs[k] ?? -1;
    // (A burst before it on its row held many lines: the same place means nothing there.)
    const before = prev >= 0 ? store.at(prev) : null;
    if (before && before.meta.prevs[before.k] !== -2) {
      const was = store.text(prev);
      const word = text.slice(start, end);
      if (
        was.slice(start, end) === word &&
        this.matcher.matchesIn(was).some(([s, e]) => s === start && e === end)
      ) {
        return;
      }
    }
    const lineStart = Math.max(0, Math.min(start - EXCERPT / 2, text.length - EXCERPT));
    this.hits.push({
      entry: i,
      t,
      row,
      start,
      end,
      line: text.slice(lineStart, lineStart + EXCERPT),
      lineStart,
    });
  }
}

/**
 * The non-empty matches of a global `re` in a chunk's entries from `from`
 * on, each with the entry it is in (k, from the chunk's first) and where
 * that entry starts. The caller may move `re.lastIndex` on between two
 * matches.
 */
function* scanChunk(re: RegExp, chunk: Opened, from: number) {
  const { text, starts } = chunk;
  let k = from - chunk.first;
  re.lastIndex = starts[k] ?? 0;
  for (let m = re.exec(text); m; m = re.exec(text)) {
    if (m[0].length === 0) {
      re.lastIndex += 1;
      continue;
    }
    while ((starts[k + 1] ?? Infinity) <= m.index) k += 1;
    yield { m, k, base: starts[k] ?? 0 };
  }
}
