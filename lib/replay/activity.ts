// Where the activity is: output bytes per slice of the recording, for the
// seek bar's density strip. Built incrementally as events stream in, over a
// span that is known up front (the recording's duration from its summary).
// If the timeline turns out longer, the slices counted so far are spread
// onto the longer span: the events are not read again, because output over
// the memory budget may have been let go (output-chunks.ts).

import type { TimelineEvent } from '../tlog/timing';

export class ActivityIndex {
  private bins: Float64Array;
  private counted = 0;
  private events: readonly TimelineEvent[] = [];

  constructor(
    private spanMs: number,
    readonly binCount = 200,
  ) {
    this.bins = new Float64Array(binCount);
  }

  /** Counts the events not counted yet; returns true when the bins changed. */
  sync(events: readonly TimelineEvent[], durationMs: number): boolean {
    if (events !== this.events) {
      // A new timeline: start over.
      this.events = events;
      this.spanMs = Math.max(this.spanMs, durationMs);
      this.bins = new Float64Array(this.binCount);
      this.counted = 0;
    } else if (durationMs > this.spanMs) {
      // Longer than planned: each slice goes where its middle falls on the new span.
      const [old, oldWidth] = [this.bins, Math.max(1, this.spanMs) / this.binCount];
      this.spanMs = durationMs;
      this.bins = new Float64Array(this.binCount);
      const width = durationMs / this.binCount;
      old.forEach((bytes, i) => {
        const bin = Math.min(this.binCount - 1, Math.floor(((i + 0.5) * oldWidth) / width));
        this.bins[bin] = (this.bins[bin] ?? 0) + bytes;
      });
    }
    if (this.counted === events.length) return false;
    const width = Math.max(1, this.spanMs) / this.binCount;
    for (let i = this.counted; i < events.length; i++) {
      const event = events[i];
      if (event?.kind !== 'output') continue;
      const bin = Math.min(this.binCount - 1, Math.floor(event.t / width));
      this.bins[bin] = (this.bins[bin] ?? 0) + event.data.length;
    }
    this.counted = events.length;
    return true;
  }

  /** Events counted so far. */
  get length(): number {
    return this.counted;
  }

  get span(): number {
    return this.spanMs;
  }

  /**
   * Each bin's level in 0..1. Logarithmic, because a burst of a megabyte
   * would otherwise flatten every keystroke's echo to nothing.
   */
  levels(): number[] {
    let max = 0;
    for (const v of this.bins) max = Math.max(max, v);
    if (max === 0) return Array.from(this.bins, () => 0);
    const top = Math.log1p(max);
    return Array.from(this.bins, (v) => (v === 0 ? 0 : Math.max(0.08, Math.log1p(v) / top)));
  }
}
