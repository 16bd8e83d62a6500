import 'server-only';
import {
  LIVE_WINDOW_MS,
  type Facets,
  type FacetValue,
  type RecordingSummary,
  type TextMatch,
} from '../types';
import type { Position } from '../listing/order';
import {
  buildSnippet,
  codePointIndex,
  messageEnd,
  momentOfOutput,
  splitHighlight,
} from '../listing/text';
import { HIT_END, HIT_START, type PagePlan } from './list-queries';

// Raw aggregation shapes from Elasticsearch become app types here and
// nowhere else.

interface TopHit {
  hits: { hits: { _source?: unknown; highlight?: Record<string, string[]> }[] };
}

export interface RecordingBucket {
  key: string | number;
  doc_count: number;
  min_id: { value: number | null };
  max_id: { value: number | null };
  distinct_ids: { value: number };
  first_ts: { value: number | null };
  first: TopHit;
  last: TopHit;
  input: { doc_count: number };
  /** With a text search: the first matching message (firstMatchAgg). */
  hit?: { first?: TopHit };
}

function record(value: unknown): Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value)
    ? Object.fromEntries(Object.entries(value))
    : {};
}

const str = (v: unknown): string => (typeof v === 'string' ? v : '');
const num = (v: unknown): number | undefined =>
  typeof v === 'number' && Number.isFinite(v) ? v : undefined;

/** The first matching message as a snippet and a moment. */
export function toMatch(hit: TopHit | undefined): TextMatch | undefined {
  const first = hit?.hits.hits[0];
  if (!first) return undefined;
  const source = record(first._source);
  const out = str(source.out_txt);
  const pos = num(source.pos) ?? 0;
  const highlighted = first.highlight?.out_txt?.[0];
  const { raw, hits } = highlighted
    ? splitHighlight(highlighted, HIT_START, HIT_END)
    : { raw: out, hits: [] };
  const end = hits[0]?.[1];
  return {
    snippet: buildSnippet(raw, hits),
    atMs:
      end === undefined
        ? pos
        : momentOfOutput({ pos, timing: str(source.timing) }, codePointIndex(raw, end)),
    messageId: num(source.id) ?? 0,
  };
}

/** More documents than ids: some message was stored twice. */
export function hasDuplicates(bucket: RecordingBucket): boolean {
  const { min_id: min, max_id: max } = bucket;
  return (
    min.value !== null &&
    max.value !== null &&
    bucket.distinct_ids.value > max.value - min.value + 1
  );
}

export function toSummary(bucket: RecordingBucket, nowMs = Date.now()): RecordingSummary | null {
  const first = record(bucket.first.hits.hits[0]?._source);
  const last = record(bucket.last.hits.hits[0]?._source);
  const minId = bucket.min_id.value;
  const maxId = bucket.max_id.value;
  if (minId === null || maxId === null) return null;
  const durationMs = messageEnd(num(last.pos) ?? 0, str(last.timing));
  const time = num(first.time);
  const pos = num(first.pos) ?? 0;
  const startMs = time !== undefined ? Math.round(time * 1000 - pos) : (bucket.first_ts.value ?? 0);
  const distinct = Math.min(bucket.distinct_ids.value, maxId - minId + 1);
  const match = toMatch(bucket.hit?.first);
  return {
    id: String(bucket.key),
    host: str(first.host),
    user: str(first.user),
    session: num(first.session) ?? 0,
    term: str(first.term),
    start: new Date(startMs).toISOString(),
    end: new Date(startMs + durationMs).toISOString(),
    durationMs,
    messages: distinct,
    hasInput: bucket.input.doc_count > 0,
    gaps: maxId - minId + 1 - distinct + (minId - 1),
    ...(startMs + durationMs > nowMs - LIVE_WINDOW_MS ? { live: true } : {}),
    ...(match ? { match } : {}),
  };
}

interface PageBucket {
  key: string | number;
  metric?: { value: number | null };
  [indicator: string]: unknown;
}

interface BucketList<T> {
  buckets: T[];
  sum_other_doc_count?: number;
}

export interface PageEntry {
  id: string;
  position: Position;
}

export interface PageRead {
  /** At most `size` recordings, in order. */
  entries: PageEntry[];
  /** Where the next page starts, or null at the end. */
  next: { position: Position; groupDone: boolean } | null;
}

/** The `total` aggregation of recordingsPageBody or countBody. */
export function readTotal(aggregations: unknown): number {
  return num(record(record(record(aggregations).total).n).value) ?? 0;
}

const has = (bucket: Record<string, unknown>, name: string): 0 | 1 =>
  num(record(record(bucket[name]).n).value) ? 1 : 0;

function eligible(plan: PagePlan, bucket: PageBucket): boolean {
  return plan.indicators.every((i) => has(bucket, i.name) === i.want);
}

/** Phase one's answer (recordingsPageBody) as the recordings of the page and the next position. */
export function readPage(plan: PagePlan, aggregations: unknown, size: number): PageRead {
  const aggs = record(aggregations);
  const entries: PageEntry[] = [];
  const entry = (bucket: PageBucket, g?: string): PageEntry => ({
    id: String(bucket.key),
    position: {
      ...(g !== undefined ? { g } : {}),
      m: bucket.metric?.value ?? 0,
      r: String(bucket.key),
    },
  });
  const done = (): PageRead => {
    const last = entries[size - 1];
    return {
      entries: entries.slice(0, size),
      next: last ? { position: last.position, groupDone: false } : null,
    };
  };

  if (!plan.plan.group) {
    for (const bucket of (aggs.recs as BucketList<PageBucket> | undefined)?.buckets ?? []) {
      if (!eligible(plan, bucket)) break;
      entries.push(entry(bucket));
      if (entries.length > size) return done();
    }
    return { entries, next: null };
  }

  const groups = (aggs.groups as
    BucketList<PageBucket & { recs?: BucketList<PageBucket> }> | undefined) ?? {
    buckets: [],
  };
  let lastGroup: string | undefined;
  for (const group of groups.buckets) {
    if (!plan.groupIndicators.every((name) => has(group, name) === 1))
      return { entries, next: null };
    lastGroup = String(group.key);
    for (const bucket of group.recs?.buckets ?? []) {
      if (!eligible(plan, bucket)) break;
      entries.push(entry(bucket, lastGroup));
      if (entries.length > size) return done();
    }
  }
  // Every eligible recording of the groups seen is on this page; more groups may follow.
  const more = groups.buckets.length >= plan.groupSize && (groups.sum_other_doc_count ?? 0) > 0;
  return {
    entries,
    next:
      more && lastGroup !== undefined
        ? { position: { g: lastGroup, m: 0, r: '' }, groupDone: true }
        : null,
  };
}

interface FacetBuckets {
  top?: { buckets: { key: string | number; recs?: { value: number } }[] };
}

/** facetsBody's answer. */
export function readFacets(aggregations: unknown): Facets {
  const aggs = record(aggregations);
  const list = (name: string): FacetValue[] =>
    ((aggs[name] as FacetBuckets | undefined)?.top?.buckets ?? []).map((b) => ({
      value: String(b.key),
      count: b.recs?.value ?? 0,
    }));
  return { users: list('users'), hosts: list('hosts') };
}
