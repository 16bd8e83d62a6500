import { describe, expect, it } from 'vitest';
import {
  compileQuery,
  EMPTY_QUERY,
  queryFromParam,
  REGEX_PIECE,
  type FindQuery,
  type Matcher,
} from '@/lib/replay/find';
import { requiredLiteral, unsafePattern } from '@/lib/replay/find-pattern';
import { inputHits, mergeHits, stepHit, type FindHit } from '@/lib/replay/find-hits';
import type { InputLine } from '@/lib/replay/input-log';

// Find's query, checked where it enters, and its matcher (lib/replay/find.ts).

const q = (text: string, options: Partial<FindQuery> = {}): FindQuery => ({
  ...EMPTY_QUERY,
  text,
  ...options,
});

function matcher(query: FindQuery): Matcher {
  const compiled = compileQuery(query);
  if (!compiled.ok) throw new Error(compiled.error);
  return compiled.matcher;
}

const words = (m: Matcher, line: string) => m.matchesIn(line).map(([s, e]) => line.slice(s, e));

describe('compileQuery', () => {
  it('refuses an empty, overlong or control-character search, each with its reason', () => {
    expect(compileQuery(q(''))).toEqual({ ok: false, error: 'Type something to find.' });
    expect(compileQuery(q('x'.repeat(201)))).toEqual({
      ok: false,
      error: 'The search is longer than 200 characters.',
    });
    expect(compileQuery(q('a\nb'))).toEqual({
      ok: false,
      error: 'The search may not contain control characters.',
    });
    expect(compileQuery(q('\u001b[31m'))).toMatchObject({ ok: false });
  });

  it('takes plain text literally, ignoring case unless asked', () => {
    const plain = matcher(q('a.b*'));
    expect(words(plain, 'xa.b*y axbb A.B*')).toEqual(['a.b*', 'A.B*']);
    expect(plain.literal).toBe(true);
    expect(words(matcher(q('Sudo', { caseSensitive: true })), 'sudo Sudo SUDO')).toEqual(['Sudo']);
  });

  it('matches whole words, in any script', () => {
    const whole = matcher(q('sudo', { wholeWord: true }));
    expect(words(whole, 'sudoers sudo -i visudo (sudo)')).toEqual(['sudo', 'sudo']);
    expect(words(matcher(q('café', { wholeWord: true })), 'cafés café caféine')).toEqual(['café']);
  });

  it('runs regular expressions, and explains a broken one', () => {
    const re = matcher(q('pass(wd|word)', { regex: true }));
    expect(re.literal).toBe(false);
    expect(words(re, 'passwd password passw')).toEqual(['passwd', 'password']);
    const broken = compileQuery(q('foo(', { regex: true }));
    expect(broken.ok).toBe(false);
    if (!broken.ok) expect(broken.error).toMatch(/^Not a valid regular expression: /);
    expect(compileQuery(q('x*', { regex: true }))).toEqual({
      ok: false,
      error: 'This pattern matches empty text: it would match everywhere.',
    });
  });

  it('runs a regular expression on pieces of a long line, so that none runs long', () => {
    const line = `${'a'.repeat(REGEX_PIECE - 2)}xyz${'b'.repeat(REGEX_PIECE)}xyz`;
    // The first xyz straddles two pieces: only the second is found.
    expect(words(matcher(q('xyz', { regex: true })), line)).toEqual(['xyz']);
    expect(matcher(q('xyz')).matchesIn(line)).toHaveLength(2);
  });
});

describe('unsafePattern', () => {
  it.each([
    ['(a+)+b', /repeated group/],
    ['(a|aa)*b', /repeated group/],
    ['(x?y)+', /repeated group/],
    ['((ab)+c)*', /repeated group/],
    ['a*a*a*b', /At most 2 unbounded/],
    ['.+x.+y.+z', /At most 2 unbounded/],
    ['a{1,100}b{2,}c+', /At most 2 unbounded/],
    ['(a)\\1', /Back-references/],
    ['(?<n>a)\\k<n>', /Back-references/],
    ['foo(?=bar)', /Lookahead/],
    ['(?<!x)foo', /Lookahead/],
  ])('refuses %s', (pattern, reason) => {
    expect(unsafePattern(pattern)).toMatch(reason);
    expect(compileQuery(q(pattern, { regex: true })).ok).toBe(false);
  });

  it.each([
    'sudo.*passwd',
    'rm\\s+-rf\\s/',
    '(foo|bar)baz',
    '(?:ab){3}',
    '[a-z]{2,4}\\d+',
    '[(+*]x',
    '\\(a+\\)+',
    '\\p{L}{3}',
  ])('runs %s', (pattern) => {
    expect(unsafePattern(pattern)).toBeNull();
    expect(compileQuery(q(pattern, { regex: true })).ok).toBe(true);
  });

  it('finishes the worst pattern it allows on the longest piece', () => {
    const m = matcher(q('a*a+c', { regex: true }));
    expect(m.matchesIn('a'.repeat(5000))).toEqual([]);
  });
});

describe('requiredLiteral', () => {
  it.each([
    ['line 1[0-2]:', 'line 1'],
    ['sudo.*passwd', 'passwd'],
    ['ab{2}cdef', 'cdef'],
    ['colou?r', 'colo'],
    ['a\\.b\\.c', 'a.b.c'],
    ['\\d+abc', 'abc'],
    ['(foo|bar)bazz', 'bazz'],
    ['\\p{L}{3}word', 'word'],
    ['x{100}', null],
    ['foo|bar', null],
    ['ab', null],
    ['[abc]+', null],
  ])('%s needs %s', (pattern, literal) => {
    expect(requiredLiteral(pattern)).toBe(literal);
    // Every match holds it.
    const m = matcher(q(pattern, { regex: true }));
    if (literal) expect(m.required?.source).toBe(literal.replace(/[.]/g, '\\.'));
    else expect(m.required).toBeNull();
  });
});

describe('queryFromParam', () => {
  it('makes a plain search of ?find=, trimmed and cut to the longest search', () => {
    expect(queryFromParam(undefined)).toBeNull();
    expect(queryFromParam('   ')).toBeNull();
    expect(queryFromParam(' passwd ')).toEqual(q('passwd'));
    expect(queryFromParam('y'.repeat(500))?.text).toHaveLength(200);
  });
});

describe('hits of a search', () => {
  const typed = (t: number, text: string): InputLine => ({
    t,
    tokens: [...text].map((c, i) => ({ kind: 'text' as const, text: c, t: t + i * 100 })),
  });

  it('finds typed input at the moment its first character was typed, keys and replies left out', () => {
    const lines: InputLine[] = [
      typed(1000, 'echo hi'),
      {
        t: 5000,
        tokens: [
          { kind: 'text', text: 'su', t: 5000 },
          { kind: 'key', text: '⌫', t: 5100 },
          { kind: 'reply', text: 'do', t: 5150 },
          { kind: 'text', text: 'do', t: 5200 },
        ],
      },
    ];
    const hits = inputHits(matcher(q('sudo')), lines);
    expect(hits).toEqual([
      { source: 'input', t: 5000, line: 'sudo', start: 0, end: 4, lineStart: 0 },
    ]);
    expect(inputHits(matcher(q('hi')), lines).map((h) => h.t)).toEqual([1500]);
  });

  const screen = (t: number) => ({
    entry: t,
    t,
    row: 0,
    start: 0,
    end: 1,
    line: 'x',
    lineStart: 0,
  });
  const input = (t: number): FindHit => ({
    source: 'input',
    t,
    line: 'x',
    start: 0,
    end: 1,
    lineStart: 0,
  });

  it('merges screen and input hits in time order', () => {
    const merged = mergeHits([screen(100), screen(300)], [input(50), input(300), input(400)]);
    expect(merged.map((h) => `${h.source}@${h.t}`)).toEqual([
      'input@50',
      'screen@100',
      'screen@300',
      'input@300',
      'input@400',
    ]);
  });

  it('steps to the next or previous hit from the moment shown, wrapping around', () => {
    const hits = mergeHits([screen(100), screen(200), screen(300)], []);
    expect(stepHit(hits, 0, 1, null)).toBe(0);
    expect(stepHit(hits, 150, 1, null)).toBe(1);
    expect(stepHit(hits, 150, -1, null)).toBe(0);
    expect(stepHit(hits, 350, 1, null)).toBe(0);
    expect(stepHit(hits, 50, -1, null)).toBe(2);
    // From a hit on screen: its neighbours, also when two share a moment.
    const same = mergeHits([screen(100), screen(100), screen(200)], []);
    expect(stepHit(same, 100, 1, 0)).toBe(1);
    expect(stepHit(same, 100, 1, 1)).toBe(2);
    expect(stepHit(same, 100, -1, 1)).toBe(0);
    expect(stepHit([], 0, 1, null)).toBeNull();
  });
});
