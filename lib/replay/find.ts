// Find in a recording (docs/find.md): what the user asks for, checked where
// it enters, and the matcher that runs it over the screen text index
// (screen-text.ts) and the typed input. Regular expressions are bounded: a
// pattern that could backtrack without end is refused before it runs
// (find-pattern.ts), and each one runs on pieces of at most REGEX_PIECE
// characters.

import { requiredLiteral, unsafePattern } from './find-pattern';

export interface FindQuery {
  text: string;
  caseSensitive: boolean;
  wholeWord: boolean;
  regex: boolean;
}

export const EMPTY_QUERY: FindQuery = {
  text: '',
  caseSensitive: false,
  wholeWord: false,
  regex: false,
};

/** The longest search text. */
export const MAX_FIND_LENGTH = 200;
/** A regular expression runs on pieces of a line this long at most (a screen row is at most 500). */
export const REGEX_PIECE = 512;

/** A match in one line: [start, end) in UTF-16 units. */
export type Span = readonly [start: number, end: number];

export interface Matcher {
  readonly query: FindQuery;
  /**
   * True when a match can never contain a newline: lines joined with "\n"
   * can then be searched in one go (`global`).
   */
  readonly literal: boolean;
  /** A global regular expression for `literal` matchers. */
  readonly global: RegExp;
  /**
   * For a regular expression: a global one for a piece of text every match
   * contains (null: none found), to pick the lines worth running it on.
   */
  readonly required: RegExp | null;
  /** The matches in one line, left to right, not overlapping. */
  matchesIn(line: string): Span[];
}

export type Compiled = { ok: true; matcher: Matcher } | { ok: false; error: string };

/** A letter, digit or underscore in any script: what a whole word is made of. */
const WORD = '[\\p{L}\\p{N}\\p{M}_]';

/** Checks a query and builds its matcher; an empty text is an error too. */
export function compileQuery(query: FindQuery): Compiled {
  const { text } = query;
  if (text.length === 0) return { ok: false, error: 'Type something to find.' };
  if (text.length > MAX_FIND_LENGTH)
    return { ok: false, error: `The search is longer than ${MAX_FIND_LENGTH} characters.` };
  if (/[\u0000-\u001f\u007f]/.test(text))
    return { ok: false, error: 'The search may not contain control characters.' };
  let source: string;
  if (query.regex) {
    const problem = unsafePattern(text);
    if (problem) return { ok: false, error: problem };
    source = text;
  } else {
    source = escapeRegExp(text);
  }
  if (query.wholeWord) source = `(?<!${WORD})(?:${source})(?!${WORD})`;
  const flags = `gu${query.caseSensitive ? '' : 'i'}`;
  let global: RegExp;
  try {
    global = new RegExp(source, flags);
  } catch (err) {
    const reason =
      err instanceof Error ? err.message.replace(/^Invalid regular expression: /, '') : '';
    return { ok: false, error: `Not a valid regular expression: ${reason}` };
  }
  if (query.regex && global.test('')) {
    return { ok: false, error: 'This pattern matches empty text: it would match everywhere.' };
  }
  global.lastIndex = 0;
  const literal = !query.regex;
  // Its own copy: a search of joined lines (global) checks single lines on the way.
  const perLine = new RegExp(source, flags);
  const needed = literal ? null : requiredLiteral(text);
  return {
    ok: true,
    matcher: {
      query,
      literal,
      global,
      required: needed ? new RegExp(escapeRegExp(needed), flags) : null,
      matchesIn: (line) => (literal ? spans(perLine, line) : pieceSpans(perLine, line)),
    },
  };
}

function spans(re: RegExp, text: string, offset = 0): Span[] {
  const out: Span[] = [];
  re.lastIndex = 0;
  for (let m = re.exec(text); m; m = re.exec(text)) {
    if (m[0].length === 0) {
      re.lastIndex += 1;
      continue;
    }
    out.push([offset + m.index, offset + m.index + m[0].length]);
  }
  return out;
}

/** Regular expressions run on pieces of REGEX_PIECE units (so none runs long). */
function pieceSpans(re: RegExp, line: string): Span[] {
  if (line.length <= REGEX_PIECE) return spans(re, line);
  const out: Span[] = [];
  for (let at = 0; at < line.length; at += REGEX_PIECE) {
    out.push(...spans(re, line.slice(at, at + REGEX_PIECE), at));
  }
  return out;
}

export function escapeRegExp(text: string): string {
  return text.replace(/[\\^$.*+?()[\]{}|/]/g, '\\$&');
}

/** The query a `?find=` parameter asks for (a plain, case-insensitive search). */
export function queryFromParam(value: string | undefined): FindQuery | null {
  if (value === undefined) return null;
  const text = value.trim();
  return text ? { ...EMPTY_QUERY, text: text.slice(0, MAX_FIND_LENGTH) } : null;
}
