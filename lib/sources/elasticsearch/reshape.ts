import 'server-only';
import { decodeTiming, validateMessage } from '@/lib/tlog';
import type { RecordingSummary } from '../types';

// Raw aggregation shapes from Elasticsearch become app types here and
// nowhere else.

interface TopHit {
  hits: { hits: { _source?: unknown }[] };
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
}

function record(value: unknown): Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value)
    ? Object.fromEntries(Object.entries(value))
    : {};
}

const str = (v: unknown): string => (typeof v === 'string' ? v : '');
const num = (v: unknown): number | undefined =>
  typeof v === 'number' && Number.isFinite(v) ? v : undefined;

export function toSummary(bucket: RecordingBucket): RecordingSummary | null {
  const first = record(bucket.first.hits.hits[0]?._source);
  const lastSource = bucket.last.hits.hits[0]?._source;
  const last = validateMessage(lastSource);
  const minId = bucket.min_id.value;
  const maxId = bucket.max_id.value;
  if (minId === null || maxId === null) return null;
  // A damaged last message still gives its pos; its delays are then unknown.
  const durationMs = last.ok ? decodeTiming(last.value).end : (num(record(lastSource).pos) ?? 0);
  const time = num(first.time);
  const pos = num(first.pos) ?? 0;
  const startMs = time !== undefined ? Math.round(time * 1000 - pos) : (bucket.first_ts.value ?? 0);
  const distinct = Math.min(bucket.distinct_ids.value, maxId - minId + 1);
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
  };
}
