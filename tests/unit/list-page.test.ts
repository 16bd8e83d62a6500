import { describe, expect, it } from 'vitest';
import { hrefWith, toHref, toggled } from '@/components/recordings-list/params';
import { readListParams as readParams } from '@/lib/list-params';
import { recordingsPageBody } from '@/lib/sources/elasticsearch/list-queries';
import { DYNAMIC_FIELDS } from '@/lib/sources/elasticsearch/queries';
import { readPage, readTotal } from '@/lib/sources/elasticsearch/reshape';
import { listQuerySchema as listParamsSchema, parseDuration } from '@/lib/schemas';
import { OPEN_SCOPE } from '@/lib/sources/types';

const bucket = (key: string, m: number, flags: Record<string, number> = {}) => ({
  key,
  metric: { value: m },
  ...Object.fromEntries(Object.entries(flags).map(([name, n]) => [name, { n: { value: n } }])),
});

describe('readPage', () => {
  it('takes recordings while they meet every condition, and one more tells a next page follows', () => {
    const plan = recordingsPageBody(
      DYNAMIC_FIELDS,
      OPEN_SCOPE,
      { sort: 'start:desc', size: 2, q: 'x' },
      null,
    );
    const buckets = [
      bucket('c', 30, { match: 1 }),
      bucket('b', 20, { match: 1 }),
      bucket('a', 10, { match: 1 }),
    ];
    const full = readPage(plan, { recs: { buckets }, total: { n: { value: 3 } } }, 2);
    expect(full.entries.map((e) => e.id)).toEqual(['c', 'b']);
    expect(full.next).toEqual({ position: { metric: 20, rec: 'b' }, groupDone: false });
    const short = readPage(
      plan,
      { recs: { buckets: [buckets[0], bucket('z', 5, { match: 0 }), buckets[2]] } },
      2,
    );
    expect(short.entries.map((e) => e.id)).toEqual(['c']);
    expect(short.next).toBeNull();
    expect(readTotal({ total: { n: { value: 3 } } })).toBe(3);
  });

  it('walks groups in order and continues after the last group when more may follow', () => {
    const plan = recordingsPageBody(
      DYNAMIC_FIELDS,
      OPEN_SCOPE,
      { sort: 'user:asc', size: 500 },
      null,
    );
    const groups = Array.from({ length: plan.groupSize }, (_, i) => ({
      key: `u${String(i).padStart(2, '0')}`,
      recs: { buckets: [bucket(`r${i}`, i)] },
    }));
    const page = readPage(plan, { groups: { buckets: groups, sum_other_doc_count: 10 } }, 500);
    expect(page.entries).toHaveLength(plan.groupSize);
    expect(page.entries[1]).toEqual({ id: 'r1', position: { group: 'u01', metric: 1, rec: 'r1' } });
    expect(page.next).toEqual({
      position: { group: `u${plan.groupSize - 1}`, metric: 0, rec: '' },
      groupDone: true,
    });
    expect(
      readPage(plan, { groups: { buckets: groups, sum_other_doc_count: 0 } }, 500).next,
    ).toBeNull();
  });
});

describe('list parameters', () => {
  it('parse repeated names, a session, durations, text, a cursor and facets', () => {
    const parsed = listParamsSchema.parse({
      user: ['alice', 'bob', 'alice', ''],
      host: 'db-3',
      session: '4294967295',
      min: '5m',
      q: ' rm -rf ',
      cursor: 'eyJ2Ijox',
      facets: '1',
      size: '20',
      sort: 'duration:asc',
    });
    expect(parsed).toEqual({
      user: ['alice', 'bob'],
      host: 'db-3',
      session: 4294967295,
      minDurationMs: 300_000,
      q: 'rm -rf',
      cursor: 'eyJ2Ijox',
      facets: true,
      size: 20,
      sort: 'duration:asc',
    });
  });

  it.each([
    [{ session: '4294967296' }, 'session'],
    [{ session: '-1' }, 'session'],
    [{ min: '5 minutes' }, 'min'],
    [{ q: 'x'.repeat(201) }, 'q'],
    [{ cursor: 'a b' }, 'cursor'],
    [{ sort: 'end:desc' }, 'sort'],
    [{ from: '2026-11-21', to: '2026-11-20' }, 'from'],
    [{ user: Array.from({ length: 51 }, (_, i) => `u${i}`) }, 'user'],
  ])('refuses %j', (input, field) => {
    const result = listParamsSchema.safeParse(input);
    expect(result.success).toBe(false);
    expect(result.error?.issues[0]?.path[0]).toBe(field);
  });

  it.each([
    ['90', 90_000],
    ['90s', 90_000],
    ['5m', 300_000],
    ['2h', 7_200_000],
    ['1:30', 90_000],
    ['1:75', null],
    ['m5', null],
  ])('reads the duration %s', (text, ms) => expect(parseDuration(text)).toBe(ms));
});

describe('list links', () => {
  const params = readParams({
    user: ['a', 'b'],
    q: 'rm -rf',
    cursor: 'abc',
    sort: 'user:asc',
    view: 'grouped',
    junk: 'x',
  });

  it('keep every filter in the URL, in a stable order', () => {
    expect(toHref(params)).toBe('/?q=rm+-rf&user=a&user=b&sort=user%3Aasc&view=grouped&cursor=abc');
    expect(toHref(readParams({}))).toBe('/');
  });

  it('go back to the first page when a filter changes, not when paging', () => {
    expect(hrefWith(params, { user: toggled(params.user, 'a') })).toBe(
      '/?q=rm+-rf&user=b&sort=user%3Aasc&view=grouped',
    );
    expect(hrefWith(params, { host: toggled(params.host, 'h') })).toBe(
      '/?q=rm+-rf&user=a&user=b&host=h&sort=user%3Aasc&view=grouped',
    );
    expect(hrefWith(params, { q: undefined })).toBe('/?user=a&user=b&sort=user%3Aasc&view=grouped');
    expect(hrefWith(params, { cursor: 'next' }, true)).toContain('cursor=next');
  });
});
