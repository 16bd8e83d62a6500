import 'server-only';
import { messageEnd, messageStartMs } from '@/lib/tlog';
import type { Facets, FacetValue, RecordingSummary, TextMatch } from '../types';
import type { Position } from '../listing/order';
import { alignHighlight, buildSnippet, hitMoment, splitHighlight } from '../listing/text';
import { summarize } from '../summary';
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

// Answers are read defensively: a field of the wrong type is taken as absent.

function asObject(value: unknown): Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value)
    ? Object.fromEntries(Object.entries(value))
    : {};
}

const asString = (v: unknown): string => (typeof v === 'string' ? v : '');
const asNumber = (v: unknown): number | undefined =>
  typeof v === 'number' && Number.isFinite(v) ? v : undefined;

/** The first matching message as a snippet and a moment. */
export function toMatch(hit: TopHit | undefined): TextMatch | undefined {
  const first = hit?.hits.hits[0];
  if (!first) return undefined;
  const source = asObject(first._source);
  const out = asString(source.out_txt);
  const pos = asNumber(source.pos) ?? 0;
  const highlighted = first.highlight?.out_txt?.[0];
  const { raw, hits } = highlighted
    ? alignHighlight(out, splitHighlight(highlighted, HIT_START, HIT_END))
    : { raw: out, hits: [] };
  return {
    snippet: buildSnippet(raw, hits),
    atMs: hitMoment({ pos, timing: asString(source.timing) }, raw, hits),
    messageId: asNumber(source.id) ?? 0,
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
  const first = asObject(bucket.first.hits.hits[0]?._source);
  const last = asObject(bucket.last.hits.hits[0]?._source);
  const minId = bucket.min_id.value;
  const maxId = bucket.max_id.value;
  if (minId === null || maxId === null) return null;
  const time = asNumber(first.time);
  const summary = summarize(
    {
      id: String(bucket.key),
      host: asString(first.host),
      user: asString(first.user),
      session: asNumber(first.session) ?? 0,
      term: asString(first.term),
      startMs:
        messageStartMs({
          ...(time !== undefined ? { time } : {}),
          pos: asNumber(first.pos) ?? 0,
        }) ??
        bucket.first_ts.value ??
        0,
      durationMs: messageEnd(asNumber(last.pos) ?? 0, asString(last.timing)),
      messages: Math.min(bucket.distinct_ids.value, maxId - minId + 1),
      lastId: maxId,
      hasInput: bucket.input.doc_count > 0,
    },
    nowMs,
  );
  const match = toMatch(bucket.hit?.first);
  return match ? { ...summary, match } : summary;
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
  return asNumber(asObject(asObject(asObject(aggregations).total).n).value) ?? 0;
}

/** Whether the bucket has a message meeting the indicator's filter (list-queries.ts). */
const indicated = (bucket: Record<string, unknown>, name: string): boolean =>
  Boolean(asNumber(asObject(asObject(bucket[name]).n).value));

function eligible(plan: PagePlan, bucket: PageBucket): boolean {
  return plan.indicators.every((i) => indicated(bucket, i.name) === i.present);
}

/** Phase one's answer (recordingsPageBody) as the recordings of the page and the next position. */
export function readPage(plan: PagePlan, aggregations: unknown, size: number): PageRead {
  const aggs = asObject(aggregations);
  const entries: PageEntry[] = [];
  const entry = (bucket: PageBucket, group?: string): PageEntry => ({
    id: String(bucket.key),
    position: {
      ...(group !== undefined ? { group } : {}),
      metric: bucket.metric?.value ?? 0,
      rec: String(bucket.key),
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
    if (!plan.groupIndicators.every((name) => indicated(group, name)))
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
        ? { position: { group: lastGroup, metric: 0, rec: '' }, groupDone: true }
        : null,
  };
}

interface FacetBuckets {
  top?: { buckets: { key: string | number; recs?: { value: number } }[] };
}

/** facetsBody's answer. */
export function readFacets(aggregations: unknown): Facets {
  const aggs = asObject(aggregations);
  const list = (name: string): FacetValue[] =>
    ((aggs[name] as FacetBuckets | undefined)?.top?.buckets ?? []).map((b) => ({
      value: String(b.key),
      count: b.recs?.value ?? 0,
    }));
  return { users: list('users'), hosts: list('hosts') };
}
