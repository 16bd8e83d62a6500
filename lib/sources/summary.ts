import { missingMessages } from '@/lib/tlog';
import { LIVE_WINDOW_MS, type RecordingSummary } from './types';

// A recording's summary (what the list shows of it), from facts a source
// found in its messages. Both sources summarize through here, so that start,
// end, gaps and the live flag mean the same everywhere
// (docs/tlog-format.md, "A recording").

export interface RecordingFacts {
  id: string;
  host: string;
  user: string;
  session: number;
  term: string;
  /**
   * Unix ms of the start: messageStartMs of the lowest-id message, or, for
   * writers without `time`, the source's own earliest time for it.
   */
  startMs: number;
  /** messageEnd of the highest-id message: ms from the start to the last event. */
  durationMs: number;
  /** Distinct message ids. */
  messages: number;
  /** The highest message id. */
  lastId: number;
  hasInput: boolean;
}

/** In progress: its last event is less than LIVE_WINDOW_MS old. */
export function isLive(endMs: number, nowMs: number): boolean {
  return endMs > nowMs - LIVE_WINDOW_MS;
}

/** The summary with the live flag as it is at `nowMs` (summaries kept for a while go stale). */
export function asOf(summary: RecordingSummary, nowMs: number): RecordingSummary {
  const live = isLive(Date.parse(summary.end), nowMs);
  if (live === (summary.live === true)) return summary;
  const { live: _live, ...rest } = summary;
  return live ? { ...rest, live: true } : rest;
}

export function summarize(facts: RecordingFacts, nowMs = Date.now()): RecordingSummary {
  const endMs = facts.startMs + facts.durationMs;
  return {
    id: facts.id,
    host: facts.host,
    user: facts.user,
    session: facts.session,
    term: facts.term,
    start: new Date(facts.startMs).toISOString(),
    end: new Date(endMs).toISOString(),
    durationMs: facts.durationMs,
    messages: facts.messages,
    hasInput: facts.hasInput,
    gaps: missingMessages(facts.lastId, facts.messages),
    ...(isLive(endMs, nowMs) ? { live: true as const } : {}),
  };
}
