// Lookups over a timeline's events, which are in time order and only grow:
// how many events are due at a time, where the output events are, and what
// replaying the output between two events costs (replay-cost.ts).

import type { TimelineEvent } from '../tlog/timing';
import { outputCost } from './replay-cost';

export class TimelineIndex {
  /** offsets[i]: the cost of the output in events[0..i). */
  private offsets = new Float64Array(1024);
  private indexed = 0;

  constructor(private events: readonly TimelineEvent[] = []) {}

  /** Follows a timeline that grew (or was replaced by a longer one). */
  sync(events: readonly TimelineEvent[]): void {
    if (events !== this.events) {
      this.events = events;
      this.indexed = 0;
    }
    if (this.offsets.length < events.length + 1) {
      const grown = new Float64Array(Math.max(events.length + 1, this.offsets.length * 2));
      grown.set(this.offsets.subarray(0, this.indexed + 1));
      this.offsets = grown;
    }
    for (let i = this.indexed; i < events.length; i++) {
      const event = events[i];
      const cost = event?.kind === 'output' ? outputCost(event.data) : 0;
      this.offsets[i + 1] = (this.offsets[i] ?? 0) + cost;
    }
    this.indexed = events.length;
  }

  get length(): number {
    return this.indexed;
  }

  /** The cost of the output in events[0..index). */
  costBefore(index: number): number {
    return this.offsets[Math.min(Math.max(0, index), this.indexed)] ?? 0;
  }

  /** The number of events with `t <= ms`: events[0..count) are due at `ms`. */
  countAt(ms: number): number {
    let lo = 0;
    let hi = this.indexed;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      if ((this.events[mid]?.t ?? Infinity) <= ms) lo = mid + 1;
      else hi = mid;
    }
    return lo;
  }

  /** Time of the first output event after `ms`, or null. */
  nextOutputTime(ms: number): number | null {
    for (let i = this.countAt(ms); i < this.indexed; i++) {
      const event = this.events[i];
      if (event?.kind === 'output') return event.t;
    }
    return null;
  }

  /** Time of the last output event before `ms`, or null. */
  previousOutputTime(ms: number): number | null {
    for (let i = this.countAt(ms) - 1; i >= 0; i--) {
      const event = this.events[i];
      if (event?.kind === 'output' && event.t < ms) return event.t;
    }
    return null;
  }

  /** Time of the first event after `ms` (any kind), or null. */
  nextEventTime(ms: number): number | null {
    return this.events[this.countAt(ms)]?.t ?? null;
  }
}
