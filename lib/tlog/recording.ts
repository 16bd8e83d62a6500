// Assembly of a recording from its messages (docs/tlog-format.md, "A
// recording"): order by id, drop duplicate ids keeping the first, mark each
// run of missing ids as a gap event at its place in time.

import type { TlogMessage } from './message';
import { decodeTiming, MAX_DELAY_MS, type TimelineEvent } from './timing';

export interface RecordingProblem {
  /** The message's id, or -1 for a line that is not a message at all. */
  id: number;
  error: string;
}

export interface Gap {
  /** The last id before the gap (0 when the recording's first messages are lost). */
  afterId: number;
  missing: number;
  t: number;
}

/** A window size from the time it was set; consecutive repeats are left out. */
export interface WindowSize {
  t: number;
  cols: number;
  rows: number;
}

export interface Timeline {
  /** In time order; `t` never decreases. Empty when built with `keepEvents: false`. */
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
  /** At most MAX_PROBLEMS entries; `problemCount` has the full count. */
  problems: RecordingProblem[];
  /** Every window size change, the first one included. Always set by TimelineBuilder. */
  windows?: WindowSize[];
  /** How many problems were found, listed or not. Always set by TimelineBuilder. */
  problemCount?: number;
}

/** The largest Unix ms a JavaScript Date holds. */
const MAX_DATE_MS = 8.64e15;

/**
 * Unix ms of the recording's start from one of its messages: `time*1000 - pos`
 * (constant within a recording since format 2.3). null when the message has
 * no `time` (old writers), or one beyond what a Date holds (damage, not a
 * moment).
 */
export function messageStartMs(message: { time?: number; pos: number }): number | null {
  if (message.time === undefined) return null;
  const start = Math.round(message.time * 1000 - message.pos);
  // Start plus the longest duration tlog can express must still be a Date.
  return Math.abs(start) <= MAX_DATE_MS - MAX_DELAY_MS ? start : null;
}

/**
 * Messages lost from a recording whose highest id is `lastId` and which holds
 * `distinct` different ids: ids run from 1, so everything below `lastId` that
 * is not there is missing, the first messages included. This is the sum of
 * the timeline's gaps.
 */
export function missingMessages(lastId: number, distinct: number): number {
  return Math.max(0, lastId - distinct);
}

/** Problems listed in a timeline; a badly damaged recording must not hold one per line. */
export const MAX_PROBLEMS = 1000;

/** A timeline with nothing in it yet. */
export function emptyTimeline(): Timeline {
  return {
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
    windows: [],
    problemCount: 0,
  };
}

export interface TimelineBuilderOptions {
  /** Keep every event in `timeline.events` (default). Exports that stream set false. */
  keepEvents?: boolean;
}

/**
 * Builds a timeline from messages arriving in ascending id order (as the
 * messages API streams them). A repeated id is dropped, keeping the first; an
 * id lower than the last one is reported as a problem and dropped (use
 * `assembleTimeline` for unordered input). A message that belongs to another
 * recording than the first one is dropped and reported.
 */
export class TimelineBuilder {
  private readonly state: Timeline = emptyTimeline();
  private rec: string | undefined;
  /** The first message's host and user: a recording is one of each. */
  private identity: { host: string; user: string } | null = null;
  private readonly keepEvents: boolean;

  constructor(options: TimelineBuilderOptions = {}) {
    this.keepEvents = options.keepEvents ?? true;
  }

  /** The timeline so far. The same object grows as messages are pushed. */
  get timeline(): Timeline {
    return this.state;
  }

  /** Records a problem (e.g. a line that is not a valid message), keeping the list bounded. */
  problem(id: number, error: string): void {
    const s = this.state;
    s.problemCount = (s.problemCount ?? 0) + 1;
    if (s.problems.length < MAX_PROBLEMS) s.problems.push({ id, error });
  }

  /** Adds a message; returns the events it added (a gap event first, if any). */
  push(message: TlogMessage): TimelineEvent[] {
    const s = this.state;
    if (s.lastId === null) {
      this.rec = message.rec;
    } else if (message.rec !== this.rec) {
      this.problem(
        message.id,
        `message ${message.id} belongs to another recording (${message.rec ?? 'none'}); dropped`,
      );
      return [];
    } else if (message.id === s.lastId) {
      s.duplicates += 1;
      return [];
    } else if (message.id < s.lastId) {
      this.problem(message.id, `message ${message.id} arrived out of order; dropped`);
      return [];
    }

    if (!this.identity) {
      this.identity = { host: message.host, user: message.user };
    } else if (message.host !== this.identity.host || message.user !== this.identity.user) {
      // Played, but marked: a recorded user can write any JSON to syslog, and
      // an auditor must see that this output may not be the recording's.
      this.problem(
        message.id,
        `message ${message.id} names host "${message.host}" and user "${message.user}", not the recording's "${this.identity.host}" and "${this.identity.user}": forged or damaged`,
      );
    }

    const added: TimelineEvent[] = [];
    const expected = s.lastId === null ? 1 : s.lastId + 1;
    if (message.id > expected) {
      // A recording whose first messages were lost starts with a gap too. The
      // lost messages' time is unknown: the gap sits where the next one starts.
      const missing = message.id - expected;
      const t = Math.max(s.durationMs, message.pos);
      s.gaps.push({ afterId: expected - 1, missing, t });
      added.push({ kind: 'gap', t, firstMissingId: expected, missing });
    }
    if (s.startMs === null && message.time !== undefined) {
      const start = messageStartMs(message);
      if (start !== null) s.startMs = start;
      else this.problem(message.id, `message ${message.id} has an unusable time (${message.time})`);
    }
    if (s.lastId !== null && message.pos < s.durationMs) {
      // tlog-play refuses this ("packet timestamp out of order"); we play on.
      this.problem(
        message.id,
        `message ${message.id} starts at ${message.pos} ms, before the previous one ended (${s.durationMs} ms); its events are moved later`,
      );
    }

    const decoded = decodeTiming(message);
    if (decoded.error) this.problem(message.id, decoded.error);
    const windows = s.windows ?? (s.windows = []);
    for (const event of decoded.events) {
      if (event.kind === 'input') s.hasInput = true;
      // A damaged pos must not send time backwards: players rely on order.
      if (event.t < s.durationMs) event.t = s.durationMs;
      else s.durationMs = event.t;
      if (event.kind === 'window') {
        const last = windows[windows.length - 1];
        if (!last || last.cols !== event.cols || last.rows !== event.rows) {
          windows.push({ t: event.t, cols: event.cols, rows: event.rows });
        }
      }
      added.push(event);
    }
    s.durationMs = Math.max(s.durationMs, decoded.end);
    s.messages += 1;
    s.firstId ??= message.id;
    s.lastId = message.id;
    if (this.keepEvents) for (const event of added) s.events.push(event);
    return added;
  }
}

/** The recording most messages belong to: a stray or damaged `rec` must not win by coming first. */
function majorityRec(messages: TlogMessage[]): string | undefined {
  const counts = new Map<string | undefined, number>();
  let best: string | undefined = messages[0]?.rec;
  let bestCount = 0;
  for (const message of messages) {
    const n = (counts.get(message.rec) ?? 0) + 1;
    counts.set(message.rec, n);
    if (n > bestCount) {
      best = message.rec;
      bestCount = n;
    }
  }
  return best;
}

/**
 * Assembles messages given in any order: sorts by id first (stable, so the
 * first of duplicate ids wins). When messages of several recordings are mixed,
 * the one most messages belong to is kept and the others are reported.
 */
export function assembleTimeline(messages: Iterable<TlogMessage>): Timeline {
  const sorted = [...messages].sort((a, b) => a.id - b.id);
  const rec = majorityRec(sorted);
  const builder = new TimelineBuilder();
  for (const message of sorted) {
    if (message.rec !== rec) {
      builder.problem(
        message.id,
        `message ${message.id} belongs to another recording (${message.rec ?? 'none'}); dropped`,
      );
    } else {
      builder.push(message);
    }
  }
  return builder.timeline;
}
