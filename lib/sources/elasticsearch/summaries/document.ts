import { createHash } from 'node:crypto';
import type { CommandEntry } from '@/lib/replay/commands/types';
import { asOf } from '../../summary';
import type { RecordingSummary } from '../../types';
import { toSummary, type RecordingBucket } from '../reshape';
import { SUMMARY_VERSION } from './template';

// A summary document: what the list shows of a recording and what it sorts
// and filters on, as the summaries index stores it (template.ts). It is made
// from the same aggregation GET /api/recordings/{rec} summarizes from
// (reshape.ts toSummary), so the two cannot differ.

export interface SummaryDocument {
  kind: 'summary';
  pattern: string;
  rec: string;
  host: string;
  user: string;
  session: number;
  term: string;
  /** Unix ms. */
  start: number;
  end: number;
  duration_ms: number;
  first_ts: number;
  last_ts: number;
  last_pos: number;
  messages: number;
  first_id: number;
  last_id: number;
  gaps: number;
  has_input: boolean;
  mixed: boolean;
  indices: string[];
  updated_at: number;
  version: number;
  /** Set by the commands pass once the recording has ended (template.ts COMMAND_FIELDS). */
  commands?: CommandEntry[];
  command_lines?: string[];
  commands_done?: boolean;
  /** Why the commands were not read (too long a recording, a failure), if they were not. */
  commands_skipped?: string;
  commands_truncated?: boolean;
}

/** What the summaries aggregation adds to a recording's bucket (queries.ts). */
export interface SummaryBucket extends RecordingBucket {
  last_ts: { value: number | null };
  last_pos: { value: number | null };
  hosts: { value: number };
  users: { value: number };
  indices: { buckets: { key: string }[] };
}

/** A short, stable key of ES_INDEX: part of every id, so deployments never share documents. */
export function patternKey(pattern: string): string {
  return createHash('sha256').update(pattern).digest('hex').slice(0, 16);
}

export const summaryId = (pattern: string, rec: string) => `s:${patternKey(pattern)}:${rec}`;

export function documentFrom(
  pattern: string,
  bucket: SummaryBucket,
  nowMs: number,
): SummaryDocument | null {
  const summary = toSummary(bucket, nowMs);
  const minId = bucket.min_id.value;
  const maxId = bucket.max_id.value;
  if (!summary || minId === null || maxId === null) return null;
  return {
    kind: 'summary',
    pattern,
    rec: summary.id,
    host: summary.host,
    user: summary.user,
    session: summary.session,
    term: summary.term,
    start: Date.parse(summary.start),
    end: Date.parse(summary.end),
    duration_ms: summary.durationMs,
    first_ts: bucket.first_ts.value ?? Date.parse(summary.start),
    last_ts: bucket.last_ts.value ?? Date.parse(summary.end),
    last_pos: bucket.last_pos.value ?? 0,
    messages: summary.messages,
    first_id: minId,
    last_id: maxId,
    gaps: summary.gaps,
    has_input: summary.hasInput,
    mixed: bucket.hosts.value > 1 || bucket.users.value > 1,
    indices: bucket.indices.buckets.map((b) => b.key).sort(),
    updated_at: nowMs,
    version: SUMMARY_VERSION,
  };
}

/** The list item a document stands for, with the live flag as it is now. */
export function summaryOf(doc: SummaryDocument, nowMs = Date.now()): RecordingSummary {
  return asOf(
    {
      id: doc.rec,
      host: doc.host,
      user: doc.user,
      session: doc.session,
      term: doc.term,
      start: new Date(doc.start).toISOString(),
      end: new Date(doc.end).toISOString(),
      durationMs: doc.duration_ms,
      messages: doc.messages,
      hasInput: doc.has_input,
      gaps: doc.gaps,
    },
    nowMs,
  );
}
