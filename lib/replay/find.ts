// Find in a recording (docs/find.md): what the user asks for, checked where
// it enters, and the matcher that runs it over the screen text index
// (screen-text.ts) and the typed input. Regular expressions are bounded: a
// pattern that could backtrack without end is refused before it runs, and
// each one runs on pieces of at most REGEX_PIECE characters.

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
/** Unbounded quantifiers (`*`, `+`, `{n,}`, `{n,m}` with m > 16) a pattern may have. */
const MAX_UNBOUNDED = 2;

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

/**
 * Why a regular expression may not run, or null. Refused: back-references
 * and lookaround (which backtracking cannot bound), a quantified group that
 * holds a quantifier or an alternation (`(a+)+`, `(a|a)*`: exponential), and
 * more than MAX_UNBOUNDED unbounded quantifiers (`a*a*a*`: polynomial of a
 * high degree). What is left runs in at most about REGEX_PIECE³ steps.
 */
export function unsafePattern(pattern: string): string | null {
  // Each open group: whether it holds a quantifier or an alternation.
  const groups: { risky: boolean }[] = [];
  let unbounded = 0;
  let lastGroupRisky = false;
  /** The previous character closed a group. */
  let afterGroup = false;
  const quantified = (bounded: boolean, onGroup: boolean): string | null => {
    if (onGroup && lastGroupRisky)
      return 'A repeated group may not contain repetition or alternatives (it could take forever).';
    if (!bounded) unbounded += 1;
    if (unbounded > MAX_UNBOUNDED)
      return `At most ${MAX_UNBOUNDED} unbounded repetitions (*, + or {n,}) in a pattern.`;
    const open = groups[groups.length - 1];
    if (open) open.risky = true;
    return null;
  };
  for (let i = 0; i < pattern.length; i++) {
    const c = pattern[i];
    const closing = afterGroup;
    afterGroup = false;
    if (c === '\\') {
      const next = pattern[i + 1] ?? '';
      if (/[1-9]/.test(next) || next === 'k')
        return 'Back-references are not supported in searches.';
      i +=
        next === 'p' || next === 'P' || next === 'u' || next === 'x' ? skipEscape(pattern, i) : 1;
      continue;
    }
    if (c === '[') {
      i = skipClass(pattern, i);
      continue;
    }
    if (c === '(') {
      if (/^\(\?<?[=!]/.test(pattern.slice(i, i + 4)))
        return 'Lookahead and lookbehind are not supported in searches.';
      groups.push({ risky: false });
      // `(?:` and `(?<name>` open a group too: their `?` repeats nothing.
      const prefix = /^\(\?(?::|<[^>]*>)/.exec(pattern.slice(i));
      if (prefix) i += prefix[0].length - 1;
      continue;
    }
    if (c === ')') {
      const group = groups.pop();
      lastGroupRisky = group?.risky ?? false;
      const outer = groups[groups.length - 1];
      if (outer && lastGroupRisky) outer.risky = true;
      afterGroup = true;
      continue;
    }
    if (c === '|') {
      const open = groups[groups.length - 1];
      if (open) open.risky = true;
      continue;
    }
    if (c === '*' || c === '+' || c === '?' || c === '{') {
      let bounded = c === '?';
      if (c === '{') {
        const m = /^\{(\d+)(,(\d*))?\}/.exec(pattern.slice(i));
        if (!m) continue;
        bounded = m[2] === undefined || (m[3] !== '' && Number(m[3]) <= 16);
        i += m[0].length - 1;
      }
      const problem = quantified(bounded, closing);
      if (problem) return problem;
      // A lazy or possessive-looking suffix is part of this quantifier.
      if (pattern[i + 1] === '?') i += 1;
      continue;
    }
  }
  return null;
}

/**
 * A piece of literal text that every match of `pattern` contains, the
 * longest found at its top level (3 characters at least), or null: none
 * when the pattern has alternatives at its top level. Quantified
 * characters, groups, classes and escapes other than escaped punctuation
 * end a piece.
 */
export function requiredLiteral(pattern: string): string | null {
  let best = '';
  let run = '';
  const end = () => {
    if (run.length > best.length) best = run;
    run = '';
  };
  let depth = 0;
  for (let i = 0; i < pattern.length; i++) {
    const c = pattern[i] ?? '';
    if (c === '\\') {
      const next = pattern[i + 1] ?? '';
      i += 1;
      if (depth === 0 && /[\\^$.*+?()[\]{}|/-]/.test(next) && !quantifierAt(pattern, i + 1)) {
        run += next;
      } else {
        end();
        if (next === 'p' || next === 'P' || next === 'u' || next === 'x')
          i += skipEscape(pattern, i - 1) - 1;
      }
      continue;
    }
    if (c === '[') {
      end();
      i = skipClass(pattern, i);
      continue;
    }
    if (c === '(') {
      end();
      depth += 1;
      continue;
    }
    if (c === ')') {
      depth = Math.max(0, depth - 1);
      end();
      continue;
    }
    if (c === '|') {
      if (depth === 0) return null;
      continue;
    }
    if (depth > 0) continue;
    if (c === '{' && quantifierAt(pattern, i)) {
      end();
      i = pattern.indexOf('}', i);
      continue;
    }
    if ('.^$*+?'.includes(c)) {
      end();
      continue;
    }
    // A character a quantifier follows may be left out (or repeated): not part of a piece.
    if (quantifierAt(pattern, i + 1)) end();
    else run += c;
  }
  end();
  return best.length >= 3 ? best : null;
}

function quantifierAt(pattern: string, i: number): boolean {
  const c = pattern[i];
  return (
    c === '*' || c === '+' || c === '?' || (c === '{' && /^\{\d+(,\d*)?\}/.test(pattern.slice(i)))
  );
}

/** The index of the last character of a `\p{..}`, `\u{..}`, `\uXXXX` or `\xXX` escape. */
function skipEscape(pattern: string, i: number): number {
  const rest = pattern.slice(i);
  const m = /^\\[pP]\{[^}]*\}|^\\u\{[0-9a-fA-F]+\}|^\\u[0-9a-fA-F]{4}|^\\x[0-9a-fA-F]{2}/.exec(
    rest,
  );
  return m ? m[0].length - 1 : 1;
}

/** The index of a character class's closing `]`. */
function skipClass(pattern: string, i: number): number {
  for (let j = i + 1; j < pattern.length; j++) {
    if (pattern[j] === '\\') j += 1;
    else if (pattern[j] === ']' && j > i + 1) return j;
  }
  return pattern.length;
}

/** The query a `?find=` parameter asks for (a plain, case-insensitive search). */
export function queryFromParam(value: string | undefined): FindQuery | null {
  if (value === undefined) return null;
  const text = value.trim();
  return text ? { ...EMPTY_QUERY, text: text.slice(0, MAX_FIND_LENGTH) } : null;
}
