// Scope patterns (a role's hosts and users), defined once for both sources.
//
// A pattern matches a whole value, case-sensitively, one Unicode code point
// at a time:
//   `*`  any run of code points, including none;
//   `?`  exactly one code point (an emoji such as 👍 is one; é written as e
//        plus a combining accent is two; nothing is normalized);
//   anything else is itself, literally (`.`, `[`, `(` and `+` included).
// There is no escape: a pattern cannot name a literal `*` or `?`.
//
// Two rules come from what Elasticsearch indexes, so that the files source
// sees what Elasticsearch would:
// - a value longer than MAX_INDEXED_UNITS UTF-16 code units matches no
//   pattern: rsyslog's dynamic mapping gives `.keyword` `ignore_above: 256`,
//   which Elasticsearch counts in Java chars, and does not index longer
//   values, so no `term` or `wildcard` query can find them (auditty's own
//   template, template.ts, sets no such bound: on its indices Elasticsearch
//   can still match a longer value, which no tlog host or user name is);
// - a list that holds `*` itself matches every value, longer ones too: the
//   query then has no filter at all (`**` is a pattern like the others).
//
// Elasticsearch runs a pattern with `*` or `?` as a `wildcard` query and
// one without as a `term` query (lib/sources/elasticsearch/queries.ts).
// Lucene's wildcard syntax (WildcardQuery.toAutomaton) is the same as this
// one plus `\`, its escape character; so what this definition cannot say
// the same way on both sources is refused when the policy is read
// (patternProblem):
// - `\`: Lucene would read `\*` as a literal star, the files source as a
//   backslash and a wildcard;
// - a lone surrogate or U+FFFD: Elasticsearch indexes a value's lone
//   surrogate as U+FFFD or `?` depending on its version, so such a
//   character could match on one source and not the other (a `?` or `*`
//   still matches it as one character on both);
// - control characters, an empty pattern, more than MAX_PATTERN_UNITS code
//   units (policy.ts);
// - a pattern whose automaton is too costly for Lucene to determinize
//   (Elasticsearch would refuse every query of the role; see withinEffort).

/** The pattern that means "everything" when a list holds it. */
export const EVERYTHING = '*';

/** Elasticsearch's `ignore_above` on rsyslog's `.keyword` sub-fields, in UTF-16 code units. */
export const MAX_INDEXED_UNITS = 256;

/** The longest pattern, in UTF-16 code units (the policy's bound, as for a host or user name). */
export const MAX_PATTERN_UNITS = 255;

/** True when the list lets every value through (Elasticsearch gets no filter). */
export function isUnrestricted(patterns: readonly string[]): boolean {
  return patterns.includes(EVERYTHING);
}

/** True when the pattern needs a wildcard query (otherwise it is one exact value). */
export function hasWildcard(pattern: string): boolean {
  return pattern.includes('*') || pattern.includes('?');
}

/**
 * The pattern as the `value` of an Elasticsearch `wildcard` query, with the
 * same meaning: `\` is Lucene's only escape character, so a backslash is
 * written `\\`. The policy refuses `\`; this keeps a scope made elsewhere exact.
 */
export function toLuceneWildcard(pattern: string): string {
  return pattern.replaceAll('\\', '\\\\');
}

// Tokens are code points; a cache keeps lists of many recordings from
// splitting the same patterns again for every value.
const tokenCache = new Map<string, string[]>();
const TOKEN_CACHE_SIZE = 4096;

function tokens(pattern: string): string[] {
  let split = tokenCache.get(pattern);
  if (!split) {
    split = Array.from(pattern);
    if (tokenCache.size >= TOKEN_CACHE_SIZE) tokenCache.clear();
    tokenCache.set(pattern, split);
  }
  return split;
}

/**
 * Whether `pattern` matches `value`, by the definition above. Linear in
 * their product at worst (backtracking to the last `*` only), so neither a
 * pattern nor a recorded value can make it slow.
 */
function matchTokens(pattern: string[], value: string[]): boolean {
  let p = 0;
  let v = 0;
  let star = -1;
  let resume = 0;
  while (v < value.length) {
    const token = pattern[p];
    if (token === '*') {
      star = p++;
      resume = v;
    } else if (token !== undefined && (token === '?' || token === value[v])) {
      p++;
      v++;
    } else if (star >= 0) {
      p = star + 1;
      v = ++resume;
    } else {
      return false;
    }
  }
  while (pattern[p] === '*') p++;
  return p === pattern.length;
}

/** Whether one pattern matches a value (values too long for the index match none). */
export function globMatches(pattern: string, value: string): boolean {
  if (value.length > MAX_INDEXED_UNITS) return false;
  if (!hasWildcard(pattern)) return pattern === value;
  return matchTokens(tokens(pattern), Array.from(value));
}

/** Whether a list of patterns lets a value through: `*` in it, or one pattern matching. */
export function matchesAny(patterns: readonly string[], value: string): boolean {
  if (isUnrestricted(patterns)) return true;
  if (value.length > MAX_INDEXED_UNITS) return false;
  let split: string[] | null = null;
  for (const pattern of patterns) {
    if (!hasWildcard(pattern)) {
      if (pattern === value) return true;
      continue;
    }
    split ??= Array.from(value);
    if (matchTokens(tokens(pattern), split)) return true;
  }
  return false;
}

/**
 * Lucene determinizes a wildcard's automaton and gives up past a fixed
 * amount of work (Operations.determinize: the sizes of the state sets it
 * builds, up to 10 x DEFAULT_DETERMINIZE_WORK_LIMIT = 100,000); the query,
 * and so every list of the role, then fails. The same subset construction
 * over the pattern's positions measures that work here, against a tenth of
 * Lucene's budget: margin for what this model leaves out (the automaton's
 * UTF-8 form). What costs much is a `*` followed by many `?`: `*a` and ten
 * `?` is refused here (Lucene itself gives up a few `?` later);
 * `*.example.com`, `web-*-??` and `*a*b*c*` cost little.
 */
const EFFORT_BUDGET = 10_000;

function withinEffort(pattern: string[]): boolean {
  // Without `*` each position has one successor: no blow-up.
  const first = pattern.indexOf('*');
  if (first < 0) return true;
  const n = pattern.length;
  // Before the first `*` a state is one position; after it, a set of the
  // positions from there on: when those are few, so are the sets.
  const span = n - first + 1;
  if (span <= 20 && first + 2 ** span * span <= EFFORT_BUDGET) return true;
  // A state is the set of positions (tokens matched so far) still alive.
  const close = (alive: Uint8Array): number[] => {
    const set: number[] = [];
    for (let i = 0; i <= n; i++) {
      if (alive[i] === 0) continue;
      set.push(i);
      if (pattern[i] === '*') alive[i + 1] = 1;
    }
    return set;
  };
  const step = (set: number[], c: string): number[] => {
    const alive = new Uint8Array(n + 2);
    for (const i of set) {
      const token = pattern[i];
      if (token === '*') alive[i] = 1;
      else if (token === '?' || token === c) alive[i + 1] = 1;
    }
    return close(alive);
  };
  const initial = new Uint8Array(n + 2);
  initial[0] = 1;
  const start = close(initial);
  const seen = new Set([start.join(',')]);
  const queue = [start];
  let effort = 0;
  for (let set = queue.pop(); set; set = queue.pop()) {
    effort += set.length;
    if (effort > EFFORT_BUDGET) return false;
    // The literals awaited here, and '' for every other character.
    const symbols = new Set(['']);
    for (const i of set) {
      const token = pattern[i];
      if (token !== undefined && token !== '*' && token !== '?') symbols.add(token);
    }
    for (const c of symbols) {
      const next = step(set, c);
      const key = next.join(',');
      if (next.length > 0 && !seen.has(key)) {
        seen.add(key);
        queue.push(next);
      }
    }
  }
  return true;
}

const LONE_SURROGATE = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/;

/**
 * Why a pattern cannot be used (it would not mean the same on both
 * sources), or null. Emptiness, length and control characters are checked
 * by the policy's schema.
 */
export function patternProblem(pattern: string): string | null {
  if (pattern.includes('\\')) {
    return 'a pattern cannot hold "\\" (Elasticsearch would read it as an escape character, the files source as itself)';
  }
  if (LONE_SURROGATE.test(pattern)) {
    return 'a pattern cannot hold a lone surrogate (not valid Unicode text)';
  }
  if (pattern.includes('\uFFFD')) {
    return 'a pattern cannot hold U+FFFD (Elasticsearch may index a broken character as it)';
  }
  if (!withinEffort(tokens(pattern))) {
    return "the pattern is too complex for Elasticsearch's wildcard query (too many ? after a *)";
  }
  return null;
}
