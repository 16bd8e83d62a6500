import type { Sort } from '../types';

// The order of a recordings list, shared by both sources so that they page
// alike. Every order ends with the recording id, so positions are unique and
// a cursor (a position) says exactly where the next page begins.
//
// - start: the earliest message time of the recording (Elasticsearch:
//   min `timestamp`; files: min `time`), which is its start for every
//   recording whose first message arrived.
// - duration: the `pos` of the last message (the start of its last message);
//   the duration shown adds that message's own delays, at most tlog's flush
//   latency, so neighbours closer than that may look swapped.
// - user, host: that name, then newest start first.

export type Direction = 'asc' | 'desc';
export type Metric = 'start' | 'duration';

export interface SortPlan {
  sort: Sort;
  /** Sorting by a name first: recordings are grouped by it. */
  group: 'user' | 'host' | null;
  groupDir: Direction;
  metric: Metric;
  /** Direction of the metric and of the id tie-breaker. */
  dir: Direction;
}

export function sortPlan(sort: Sort): SortPlan {
  const [field, direction] = sort.split(':') as [string, Direction];
  if (field === 'user' || field === 'host') {
    return { sort, group: field, groupDir: direction, metric: 'start', dir: 'desc' };
  }
  return {
    sort,
    group: null,
    groupDir: 'asc',
    metric: field === 'duration' ? 'duration' : 'start',
    dir: direction,
  };
}

/** A recording's place in an order. */
export interface Position {
  /** The user or host name, for grouped orders. */
  group?: string;
  /** The metric's value: ms since the epoch for start, ms for duration. */
  metric: number;
  /** The recording's id. */
  rec: string;
}

/** A UTF-16 code unit moved so that code units compare in code point order. */
const fixup = (unit: number) =>
  unit >= 0xe000 ? unit - 0x800 : unit >= 0xd800 ? unit + 0x2000 : unit;

/**
 * Elasticsearch orders keywords by their UTF-8 bytes, which is code point
 * order; so does this (plain UTF-16 comparison differs for characters beyond
 * U+FFFF).
 */
export function compareKeys(a: string, b: string): number {
  if (a === b) return 0;
  const n = Math.min(a.length, b.length);
  for (let i = 0; i < n; i++) {
    const x = a.charCodeAt(i);
    const y = b.charCodeAt(i);
    if (x !== y) return fixup(x) - fixup(y);
  }
  return a.length - b.length;
}

const signed = (dir: Direction, d: number) => (dir === 'asc' ? d : -d);

/** Negative when `a` comes before `b` in the plan's order. */
export function comparePositions(plan: SortPlan, a: Position, b: Position): number {
  if (plan.group) {
    const byGroup = compareKeys(a.group ?? '', b.group ?? '');
    if (byGroup !== 0) return signed(plan.groupDir, byGroup);
  }
  if (a.metric !== b.metric) return signed(plan.dir, a.metric - b.metric);
  return signed(plan.dir, compareKeys(a.rec, b.rec));
}
