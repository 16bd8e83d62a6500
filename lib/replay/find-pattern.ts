// What find (find.ts) reads from a regular expression before running it:
// whether its backtracking is bounded (unsafePattern), and a piece of
// literal text every match holds (requiredLiteral), which the screen text
// index looks for first (docs/find.md, "Queries").

/** Unbounded quantifiers (`*`, `+`, `{n,}`, `{n,m}` with m > 16) a pattern may have. */
const MAX_UNBOUNDED = 2;

/**
 * Why a regular expression may not run, or null. Refused: back-references
 * and lookaround (which backtracking cannot bound), a quantified group that
 * holds a quantifier or an alternation (`(a+)+`, `(a|a)*`: exponential), and
 * more than MAX_UNBOUNDED unbounded quantifiers (`a*a*a*`: polynomial of a
 * high degree). What is left runs in at most about n³ steps on n characters
 * (find.ts runs it on pieces of REGEX_PIECE).
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
