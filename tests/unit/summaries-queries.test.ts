import { describe, expect, it } from 'vitest';
import { slowListNotice, staleNotice } from '@/lib/sources/elasticsearch';
import {
  documentFrom,
  patternKey,
  summaryId,
  summaryOf,
  type SummaryBucket,
} from '@/lib/sources/elasticsearch/summaries/document';
import {
  summaryFacetsBody,
  summaryFilters,
  summaryPageBody,
  TEXT_RECORDINGS_LIMIT,
  textAmongBody,
  textCountBody,
} from '@/lib/sources/elasticsearch/summaries/queries';
import { DYNAMIC_FIELDS } from '@/lib/sources/elasticsearch/queries';
import { SUMMARY_VERSION } from '@/lib/sources/elasticsearch/summaries/template';
import { OPEN_SCOPE, type ListQuery, type Scope } from '@/lib/sources/types';

// The summaries' request bodies and documents, computed without a cluster
// (tests/integration/summaries.test.ts and list-summaries.test.ts prove them
// on one, against the list over messages).

const PATTERN = 'tlog-*';
const base: ListQuery = { sort: 'start:desc', size: 50 };
const WEB: Scope = { hosts: ['web-*'], users: ['*'] };
// eslint-disable-next-line @typescript-eslint/no-explicit-any -- request bodies are free-form JSON
type Json = any;

describe('summaryFilters', () => {
  it('keeps to its deployment and, unrestricted, adds nothing else', () => {
    expect(summaryFilters(PATTERN, OPEN_SCOPE, {})).toEqual([
      { term: { kind: 'summary' } },
      { term: { pattern: PATTERN } },
    ]);
  });

  it('puts the scope in, and hides mixed recordings from a restricted caller', () => {
    const filters = summaryFilters(PATTERN, WEB, {}) as Json[];
    expect(filters).toContainEqual({ term: { mixed: false } });
    expect(JSON.stringify(filters)).toContain('web-*');
    // Only the host is restricted: no user clause.
    expect(filters).toHaveLength(4);
  });

  it('reads "active during from..to" as a message at or before to and one at or after from', () => {
    const filters = summaryFilters(PATTERN, OPEN_SCOPE, {
      fromMs: 1000,
      toMs: 2000,
      minDurationMs: 30_000,
      session: 7,
      user: ['alice', 'bob'],
      host: 'db-1',
    });
    expect(filters.slice(2)).toEqual([
      { terms: { user: ['alice', 'bob'] } },
      { terms: { host: ['db-1'] } },
      { term: { session: 7 } },
      { range: { last_pos: { gte: 30_000 } } },
      { range: { first_ts: { lte: 2000 } } },
      { range: { last_ts: { gte: 1000 } } },
    ]);
  });

  it('leaves the names out for the facets (each facet drops its own filter)', () => {
    expect(summaryFilters(PATTERN, OPEN_SCOPE, { user: 'alice' }, false)).toHaveLength(2);
  });
});

describe('summaryPageBody', () => {
  it('asks one more than the page, sorted with a tie-break, with the exact total', () => {
    const body = summaryPageBody(PATTERN, OPEN_SCOPE, base, null) as Json;
    expect(body.size).toBe(51);
    expect(body.track_total_hits).toBe(true);
    expect(body.sort).toEqual([{ first_ts: { order: 'desc' } }, { rec: { order: 'desc' } }]);
    expect(body.search_after).toBeUndefined();
  });

  it('sorts by duration on the last message position, and continues after the cursor', () => {
    const body = summaryPageBody(
      PATTERN,
      OPEN_SCOPE,
      { ...base, sort: 'duration:asc' },
      { position: { metric: 5000, rec: 'r9' }, groupDone: false },
    ) as Json;
    expect(body.sort).toEqual([{ last_pos: { order: 'asc' } }, { rec: { order: 'asc' } }]);
    expect(body.search_after).toEqual([5000, 'r9']);
  });

  it('in a grouped order, goes on with the next group once a group was shown whole', () => {
    const query: ListQuery = { ...base, sort: 'user:asc' };
    const within = summaryPageBody(PATTERN, OPEN_SCOPE, query, {
      position: { metric: 10, rec: 'r1', group: 'bob' },
      groupDone: false,
    }) as Json;
    expect(within.sort[0]).toEqual({ user: { order: 'asc' } });
    expect(within.search_after).toEqual(['bob', 10, 'r1']);
    const next = summaryPageBody(PATTERN, OPEN_SCOPE, query, {
      position: { metric: 10, rec: 'r1', group: 'bob' },
      groupDone: true,
    }) as Json;
    expect(next.search_after).toBeUndefined();
    expect(next.query.bool.filter).toContainEqual({ range: { user: { gt: 'bob' } } });
  });

  it('keeps to the recordings a text search found', () => {
    const body = summaryPageBody(PATTERN, WEB, base, null, ['a', 'b']) as Json;
    expect(body.query.bool.filter).toContainEqual({ terms: { rec: ['a', 'b'] } });
    expect(body.query.bool.filter).toContainEqual({ term: { mixed: false } });
  });
});

describe('summaryFacetsBody', () => {
  it('counts users within the host filter and hosts within the user filter, in scope', () => {
    const body = summaryFacetsBody(
      PATTERN,
      WEB,
      { ...base, user: 'alice', host: 'web-1' },
      null,
      20,
    ) as Json;
    expect(body.size).toBe(0);
    expect(body.aggs.users.filter).toEqual({ terms: { host: ['web-1'] } });
    expect(body.aggs.hosts.filter).toEqual({ terms: { user: ['alice'] } });
    expect(body.aggs.users.aggs.top.terms).toMatchObject({ field: 'user', size: 20 });
    expect(JSON.stringify(body.query)).toContain('web-*');
    expect(JSON.stringify(body.query)).not.toContain('alice');
  });
});

describe('text search on summaries', () => {
  const query: ListQuery = { ...base, q: 'passwd', user: 'alice', fromMs: 1000 };

  it('counts the matching messages only up to the limit: a cheap test of a common word', () => {
    const body = textCountBody(DYNAMIC_FIELDS, WEB, query) as Json;
    expect(body.size).toBe(0);
    expect(body.track_total_hits).toBe(TEXT_RECORDINGS_LIMIT + 1);
    const text = JSON.stringify(body.query);
    // The scope, the user and the text within the time range are all in it.
    expect(text).toContain('web-*');
    expect(text).toContain('alice');
    expect(text).toContain('passwd');
    expect(text).toContain('"gte":1000');
  });

  it('asks which recordings of a batch hold the text, under the same conditions', () => {
    const body = textAmongBody(DYNAMIC_FIELDS, WEB, query, ['r1', 'r2', 'r3']) as Json;
    expect(body.query.bool.filter).toContainEqual({ terms: { 'rec.keyword': ['r1', 'r2', 'r3'] } });
    expect(JSON.stringify(body.query)).toContain('passwd');
    expect(JSON.stringify(body.query)).toContain('web-*');
    expect(body.aggs.recs.terms).toEqual({ field: 'rec.keyword', size: 3 });
  });
});

describe('summary documents', () => {
  const hit = (source: Record<string, unknown>) => ({
    hits: { hits: [{ _index: 'tlog-2026.11.30', _id: 'x', _source: source }] },
  });
  const bucket = (over: Partial<SummaryBucket> = {}): SummaryBucket =>
    ({
      key: 'rec-1',
      doc_count: 4,
      min_id: { value: 1 },
      max_id: { value: 5 },
      distinct_ids: { value: 4 },
      first_ts: { value: Date.parse('2026-11-30T23:59:00Z') },
      first: hit({
        host: 'web-1',
        user: 'alice',
        session: 3,
        term: 'xterm',
        time: Date.parse('2026-11-30T23:59:00Z') / 1000,
        pos: 0,
      }),
      last: hit({ pos: 120_000, timing: '+500' }),
      input: { doc_count: 0 },
      last_ts: { value: Date.parse('2026-12-01T00:01:00Z') },
      last_pos: { value: 120_000 },
      hosts: { value: 1 },
      users: { value: 1 },
      indices: { buckets: [{ key: 'tlog-2026.12.01' }, { key: 'tlog-2026.11.30' }] },
      ...over,
    }) as SummaryBucket;
  const NOW = Date.parse('2026-12-01T12:00:00Z');

  it('holds what the list shows, a recording across midnight in both daily indices', () => {
    const doc = documentFrom(PATTERN, bucket(), NOW);
    expect(doc).toMatchObject({
      kind: 'summary',
      pattern: PATTERN,
      rec: 'rec-1',
      host: 'web-1',
      user: 'alice',
      session: 3,
      start: Date.parse('2026-11-30T23:59:00Z'),
      duration_ms: 120_500,
      messages: 4,
      first_id: 1,
      last_id: 5,
      gaps: 1,
      has_input: false,
      mixed: false,
      indices: ['tlog-2026.11.30', 'tlog-2026.12.01'],
      updated_at: NOW,
      version: SUMMARY_VERSION,
    });
    expect(doc?.end).toBe((doc?.start ?? 0) + 120_500);
    // The list item it stands for is the one the messages give.
    const item = summaryOf(doc!, NOW);
    expect(item).toMatchObject({ id: 'rec-1', messages: 4, gaps: 1, durationMs: 120_500 });
    expect(item).not.toHaveProperty('live');
    // The live flag is the one of the moment it is read at, not of the document.
    expect(summaryOf(doc!, (doc?.end ?? 0) + 1000).live).toBe(true);
  });

  it('marks a recording whose messages name two hosts or two users as mixed', () => {
    expect(documentFrom(PATTERN, bucket({ hosts: { value: 2 } }), NOW)?.mixed).toBe(true);
    expect(documentFrom(PATTERN, bucket({ users: { value: 2 } }), NOW)?.mixed).toBe(true);
  });

  it('makes no document of a bucket without ids', () => {
    expect(documentFrom(PATTERN, bucket({ min_id: { value: null } }), NOW)).toBeNull();
  });

  it('keys every document by its deployment, so two patterns never share one', () => {
    expect(patternKey('tlog-*')).toMatch(/^[0-9a-f]{16}$/);
    expect(patternKey('tlog-*')).toBe(patternKey('tlog-*'));
    expect(patternKey('tlog-*')).not.toBe(patternKey('tlog-staging-*'));
    expect(summaryId('tlog-*', 'r')).not.toBe(summaryId('tlog-staging-*', 'r'));
  });
});

describe('what the list page says', () => {
  const NOW = Date.parse('2026-12-01T12:00:00Z');

  it('says nothing while the summaries are fresh', () => {
    expect(staleNotice(NOW - 59_000, NOW)).toBeNull();
    expect(slowListNotice({ mode: 'ready', updatedAt: NOW })).toBeNull();
  });

  it('says how old the summaries are once no summarizer keeps them', () => {
    expect(staleNotice(NOW - 5 * 60_000, NOW)).toBe(
      'The list was last brought up to date 5 min ago (2026-12-01 11:55 UTC): newer recordings and messages may be missing from it. No summarizer seems to be running (README, "Recording summaries").',
    );
    expect(staleNotice(NOW - 3 * 3600_000, NOW)).toMatch(
      /^The list was last brought up to date 3 h ago/,
    );
  });

  it('says the list is slow meanwhile, without naming indices or credentials', () => {
    expect(slowListNotice({ mode: 'backfill', percent: 45 })).toBe(
      'Indexing recordings: 45%. Until it is done the list is computed from the messages, which is slow on large indices.',
    );
    const unavailable = slowListNotice({
      mode: 'unavailable',
      reason: 'the credentials may not read auditty-summaries; grant',
    });
    expect(unavailable).toBe(
      'The list is computed from the messages, which is slow on large indices: the recording summaries are not available (an admin finds why in /api/health).',
    );
  });
});
