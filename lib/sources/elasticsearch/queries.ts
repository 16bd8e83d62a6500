// Elasticsearch request bodies, computed by pure functions from parsed
// parameters so that tests can check them without a cluster.

import { hasWildcard, isUnrestricted, toLuceneWildcard } from '../glob';
import type { IdRange, Scope } from '../types';

/** The concrete field names of an index (rsyslog's dynamic mapping or auditty's template). */
export interface FieldNames {
  rec: string;
  host: string;
  user: string;
}

/** rsyslog's dynamic mapping: strings are `text` with a `.keyword` sub-field. */
export const DYNAMIC_FIELDS: FieldNames = {
  rec: 'rec.keyword',
  host: 'host.keyword',
  user: 'user.keyword',
};

type Query = Record<string, unknown>;

/**
 * Every read of ES_INDEX: a pattern that matches nothing (yet), or a closed
 * index, is an empty answer, not an error.
 */
export const SEARCH_OPTIONS = { ignore_unavailable: true, allow_no_indices: true } as const;

/**
 * Scope patterns (lib/sources/glob.ts) as keyword queries with the same
 * meaning: `wildcard` for a pattern with `*` or `?` (Lucene's wildcards,
 * `?` one code point; its escape character `\` is escaped), `term` for one
 * without (a term query has no wildcard or escape syntax at all). Neither
 * sets `case_insensitive`, so both compare exactly (no mapping here has a
 * normalizer). Values past `ignore_above` are in no term, so no filter
 * finds them; glob.ts says the same. A list holding `*` needs no filter; an
 * empty list lets nothing through.
 */
function patternFilter(field: string, patterns: string[]): Query | null {
  if (isUnrestricted(patterns)) return null;
  if (patterns.length === 0) return { bool: { must_not: { match_all: {} } } };
  return {
    bool: {
      should: patterns.map((value) =>
        hasWildcard(value)
          ? { wildcard: { [field]: { value: toLuceneWildcard(value) } } }
          : { term: { [field]: value } },
      ),
      minimum_should_match: 1,
    },
  };
}

/** The caller's scope, applied inside every query. */
export function scopeFilters(fields: FieldNames, scope: Scope): Query[] {
  return [patternFilter(fields.host, scope.hosts), patternFilter(fields.user, scope.users)].filter(
    (q): q is Query => q !== null,
  );
}

/**
 * Statistics over all the messages of one recording (a bucket of a `terms`
 * or `composite` aggregation on rec), from which reshape.ts toSummary makes
 * its summary: the list's phase two, GET /api/recordings/{rec}, and the
 * summaries index all summarize through these.
 */
/** Distinct ids are counted exactly below this many (a recording's gaps then are exact). */
export const EXACT_IDS_BELOW = 40_000;

export function recordingAggs(
  exact: boolean,
  extra: Query = {},
  precision: number = EXACT_IDS_BELOW,
): Query {
  return {
    min_id: { min: { field: 'id' } },
    max_id: { max: { field: 'id' } },
    // Exact below `precision` distinct ids; above that a gap count may be off by a few.
    // It is the costly part, so a list first counts documents (`exact` false)
    // and asks again only for recordings with more documents than ids; the
    // summarizer counts with a lower precision (its cost grows with it, per
    // bucket) and asks again for the recordings that reach it.
    distinct_ids: exact
      ? { cardinality: { field: 'id', precision_threshold: precision } }
      : { value_count: { field: 'id' } },
    first_ts: { min: { field: 'timestamp' } },
    first: {
      top_hits: {
        size: 1,
        sort: [{ id: 'asc' }],
        _source: ['host', 'user', 'session', 'term', 'time', 'pos', 'id'],
      },
    },
    last: {
      // Its end is pos plus the delays in its timing script.
      top_hits: { size: 1, sort: [{ id: 'desc' }], _source: ['pos', 'timing'] },
    },
    input: {
      filter: {
        bool: {
          should: [
            { range: { 'in_txt.keyword': { gt: '' } } },
            { exists: { field: 'in_bin' } },
            { term: { _ignored: 'in_txt.keyword' } },
          ],
          minimum_should_match: 1,
        },
      },
    },
    ...extra,
  };
}

/**
 * Phase two: statistics over all messages of the given recordings, so that
 * start, end and counts are those of the whole recording, not of the messages
 * a filter matched. `extra` adds sub-aggregations per recording (a search's
 * first match: list-queries.ts).
 */
export function summariesBody(
  fields: FieldNames,
  scope: Scope,
  ids: string[],
  extra: Query = {},
  exact = true,
) {
  return {
    size: 0,
    track_total_hits: false,
    query: {
      bool: { filter: [...scopeFilters(fields, scope), { terms: { [fields.rec]: ids } }] },
    },
    aggs: {
      recs: {
        terms: { field: fields.rec, size: Math.max(1, ids.length) },
        aggs: recordingAggs(exact, extra),
      },
    },
  };
}

export const PAGE_SIZE = 5000;
/** The first page is small so that the first messages leave quickly (time to first byte). */
export const FIRST_PAGE_SIZE = 500;

/** One page of a recording's messages, in id order, for search_after (with a point in time when there is one). */
export function messagesPageBody(
  fields: FieldNames,
  scope: Scope,
  id: string,
  pit: string | null,
  after: unknown[] | undefined,
  size = PAGE_SIZE,
  range?: IdRange,
) {
  const ids: Query[] = range ? [{ range: { id: { gte: range.from, lte: range.to } } }] : [];
  return {
    size,
    track_total_hits: false,
    ...(pit === null ? {} : { pit: { id: pit, keep_alive: '2m' } }),
    query: {
      bool: { filter: [...scopeFilters(fields, scope), { term: { [fields.rec]: id } }, ...ids] },
    },
    // With a point in time, Elasticsearch adds the `_shard_doc` tiebreaker, so
    // duplicate ids page correctly. OpenSearch adds none, and without a point
    // in time there is none: search_after on `id` alone then skips the rest
    // of a duplicated id at a page's end, which readMessages drops anyway
    // (it keeps the first message of an id).
    sort: [{ id: 'asc' }],
    ...(after ? { search_after: after } : {}),
  };
}

/**
 * What arrived of a recording since a point (live follow): ids above
 * `afterId`, and the missing ids below it that a late arrival may fill, in id
 * order. No point in time: each poll wants what is searchable now.
 */
export function tailBody(
  fields: FieldNames,
  scope: Scope,
  id: string,
  afterId: number,
  missing: readonly number[],
  size: number,
) {
  const newer: Query = { range: { id: { gt: afterId } } };
  return {
    size,
    track_total_hits: false,
    query: {
      bool: {
        filter: [
          ...scopeFilters(fields, scope),
          { term: { [fields.rec]: id } },
          missing.length === 0
            ? newer
            : { bool: { should: [newer, { terms: { id: missing } }], minimum_should_match: 1 } },
        ],
      },
    },
    sort: [{ id: 'asc' }],
  };
}
