// The conditions of a recordings list (list-queries.ts says how they are
// used): filters on what every message of a recording shares, and conditions
// that hold when some message meets them. User text goes only into
// simple_query_string, never into query_string.

import type { ListQuery, Scope } from '../types';
import type { SortPlan } from '../listing/order';
import { scopeFilters, type FieldNames } from './queries';

export type Query = Record<string, unknown>;

export const values = (v: string | string[] | undefined): string[] =>
  v === undefined ? [] : Array.isArray(v) ? v : [v];

export function anyOf(field: string, list: string[]): Query | null {
  if (list.length === 0) return null;
  return list.length === 1 ? { term: { [field]: list[0] } } : { terms: { [field]: list } };
}

/** Filters on what every message of a recording shares. `names: false` leaves out user and host. */
export function recordingFilters(
  fields: FieldNames,
  scope: Scope,
  query: ListQuery,
  names = true,
): Query[] {
  const filters = scopeFilters(fields, scope);
  if (names) {
    const users = anyOf(fields.user, values(query.user));
    const hosts = anyOf(fields.host, values(query.host));
    if (users) filters.push(users);
    if (hosts) filters.push(hosts);
  }
  if (query.session !== undefined) filters.push({ term: { session: query.session } });
  return filters;
}

/** User text goes only here: simple_query_string on the output, words all required, `-` not an operator. */
export function textQuery(q: string): Query {
  return {
    simple_query_string: {
      query: q,
      fields: ['out_txt'],
      default_operator: 'and',
      flags: 'AND|OR|PHRASE|PREFIX|WHITESPACE|PRECEDENCE|ESCAPE',
    },
  };
}

function timeRange(query: ListQuery): Query | null {
  if (query.fromMs === undefined && query.toMs === undefined) return null;
  const range: Record<string, unknown> = { format: 'epoch_millis' };
  if (query.fromMs !== undefined) range.gte = query.fromMs;
  if (query.toMs !== undefined) range.lte = query.toMs;
  return { range: { timestamp: range } };
}

/** A condition a recording meets when one of its messages does. */
export interface Condition {
  /** Names the indicator aggregation (list-queries.ts). */
  name: 'match' | 'activeFrom' | 'activeTo' | 'minDuration';
  filter: Query;
}

/** The text search's condition: the text in one message, within the time range if any. */
export function textCondition(query: ListQuery): Query | null {
  if (query.q === undefined) return null;
  const text = textQuery(query.q);
  const range = timeRange(query);
  return range ? { bool: { filter: [text, range] } } : text;
}

/**
 * What a recording must meet, each by one of its messages: the text (within
 * the time range); without text, "active during from..to": a message at or
 * after `from` and one at or before `to` (so a recording idle through the
 * whole range is listed too, as the summaries index decides it); a message
 * starting at least minDurationMs after the start.
 */
export function conditions(query: ListQuery): Condition[] {
  const list: Condition[] = [];
  const text = textCondition(query);
  if (text) {
    list.push({ name: 'match', filter: text });
  } else {
    if (query.fromMs !== undefined)
      list.push({ name: 'activeFrom', filter: compare('timestamp', 'gte', query.fromMs) });
    if (query.toMs !== undefined)
      list.push({ name: 'activeTo', filter: compare('timestamp', 'lte', query.toMs) });
  }
  if (query.minDurationMs !== undefined)
    list.push({ name: 'minDuration', filter: { range: { pos: { gte: query.minDurationMs } } } });
  return list;
}

export const metricField = (plan: SortPlan) => (plan.metric === 'start' ? 'timestamp' : 'pos');

export function metricAgg(plan: SortPlan): Query {
  return plan.metric === 'start' ? { min: { field: 'timestamp' } } : { max: { field: 'pos' } };
}

export function compare(
  field: string,
  op: 'lt' | 'gt' | 'lte' | 'gte',
  value: number | string,
): Query {
  return {
    range: {
      [field]: field === 'timestamp' ? { [op]: value, format: 'epoch_millis' } : { [op]: value },
    },
  };
}

/**
 * Messages that tell whether a recording comes after the cursor, and whether
 * having one means "after" (positive) or "already shown" (negative).
 */
export function seekCondition(fields: FieldNames, plan: SortPlan, metric: number, rec: string) {
  const field = metricField(plan);
  // min desc / max asc: after the cursor when SOME message is beyond it.
  const positive = (plan.metric === 'start') === (plan.dir === 'desc');
  const beyond = plan.dir === 'desc' ? 'lt' : 'gt';
  const shownLow = plan.metric === 'start' ? 'lt' : 'gt';
  const op = positive ? beyond : shownLow;
  const keyOp = positive
    ? plan.dir === 'desc'
      ? 'lt'
      : 'gt'
    : plan.dir === 'desc'
      ? 'gte'
      : 'lte';
  const filter = {
    bool: {
      should: [
        compare(field, op, metric),
        {
          bool: {
            filter: [
              compare(field, 'gte', metric),
              compare(field, 'lte', metric),
              compare(fields.rec, keyOp, rec),
            ],
          },
        },
      ],
      minimum_should_match: 1,
    },
  };
  return { filter, positive };
}
