import { ActivityIndex } from '@/lib/replay/activity';
import { InputLog, type InputLine } from '@/lib/replay/input-log';
import type { Timeline } from '@/lib/tlog';
import { EMPTY_TIMELINE_VIEW, viewOf, type TimelineView } from './timeline-view';

/** What the view derives from the timeline: its facts, the seek bar's activity, the typed lines. */
export interface TimelinePublication {
  timeline: TimelineView;
  /** Output density per slice of the recording, 0..1, for the seek bar. */
  levels: readonly number[];
  /** Typed input as lines, for the input pane. */
  inputLines: readonly InputLine[];
}

export const EMPTY_PUBLICATION: TimelinePublication = {
  timeline: EMPTY_TIMELINE_VIEW,
  levels: [],
  inputLines: [],
};

/**
 * Turns the growing timeline into publications for the view, incrementally:
 * each one costs what arrived since the last.
 */
export class TimelinePublisher {
  private readonly activity: ActivityIndex;
  private readonly inputLog = new InputLog();
  private last: TimelinePublication = EMPTY_PUBLICATION;

  /** `spanMs`: the recording's duration from its summary, known before it loads. */
  constructor(spanMs: number) {
    this.activity = new ActivityIndex(Math.max(1, spanMs));
  }

  /** Events counted into the activity strip: output below may be let go (output-chunks.ts). */
  get counted(): number {
    return this.activity.length;
  }

  publish(timeline: Timeline): TimelinePublication {
    const levels = this.activity.sync(timeline.events, timeline.durationMs)
      ? this.activity.levels()
      : this.last.levels;
    const inputLines =
      timeline.hasInput && this.inputLog.sync(timeline.events)
        ? [...this.inputLog.lines]
        : this.last.inputLines;
    this.last = { timeline: viewOf(timeline, this.last.timeline), levels, inputLines };
    return this.last;
  }
}
