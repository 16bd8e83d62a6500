// Assembly of a recording from its messages (shared/TLOG_FORMAT.md, "A
// recording"): order by id, drop duplicate ids keeping the first, mark each
// run of missing ids as a gap event at its place in time.

import type { TlogMessage } from './message';
import { decodeTiming, type TimelineEvent } from './timing';

export interface RecordingProblem {
  id: number;
  error: string;
}

export interface Gap {
  /** The last id before the gap (0 when the recording's first messages are lost). */
  afterId: number;
  missing: number;
  t: number;
}

export interface Timeline {
  /** In time order; `t` never decreases. */
  events: TimelineEvent[];
  /** ms from the recording's start to its last event. */
  durationMs: number;
  /** Unix ms of the recording's start, when the messages carry `time`. */
  startMs: number | null;
  messages: number;
  firstId: number | null;
  lastId: number | null;
  duplicates: number;
  gaps: Gap[];
  hasInput: boolean;
  problems: RecordingProblem[];
}

/**
 * Builds a timeline from messages arriving in ascending id order (as the
 * messages API streams them). A repeated id is dropped, keeping the first; an
 * id lower than the last one is reported as a problem and dropped (use
 * `assembleTimeline` for unordered input).
 */
export class TimelineBuilder {
  private readonly state: Timeline = {
    events: [],
    durationMs: 0,
    startMs: null,
    messages: 0,
    firstId: null,
    lastId: null,
    duplicates: 0,
    gaps: [],
    hasInput: false,
    problems: [],
  };
  private rec: string | undefined;

  /** The timeline so far. The same object grows as messages are pushed. */
  get timeline(): Timeline {
    return this.state;
  }

  push(message: TlogMessage): void {
    const s = this.state;
    if (s.lastId === null) {
      this.rec = message.rec;
    } else if (message.rec !== this.rec) {
      s.problems.push({
        id: message.id,
        error: `message ${message.id} belongs to another recording (${message.rec ?? 'none'}); dropped`,
      });
      return;
    } else if (message.id === s.lastId) {
      s.duplicates += 1;
      return;
    } else if (message.id < s.lastId) {
      s.problems.push({ id: message.id, error: `message ${message.id} arrived out of order; dropped` });
      return;
    }

    const expected = s.lastId === null ? 1 : s.lastId + 1;
    if (message.id > expected) {
      // A recording whose first messages were lost starts with a gap too. The
      // lost messages' time is unknown: the gap sits where the next one starts.
      const missing = message.id - expected;
      const t = Math.max(s.durationMs, message.pos);
      s.gaps.push({ afterId: expected - 1, missing, t });
      s.events.push({ kind: 'gap', t, firstMissingId: expected, missing });
    }
    if (s.startMs === null && message.time !== undefined) {
      s.startMs = Math.round(message.time * 1000 - message.pos);
    }

    const decoded = decodeTiming(message);
    if (decoded.error) s.problems.push({ id: message.id, error: decoded.error });
    for (const event of decoded.events) {
      if (event.kind === 'input') s.hasInput = true;
      // A damaged pos must not send time backwards: players rely on order.
      if (event.t < s.durationMs) event.t = s.durationMs;
      else s.durationMs = event.t;
      s.events.push(event);
    }
    s.durationMs = Math.max(s.durationMs, decoded.end);
    s.messages += 1;
    s.firstId ??= message.id;
    s.lastId = message.id;
  }
}

/** Assembles messages given in any order: sorts by id first. */
export function assembleTimeline(messages: Iterable<TlogMessage>): Timeline {
  const sorted = [...messages].sort((a, b) => a.id - b.id);
  const builder = new TimelineBuilder();
  for (const message of sorted) builder.push(message);
  return builder.timeline;
}
