import { describe, expect, it } from 'vitest';
import { encodeCursor, decodeCursor } from '@/lib/sources/listing/cursor';
import { conditions, seekCondition, textQuery } from '@/lib/sources/elasticsearch/list-conditions';
import {
  countBody,
  firstMatchAgg,
  HIT_END,
  HIT_START,
  recordingsPageBody,
} from '@/lib/sources/elasticsearch/list-queries';
import {
  DYNAMIC_FIELDS,
  summariesBody,
  type FieldNames,
} from '@/lib/sources/elasticsearch/queries';
import { sortPlan } from '@/lib/sources/listing/order';
import { OPEN_SCOPE, type ListQuery, type Sort } from '@/lib/sources/types';

// The list's request bodies, computed without a cluster (integration tests
// prove them on one: tests/integration/browser-*.test.ts).

const TEMPLATE: FieldNames = { rec: 'rec', host: 'host', user: 'user' };
const base: ListQuery = { sort: 'start:desc', size: 50 };
// eslint-disable-next-line @typescript-eslint/no-explicit-any -- request bodies are free-form JSON
type Json = any;
type Body = { query: { bool: { filter: unknown[] } }; aggs: Record<string, Json> };
const page = (query: Partial<ListQuery>, cursor: string | null = null, fields = DYNAMIC_FIELDS) => {
  const q = { ...base, ...query };
  const plan = recordingsPageBody(
    fields,
    OPEN_SCOPE,
    q,
    cursor ? decodeCursor(cursor, q.sort) : null,
  );
  return { ...plan, body: plan.body as unknown as Body };
};
const cursorAt = (sort: Sort, m: number, r: string, g?: string, done = false) =>
  encodeCursor(sort, { metric: m, rec: r, ...(g !== undefined ? { group: g } : {}) }, done);

describe('recordingsPageBody', () => {
  it('lists newest first by the earliest message, one recording per bucket, one more than a page', () => {
    const { body, indicators, prunes } = page({});
    expect(body.query.bool.filter).toEqual([]);
    expect(body.aggs.recs.terms).toEqual({
      field: 'rec.keyword',
      size: 51,
      order: [{ metric: 'desc' }, { _key: 'desc' }],
    });
    expect(body.aggs.recs.aggs.metric).toEqual({ min: { field: 'timestamp' } });
    expect(body.aggs.total.aggs.n.cardinality).toEqual({
      field: 'rec.keyword',
      precision_threshold: 40000,
    });
    expect(indicators).toEqual([]);
    expect(prunes).toBe(false);
  });

  it('orders by the last message position for duration, and uses the fields of the mapping', () => {
    const { body } = page({ sort: 'duration:asc' }, null, TEMPLATE);
    expect(body.aggs.recs.aggs.metric).toEqual({ max: { field: 'pos' } });
    expect(body.aggs.recs.terms).toMatchObject({
      field: 'rec',
      order: [{ metric: 'asc' }, { _key: 'asc' }],
    });
  });

  it('filters the query on what a recording shares: users, hosts, session, scope', () => {
    const { body } = page({ user: ['alice', 'bob'], host: 'db-3', session: 7 });
    expect(body.query.bool.filter).toEqual([
      { terms: { 'user.keyword': ['alice', 'bob'] } },
      { term: { 'host.keyword': 'db-3' } },
      { term: { session: 7 } },
    ]);
    const scoped = recordingsPageBody(
      DYNAMIC_FIELDS,
      { hosts: ['db-*'], users: ['alice'] },
      base,
      null,
    );
    expect((scoped.body as unknown as Body).query.bool.filter).toEqual([
      {
        bool: {
          should: [{ wildcard: { 'host.keyword': { value: 'db-*' } } }],
          minimum_should_match: 1,
        },
      },
      { bool: { should: [{ term: { 'user.keyword': 'alice' } }], minimum_should_match: 1 } },
    ]);
  });

  it('turns text, time and duration into per-recording conditions, never into query filters', () => {
    const { body, indicators, approximateTotal } = page({
      q: 'rm -rf',
      fromMs: 1000,
      toMs: 2000,
      minDurationMs: 60_000,
    });
    expect(body.query.bool.filter).toEqual([]);
    expect(indicators).toEqual([
      { name: 'match', present: true },
      { name: 'minDuration', present: true },
    ]);
    expect(body.aggs.recs.terms.order).toEqual([
      { 'match>n': 'desc' },
      { 'minDuration>n': 'desc' },
      { metric: 'desc' },
      { _key: 'desc' },
    ]);
    expect(body.aggs.recs.aggs.match.filter).toEqual({
      bool: {
        filter: [
          textQuery('rm -rf'),
          { range: { timestamp: { format: 'epoch_millis', gte: 1000, lte: 2000 } } },
        ],
      },
    });
    expect(body.aggs.recs.aggs.minDuration).toEqual({
      filter: { range: { pos: { gte: 60_000 } } },
      aggs: { n: { cardinality: { field: 'rec.keyword', precision_threshold: 100 } } },
    });
    // Two conditions on possibly different messages: the total counts the first only.
    expect(approximateTotal).toBe(true);
    expect(body.aggs.total.filter).toEqual(body.aggs.recs.aggs.match.filter);
  });

  it('puts user text only into simple_query_string, with NOT off so that "-rf" is a word', () => {
    const q = 'a" OR b:* | (c) -rf \\';
    expect(textQuery(q)).toEqual({
      simple_query_string: {
        query: q,
        fields: ['out_txt'],
        default_operator: 'and',
        flags: 'AND|OR|PHRASE|PREFIX|WHITESPACE|PRECEDENCE|ESCAPE',
      },
    });
    const text = JSON.stringify(page({ q }).body);
    expect(text).toContain('"simple_query_string"');
    expect(text).not.toMatch(/(?<!simple_)query_string/);
  });

  it('skips what the cursor passed by filtering the query when nothing else depends on other messages', () => {
    const { body, prunes, indicators } = page({}, cursorAt('start:desc', 1700, 'r5'));
    expect(prunes).toBe(true);
    expect(indicators).toEqual([]);
    expect(body.aggs.total).toBeUndefined();
    expect(body.query.bool.filter).toEqual([
      {
        bool: {
          should: [
            { range: { timestamp: { lt: 1700, format: 'epoch_millis' } } },
            {
              bool: {
                filter: [
                  { range: { timestamp: { gte: 1700, format: 'epoch_millis' } } },
                  { range: { timestamp: { lte: 1700, format: 'epoch_millis' } } },
                  { range: { 'rec.keyword': { lt: 'r5' } } },
                ],
              },
            },
          ],
          minimum_should_match: 1,
        },
      },
    ]);
  });

  it('keeps the cursor a condition when other conditions need every message', () => {
    const { body, prunes, indicators } = page({ q: 'x' }, cursorAt('start:desc', 1700, 'r5'));
    expect(prunes).toBe(false);
    expect(indicators).toEqual([
      { name: 'match', present: true },
      { name: 'after', present: true },
    ]);
    expect(body.aggs.total).toBeDefined();
  });

  it.each([
    ['start:asc', 'timestamp', 'lt', 'lte', 0],
    ['duration:asc', 'pos', 'gt', 'gt', 1],
    ['duration:desc', 'pos', 'gt', 'gte', 0],
    ['start:desc', 'timestamp', 'lt', 'lt', 1],
  ] as const)('seeks after the cursor for %s', (sort, field, op, keyOp, want) => {
    const { filter, positive } = seekCondition(DYNAMIC_FIELDS, sortPlan(sort), 42, 'rk');
    expect(positive).toBe(want === 1);
    const should = (filter.bool.should as Record<string, Json>[]).map((q) => JSON.stringify(q));
    expect(should[0]).toContain(`"${field}":{"${op}":42`);
    expect(should[1]).toContain(`"rec.keyword":{"${keyOp}":"rk"}`);
    if (!positive) {
      const { indicators, body } = page({ sort }, cursorAt(sort, 42, 'rk'));
      expect(indicators).toEqual([{ name: 'after', present: false }]);
      expect(body.aggs.recs.terms.order[0]).toEqual({ 'after>n': 'asc' });
    }
  });

  it('groups by name for user and host orders, within a bucket budget', () => {
    const { body, groupSize } = page({ sort: 'user:desc', size: 500 });
    expect(groupSize).toBe(39);
    expect(body.aggs.groups.terms).toEqual({
      field: 'user.keyword',
      size: 39,
      order: [{ _key: 'desc' }],
    });
    expect(body.aggs.groups.aggs.recs.terms).toMatchObject({
      size: 501,
      order: [{ metric: 'desc' }, { _key: 'desc' }],
    });
    const small = page({ sort: 'host:asc', size: 20, q: 'x' });
    expect(small.body.aggs.groups.terms.order).toEqual([{ 'match>n': 'desc' }, { _key: 'asc' }]);
    expect(small.body.aggs.groups.aggs.match.aggs.n.cardinality.field).toBe('host.keyword');
  });

  it('resumes a grouped order inside the cursor group, or after it when it is done', () => {
    const within = page({ sort: 'host:asc' }, cursorAt('host:asc', 5, 'r', 'db-3'));
    expect(within.body.query.bool.filter[0]).toEqual({
      range: { 'host.keyword': { gte: 'db-3' } },
    });
    expect(JSON.stringify(within.body.query.bool.filter[1])).toContain(
      '{"must_not":{"term":{"host.keyword":"db-3"}}}',
    );
    const after = page({ sort: 'host:desc' }, cursorAt('host:desc', 0, '', 'db-3', true));
    expect(after.body.query.bool.filter).toEqual([{ range: { 'host.keyword': { lt: 'db-3' } } }]);
  });
});

describe('countBody', () => {
  it('counts with every filter, and each facet without its own', () => {
    const body = countBody(
      DYNAMIC_FIELDS,
      OPEN_SCOPE,
      { ...base, user: 'alice', host: ['a', 'b'], q: 'x' },
      true,
    ) as unknown as Body;
    expect(body.query.bool.filter).toEqual([textQuery('x')]);
    expect(body.aggs.total.filter).toEqual({
      bool: {
        filter: [{ term: { 'user.keyword': 'alice' } }, { terms: { 'host.keyword': ['a', 'b'] } }],
      },
    });
    expect(body.aggs.users.filter).toEqual({ terms: { 'host.keyword': ['a', 'b'] } });
    expect(body.aggs.hosts.filter).toEqual({ term: { 'user.keyword': 'alice' } });
    expect(body.aggs.users.aggs.top.terms).toEqual({
      field: 'user.keyword',
      size: 12,
      order: [{ recs: 'desc' }, { _key: 'asc' }],
    });
    const plain = countBody(DYNAMIC_FIELDS, OPEN_SCOPE, base, false) as unknown as Body;
    expect(Object.keys(plain.aggs)).toEqual(['total']);
  });
});

describe('first match and summaries', () => {
  it('asks for the first matching message, highlighted in full with private-use marks', () => {
    expect(firstMatchAgg(base)).toBeNull();
    const agg = firstMatchAgg({ ...base, q: 'burst', fromMs: 5 }) as Record<string, Json>;
    expect(agg.filter).toEqual(conditions({ ...base, q: 'burst', fromMs: 5 })[0]?.filter);
    expect(agg.aggs.first.top_hits).toMatchObject({ size: 1, sort: [{ id: 'asc' }] });
    expect(agg.aggs.first.top_hits.highlight.fields.out_txt).toEqual({
      highlight_query: textQuery('burst'),
      number_of_fragments: 0,
      pre_tags: [HIT_START],
      post_tags: [HIT_END],
    });
  });

  it('counts documents for a list and distinct ids for one recording', () => {
    const list = summariesBody(
      DYNAMIC_FIELDS,
      OPEN_SCOPE,
      ['a', 'b'],
      {},
      false,
    ) as unknown as Body;
    expect(list.aggs.recs.aggs.distinct_ids).toEqual({ value_count: { field: 'id' } });
    expect(list.aggs.recs.aggs.last.top_hits._source).toEqual(['pos', 'timing']);
    const one = summariesBody(DYNAMIC_FIELDS, OPEN_SCOPE, ['a'], {
      hit: { x: 1 },
    }) as unknown as Body;
    expect(one.aggs.recs.aggs.distinct_ids.cardinality.precision_threshold).toBe(40000);
    expect(one.aggs.recs.aggs.hit).toEqual({ x: 1 });
  });
});
