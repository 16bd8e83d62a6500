// Request bodies of the recordings list, computed by pure functions.
//
// Elasticsearch holds messages, the list shows recordings: a terms
// aggregation on `rec` makes one bucket per recording, ordered by a metric
// over ALL its messages (min `timestamp` = start, max `pos` = duration), so
// order and figures are those of the whole recording even when a filter
// matched a few of its messages.
//
// Conditions that hold for some messages only (text, time range, minimum
// duration) therefore do not filter the query: each is a `filter`
// sub-aggregation whose `cardinality` of `rec` is 1 when one of the
// recording's messages meets it, 0 otherwise, and the terms order puts
// recordings meeting every condition first. The cursor works the same way:
// "after the last recording shown" is such a condition on the metric and the
// id. This needs no scripts and no bucket_selector/bucket_sort (modules the
// test distribution lacks) and costs the same on every page.
// Filters on what is constant within a recording (scope, user, host,
// session) do filter the query.

import type { ListQuery, Scope } from '../types';
import type { ListCursor } from '../listing/cursor';
import { sortPlan, type SortPlan } from '../listing/order';
import {
  anyOf,
  compare,
  conditions,
  textCondition,
  metricAgg,
  recordingFilters,
  seekCondition,
  textQuery,
  values,
  type Query,
} from './list-conditions';
import type { FieldNames } from './queries';

/** Stay well below search.max_buckets (65,536) in the nested terms of grouped orders. */
const MAX_BUCKETS = 20_000;
/** Elasticsearch's largest cardinality precision: counts are near-exact below it. */
export const EXACT_COUNT_LIMIT = 40_000;
/**
 * Below this many recordings the count is exact. Above it, cardinality's
 * linear counting overestimates by about n²/2²⁶ (2 at 12,000, 24 at 40,000),
 * and the total is reported as approximate.
 */
export const EXACT_TOTAL_UP_TO = 5_000;
export const FACET_SIZE = 12;
const FACET_PRECISION = 3_000;
/** Highlight marks: private-use characters, which a terminal never shows. */
export const HIT_START = '\uE000';
export const HIT_END = '\uE001';

interface Indicator {
  name: string;
  filter: Query;
  /** Whether the recordings listed have a message meeting `filter` (true) or none (false). */
  present: boolean;
}

function indicatorAggs(indicators: Indicator[], field: string): Record<string, Query> {
  return Object.fromEntries(
    indicators.map((i) => [
      i.name,
      { filter: i.filter, aggs: { n: { cardinality: { field, precision_threshold: 100 } } } },
    ]),
  );
}

const indicatorOrder = (indicators: Indicator[]) =>
  indicators.map((i) => ({ [`${i.name}>n`]: i.present ? 'desc' : 'asc' }));

export interface PagePlan {
  plan: SortPlan;
  /** Indicators each recording bucket carries, with the value it must have. */
  indicators: { name: string; present: boolean }[];
  /** Indicators of group buckets (grouped orders). */
  groupIndicators: string[];
  /** Whether the total counts only one of two conditions (an upper bound). */
  approximateTotal: boolean;
  /** Group buckets asked for (grouped orders). */
  groupSize: number;
  /** The query skips what the cursor passed, so the total comes from countBody. */
  prunes: boolean;
  body: Record<string, unknown>;
}

function totalAgg(fields: FieldNames, only: Query | null): Query {
  const n = { cardinality: { field: fields.rec, precision_threshold: EXACT_COUNT_LIMIT } };
  return { filter: only ?? { match_all: {} }, aggs: { n } };
}

/** Phase one of a page: which recordings, in order, from the cursor on (size + 1 to see if more follow). */
export function recordingsPageBody(
  fields: FieldNames,
  scope: Scope,
  query: ListQuery,
  cursor: ListCursor | null,
): PagePlan {
  const plan = sortPlan(query.sort);
  const cond = conditions(query);
  const filters = recordingFilters(fields, scope, query);
  const unpruned = filters.length;
  const indicators: Indicator[] = cond.map((c) => ({ ...c, present: true }));
  const groupIndicators = [...indicators];
  const groupField =
    plan.group === 'user' ? fields.user : plan.group === 'host' ? fields.host : null;

  if (cursor) {
    const { position, groupDone } = cursor;
    let seek = seekCondition(fields, plan, position.metric, position.rec);
    if (groupField && position.group !== undefined) {
      const op = plan.groupDir === 'asc' ? (groupDone ? 'gt' : 'gte') : groupDone ? 'lt' : 'lte';
      // A constant of the recording: this one filters the query.
      filters.push(compare(groupField, op, position.group));
      // Within the cursor's group, after its recording; other groups entirely.
      seek = {
        positive: true,
        filter: {
          bool: {
            should: [
              { bool: { must_not: { term: { [groupField]: position.group } } } },
              seek.filter,
            ],
            minimum_should_match: 1,
          },
        },
      };
    }
    if (groupDone) {
      // Nothing more to skip within a group.
    } else if (seek.positive && indicators.length === 0) {
      // Nothing else depends on the other messages: prune them.
      filters.push(seek.filter);
    } else {
      indicators.push({ name: 'after', filter: seek.filter, present: seek.positive });
    }
  }

  const size = query.size + 1;
  const recs = {
    terms: {
      field: fields.rec,
      size,
      order: [...indicatorOrder(indicators), { metric: plan.dir }, { _key: plan.dir }],
    },
    aggs: { metric: metricAgg(plan), ...indicatorAggs(indicators, fields.rec) },
  };
  const prunes = filters.length > unpruned;
  const aggs: Record<string, Query> = prunes
    ? {}
    : { total: totalAgg(fields, cond[0]?.filter ?? null) };
  const groups = Math.max(1, Math.min(size, Math.floor(MAX_BUCKETS / size)));
  if (groupField) {
    aggs.groups = {
      terms: {
        field: groupField,
        size: groups,
        order: [...indicatorOrder(groupIndicators), { _key: plan.groupDir }],
      },
      aggs: { ...indicatorAggs(groupIndicators, groupField), recs },
    };
  } else {
    aggs.recs = recs;
  }
  return {
    plan,
    indicators: indicators.map(({ name, present }) => ({ name, present })),
    groupIndicators: groupIndicators.map((i) => i.name),
    approximateTotal: cond.length > 1,
    groupSize: groups,
    prunes,
    body: { size: 0, track_total_hits: false, query: { bool: { filter: filters } }, aggs },
  };
}

function facet(field: string, rec: string, only: Query | null): Query {
  return {
    filter: only ?? { match_all: {} },
    aggs: {
      top: {
        terms: { field, size: FACET_SIZE, order: [{ recs: 'desc' }, { _key: 'asc' }] },
        // Exact to a few thousand recordings per name; a full-precision
        // sketch per bucket would cost more than the rest of the page.
        aggs: { recs: { cardinality: { field: rec, precision_threshold: FACET_PRECISION } } },
      },
    },
  };
}

/**
 * The total, and with `withFacets` recordings by user and by host. Each facet
 * keeps every filter but its own, so it shows what else could be picked.
 */
export function countBody(fields: FieldNames, scope: Scope, query: ListQuery, withFacets: boolean) {
  const one = conditions(query)[0]?.filter ?? null;
  const filters = recordingFilters(fields, scope, query, false);
  if (one) filters.push(one);
  const users = anyOf(fields.user, values(query.user));
  const hosts = anyOf(fields.host, values(query.host));
  const names = [users, hosts].filter((q): q is Query => q !== null);
  return {
    size: 0,
    track_total_hits: false,
    query: { bool: { filter: filters } },
    aggs: {
      total: totalAgg(fields, names.length > 0 ? { bool: { filter: names } } : null),
      ...(withFacets
        ? {
            users: facet(fields.user, fields.rec, hosts),
            hosts: facet(fields.host, fields.rec, users),
          }
        : {}),
    },
  };
}

/** Where the text first appears in a recording: added to the summaries of a page. */
export function firstMatchAgg(query: ListQuery): Query | null {
  if (query.q === undefined) return null;
  const match = textCondition(query);
  if (!match) return null;
  return {
    filter: match,
    aggs: {
      first: {
        top_hits: {
          size: 1,
          sort: [{ id: 'asc' }],
          _source: ['id', 'pos', 'timing', 'out_txt'],
          highlight: {
            fields: {
              out_txt: {
                highlight_query: textQuery(query.q),
                number_of_fragments: 0,
                pre_tags: [HIT_START],
                post_tags: [HIT_END],
              },
            },
          },
        },
      },
    },
  };
}
