import type { Gap, RecordingProblem, Timeline, WindowSize } from '@/lib/tlog';

/**
 * What the view shows of the timeline, copied out of it at one moment. The
 * timeline itself grows in place as messages stream in (TimelineBuilder):
 * the engine reads it there, React gets these immutable copies, a new one
 * each time the player publishes.
 */
export interface TimelineView {
  messages: number;
  events: number;
  durationMs: number;
  startMs: number | null;
  duplicates: number;
  hasInput: boolean;
  gaps: readonly Gap[];
  windows: readonly WindowSize[];
  /** The first problems (at most MAX_PROBLEMS); `problemCount` counts them all. */
  problems: readonly RecordingProblem[];
  problemCount: number;
}

export const EMPTY_TIMELINE_VIEW: TimelineView = {
  messages: 0,
  events: 0,
  durationMs: 0,
  startMs: null,
  duplicates: 0,
  hasInput: false,
  gaps: [],
  windows: [],
  problems: [],
  problemCount: 0,
};

export function viewOf(timeline: Timeline, before: TimelineView): TimelineView {
  // Lists are copied only when they grew: the view's arrays stay the same
  // objects otherwise, so the components drawing them need not draw again.
  const same = <T>(now: readonly T[], was: readonly T[]) =>
    now.length === was.length ? was : [...now];
  return {
    messages: timeline.messages,
    events: timeline.events.length,
    durationMs: timeline.durationMs,
    startMs: timeline.startMs,
    duplicates: timeline.duplicates,
    hasInput: timeline.hasInput,
    gaps: same(timeline.gaps, before.gaps),
    windows: same(timeline.windows ?? [], before.windows),
    problems: same(timeline.problems, before.problems),
    problemCount: timeline.problemCount ?? timeline.problems.length,
  };
}
