import type { TailMessage } from '@/lib/sources/types';

// The order of a followed recording's messages (docs/live.md, "Order and
// gaps"). rsyslog can deliver a later message before an earlier one, so what
// a poll finds is not released at once: messages go out in id order, a
// missing id is waited for up to `gapWaitMs`, then skipped (the player shows
// a gap) and remembered, and if it arrives after that it goes out as a late
// message that fills the gap in place. Pure: time comes in as arguments.

/** Missing ids remembered for a late fill, at most (a recording that lost more shows gaps). */
export const MAX_MISSING = 1000;
/** A missing id is looked for this long after it was skipped, then given up. */
export const MISSING_KEPT_MS = 10 * 60_000;

export interface Released {
  /** In id order, each above the last one released before. */
  inOrder: TailMessage[];
  /** Ids skipped earlier that have now arrived. */
  late: TailMessage[];
}

export class MessageOrder {
  /** The last id released or skipped: everything at or below it is settled. */
  private edgeId: number;
  /** Found above edge + 1, waiting for the ids before them, with when they were first seen. */
  private readonly held = new Map<number, { message: TailMessage; since: number }>();
  /** Skipped ids, with when they were skipped (a late arrival is still taken). */
  private readonly skipped = new Map<number, number>();

  constructor(
    afterId: number,
    private readonly gapWaitMs: number,
    /** Ids below afterId that the reader is missing (gaps at the recording's tail). */
    missing: readonly number[] = [],
    now = 0,
  ) {
    this.edgeId = afterId;
    for (const id of missing.slice(-MAX_MISSING)) if (id < afterId) this.skipped.set(id, now);
  }

  get edge(): number {
    return this.edgeId;
  }

  /** Ids a poll should look for below the edge (skipped, still wanted). */
  missing(now: number): number[] {
    for (const [id, at] of this.skipped) if (now - at > MISSING_KEPT_MS) this.skipped.delete(id);
    return [...this.skipped.keys()];
  }

  /** Adds ids a reader lacks below the edge (another follower's gaps). */
  want(missing: readonly number[], now: number): void {
    for (const id of missing.slice(-MAX_MISSING))
      if (id <= this.edgeId && !this.skipped.has(id)) this.skipped.set(id, now);
    this.trim();
  }

  /** At most MAX_MISSING remembered, the oldest dropped (a terms query has limits). */
  private trim(): void {
    while (this.skipped.size > MAX_MISSING) {
      const oldest = this.skipped.keys().next().value;
      if (oldest === undefined) break;
      this.skipped.delete(oldest);
    }
  }

  isMissing(id: number): boolean {
    return this.skipped.has(id);
  }

  /** When the oldest held message stops waiting for the ids before it (null: none held). */
  nextDeadline(): number | null {
    let oldest: number | null = null;
    for (const { since } of this.held.values()) oldest = Math.min(oldest ?? since, since);
    return oldest === null ? null : oldest + this.gapWaitMs;
  }

  /** Takes what a poll found and returns what may go out now. */
  arrive(found: readonly TailMessage[], now: number): Released {
    const late: TailMessage[] = [];
    for (const message of found) {
      if (message.id <= this.edgeId) {
        if (this.skipped.delete(message.id)) late.push(message);
        // Anything else at or below the edge was released already: a duplicate.
      } else if (!this.held.has(message.id)) {
        this.held.set(message.id, { message, since: now });
      }
    }
    return { inOrder: this.release(now), late };
  }

  /** Releases in order, skipping a run of missing ids once the message after it has waited long enough. */
  private release(now: number): TailMessage[] {
    const out: TailMessage[] = [];
    for (;;) {
      const next = this.held.get(this.edgeId + 1);
      if (next) {
        this.held.delete(this.edgeId + 1);
        this.edgeId += 1;
        out.push(next.message);
        continue;
      }
      if (this.held.size === 0) break;
      const lowest = Math.min(...this.held.keys());
      const waiting = this.held.get(lowest);
      if (!waiting || now - waiting.since < this.gapWaitMs) break;
      for (let id = Math.max(this.edgeId + 1, lowest - MAX_MISSING); id < lowest; id++)
        this.skipped.set(id, now);
      this.trim();
      this.edgeId = lowest - 1;
    }
    return out;
  }
}
