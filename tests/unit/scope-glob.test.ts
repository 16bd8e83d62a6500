import { describe, expect, it } from 'vitest';
import { scopeFilters, DYNAMIC_FIELDS, type FieldNames } from '@/lib/sources/elasticsearch/queries';
import {
  globMatches,
  isUnrestricted,
  matchesAny,
  MAX_INDEXED_UNITS,
  toLuceneWildcard,
} from '@/lib/sources/glob';
import { inScope } from '@/lib/sources/scope';
import { OPEN_SCOPE, type Scope } from '@/lib/sources/types';
import { createRng, type Rng } from '../support/prng';

// Scope patterns have one definition (lib/sources/glob.ts) that both
// sources apply: the files source's matcher here, and the Elasticsearch
// queries checked through a small model of Lucene's WildcardQuery and
// TermQuery (tests/integration/scope-glob.test.ts runs both on a cluster).

const THUMB = '\u{1F44D}';
const NFC = 'w\u00e9b-1';
const NFD = 'we\u0301b-1';

describe('the glob definition', () => {
  // Each pattern, values it matches, and values it does not.
  it.each([
    // `*`: any run, none included, at either end or both.
    ['*', ['', 'anything at all'], []],
    ['**', [''], []],
    ['web-*', ['web-', 'web-10'], ['xweb-1']],
    ['*-1', ['web-1'], ['web-10']],
    ['*eb*', ['eb', 'web-1'], ['wexb']],
    ['a*b*c', ['abc', 'aXbYbZc'], ['acb']],
    // `?`: exactly one code point; astral characters are one, combining marks their own.
    ['?', ['a', THUMB, '\u{10000}', '\u{10FFFF}'], ['', 'ab']],
    ['??', [], [THUMB]],
    ['db?1', [`db${THUMB}1`], []],
    ['db??1', [], [`db${THUMB}1`]],
    ['w?b-1', [NFC], [NFD]],
    ['w??b-1', [NFD], [NFC]],
    [NFC, [NFC], [NFD]],
    ['x?', ['x\uD800'], []],
    ['x??', [], ['x\uD800']],
    // The empty pattern is the empty value (the policy refuses it).
    ['', [''], ['a']],
    // Everything else is literal.
    ['a.b', ['a.b'], ['axb']],
    ['.*', ['.abc'], ['abc']],
    ['(x|y)', ['(x|y)'], ['x']],
    ['[ab]*', ['[ab]c'], ['a']],
    ['a+', ['a+'], ['aa']],
    ['^a{2}$', ['^a{2}$'], ['aa']],
    ['b\\s', ['b\\s'], ['b s']],
    ['b\\*', ['b\\x'], ['b*']],
    // Case-sensitive, no folding of any kind.
    ['Root', ['Root'], ['root', 'ROOT']],
    ['WEB-*', [], ['web-1']],
    ['stra\u00dfe', [], ['STRASSE']],
    ['?oot', ['Root', 'root'], []],
  ] as [string, string[], string[]][])('%j', (pattern, matches, others) => {
    for (const value of matches) expect(globMatches(pattern, value), value).toBe(true);
    for (const value of others) {
      expect(globMatches(pattern, value), value).toBe(false);
      expect(matchesAny([pattern], value), value).toBe(false);
    }
  });

  it('matches no value longer than Elasticsearch indexes, unless the list holds * itself', () => {
    const long = `l${'o'.repeat(299)}`;
    expect(globMatches('l*', long)).toBe(false);
    expect(globMatches('*', long)).toBe(false);
    expect(matchesAny(['l*'], long)).toBe(false);
    expect(matchesAny(['**'], long)).toBe(false);
    expect(matchesAny(['*'], long)).toBe(true);
    expect(matchesAny(['x', '*'], long)).toBe(true);
    // Counted in UTF-16 code units, as Elasticsearch's ignore_above counts them.
    expect(THUMB.repeat(128).length).toBe(MAX_INDEXED_UNITS);
    expect(matchesAny([`${THUMB}*`], THUMB.repeat(128))).toBe(true);
    expect(matchesAny(['?'.repeat(128)], THUMB.repeat(128))).toBe(true);
    expect(matchesAny([`${THUMB}*`], THUMB.repeat(129))).toBe(false);
    expect(matchesAny(['a'.repeat(256)], 'a'.repeat(256))).toBe(true);
    expect(matchesAny(['a'.repeat(257)], 'a'.repeat(257))).toBe(false);
  });

  it('lets nothing through an empty list, and everything through a list holding *', () => {
    expect(matchesAny([], '')).toBe(false);
    expect(matchesAny([], 'vm')).toBe(false);
    expect(isUnrestricted(['*'])).toBe(true);
    expect(isUnrestricted(['vm', '*'])).toBe(true);
    expect(isUnrestricted(['**'])).toBe(false);
    expect(inScope({ hosts: ['web-*'], users: [] }, 'web-1', 'root')).toBe(false);
    expect(inScope({ hosts: ['web-*'], users: ['r?ot'] }, 'web-1', 'root')).toBe(true);
  });

  it('stays fast on patterns and values made to backtrack', () => {
    const pattern = `${'*a'.repeat(40)}*b`;
    const started = performance.now();
    for (let i = 0; i < 200; i++) expect(globMatches(pattern, 'a'.repeat(256))).toBe(false);
    expect(performance.now() - started).toBeLessThan(2000);
  });

  it('agrees with a regular expression over code points on random patterns and values', () => {
    const rng = createRng(14_10);
    const alphabet = ['a', 'b', '\u00e9', 'e', '\u0301', THUMB, '.', '('];
    const reference = (pattern: string) =>
      new RegExp(
        `^${Array.from(pattern)
          .map((c) => (c === '*' ? '.*' : c === '?' ? '.' : c.replace(/[.()]/g, '\\$&')))
          .join('')}$`,
        'su',
      );
    for (let i = 0; i < 3000; i++) {
      const pattern = word(rng, [...alphabet, '*', '?'], 6);
      const value = word(rng, [...alphabet, '\uD800'], 7);
      expect(
        globMatches(pattern, value),
        `${JSON.stringify(pattern)} ${JSON.stringify(value)}`,
      ).toBe(reference(pattern).test(value));
    }
  });
});

function word(rng: Rng, alphabet: string[], max: number): string {
  let out = '';
  for (let n = rng.int(0, max); n > 0; n--) out += rng.pick(alphabet);
  return out;
}

// What a filter from scopeFilters lets through, as Lucene reads it:
// WildcardQuery.toAutomaton (code points; `*`, `?`, and `\` escaping the
// next code point, a trailing one literal) and TermQuery (exact), over the
// terms a `.keyword` sub-field indexes (nothing past ignore_above; a lone
// surrogate as U+FFFD).
type Json = Record<string, unknown>;

function luceneWildcard(text: string): RegExp {
  const cps = Array.from(text);
  let body = '';
  for (let i = 0; i < cps.length; i++) {
    const c = cps[i] ?? '';
    if (c === '*') body += '.*';
    else if (c === '?') body += '.';
    else {
      const literal = c === '\\' && i + 1 < cps.length ? (cps[++i] ?? '') : c;
      body += literal.replace(/[\\^$.*+?()[\]{}|/]/g, '\\$&');
    }
  }
  return new RegExp(`^${body}$`, 'su');
}

function indexedTerm(value: string): string | null {
  if (value.length > MAX_INDEXED_UNITS) return null;
  return value.replace(
    /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/g,
    '\uFFFD',
  );
}

function lets(query: Json, doc: Record<string, string>): boolean {
  const [kind, body] = Object.entries(query)[0] as [string, Json];
  if (kind === 'bool') {
    const should = body.should as Json[] | undefined;
    if (body.must_not) return false;
    return (should ?? []).some((q) => lets(q, doc));
  }
  const [field, arg] = Object.entries(body)[0] as [string, unknown];
  const term = indexedTerm(doc[field] ?? '');
  if (term === null) return false;
  if (kind === 'term') return arg === term;
  if (kind === 'wildcard') {
    const { value, ...rest } = arg as { value: string };
    expect(rest).toEqual({});
    return luceneWildcard(value).test(term);
  }
  throw new Error(`unexpected query ${kind}`);
}

const esLets = (fields: FieldNames, scope: Scope, host: string, user: string) =>
  scopeFilters(fields, scope).every((q) => lets(q, { [fields.host]: host, [fields.user]: user }));

describe("Elasticsearch's scope filters", () => {
  it('are none for everything, nothing for no pattern, one clause per pattern otherwise', () => {
    expect(scopeFilters(DYNAMIC_FIELDS, OPEN_SCOPE)).toEqual([]);
    expect(scopeFilters(DYNAMIC_FIELDS, { hosts: ['vm', '*'], users: ['*', 'x'] })).toEqual([]);
    expect(scopeFilters(DYNAMIC_FIELDS, { hosts: [], users: ['*'] })).toEqual([
      { bool: { must_not: { match_all: {} } } },
    ]);
    // A pattern without wildcards stays a term query; `**` is a pattern like the others.
    const scope = { hosts: ['db-*', 'vm', `db${THUMB}?`], users: ['**', 'a.b'] };
    expect(scopeFilters({ rec: 'rec', host: 'host', user: 'user' }, scope)).toEqual([
      {
        bool: {
          should: [
            { wildcard: { host: { value: 'db-*' } } },
            { term: { host: 'vm' } },
            { wildcard: { host: { value: `db${THUMB}?` } } },
          ],
          minimum_should_match: 1,
        },
      },
      {
        bool: {
          should: [{ wildcard: { user: { value: '**' } } }, { term: { user: 'a.b' } }],
          minimum_should_match: 1,
        },
      },
    ]);
    // Case-sensitive: no case_insensitive anywhere.
    expect(JSON.stringify(scopeFilters(DYNAMIC_FIELDS, scope))).not.toContain('case');
  });

  it("escape Lucene's escape character, so a backslash stays one", () => {
    expect(toLuceneWildcard('b\\*')).toBe('b\\\\*');
    expect(scopeFilters(DYNAMIC_FIELDS, { hosts: ['b\\*', 'b\\s'], users: ['*'] })).toEqual([
      {
        bool: {
          should: [
            { wildcard: { 'host.keyword': { value: 'b\\\\*' } } },
            { term: { 'host.keyword': 'b\\s' } },
          ],
          minimum_should_match: 1,
        },
      },
    ]);
  });

  it('mean what the files source matches, on random scopes, hosts and users', () => {
    const rng = createRng(14_1010);
    const alphabet = ['a', 'A', '\u00e9', THUMB, '.', '\\', '-', '1'];
    const values = [
      ...Array.from({ length: 40 }, () => word(rng, [...alphabet, '\uD800'], 6)),
      THUMB.repeat(128),
      THUMB.repeat(129),
      `l${'o'.repeat(299)}`,
      '',
    ];
    for (let i = 0; i < 400; i++) {
      const patterns = () =>
        Array.from({ length: rng.int(0, 3) }, () =>
          rng.chance(0.05) ? '*' : word(rng, [...alphabet, '*', '?', '*', '?'], 5),
        );
      const scope = { hosts: patterns(), users: patterns() };
      for (let j = 0; j < 20; j++) {
        const host = rng.pick(values);
        const user = rng.pick(values);
        expect(
          esLets(DYNAMIC_FIELDS, scope, host, user),
          `${JSON.stringify(scope)} ${JSON.stringify(host)} ${JSON.stringify(user)}`,
        ).toBe(inScope(scope, host, user));
      }
    }
  });
});
