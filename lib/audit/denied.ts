import type { AuditAction } from './event';

// Events of requests without a session (an API call refused by proxy.ts, a
// failed sign-in, a sign-out with nothing to end) come from whoever can reach
// auditty, at whatever rate they like. Each is worth recording, but with a
// trail that fails closed, a flood that fills the store is an outage. So the
// first few per client address and window are written as they come; the rest
// are counted and written as one summary per address and window. Addresses
// are cheap (X-Forwarded-For when auditty is exposed directly, an IPv6
// prefix), so a total budget per window bounds what all of them write
// together; what exceeds it is counted too. Nothing is dropped unseen: every
// request is an event or part of a summary's count.
//
// In memory, per auditty process: each instance limits on its own.

export interface DeniedRule {
  limit: number;
  windowMs: number;
}

/**
 * Per address: 10 a minute. A browser whose session expired polls a few API
 * routes a minute, and ten shows all of that; a scanner shows its first ten
 * requests, then one summary a minute.
 */
export const PER_ADDRESS: DeniedRule = { limit: 10, windowMs: 60_000 };
/**
 * All addresses together: 100 events a minute (summaries included, plus one
 * overflow summary per action), ten addresses' worth. At under 4,000
 * characters an event (bounds.ts) that is under 600 MB a day at the very
 * worst, about 75 MB with events of a typical 500 bytes.
 */
export const ALL_ADDRESSES: DeniedRule = { limit: 100, windowMs: 60_000 };
/**
 * Addresses tracked at once, as lib/auth/throttle.ts: a few MB at most. What is
 * forgotten to stay under it still counts, in the overflow summary.
 */
export const MAX_ADDRESSES = 10_000;

/** Events held back: written as one event when their window closes. */
export interface DeniedSummary {
  action: AuditAction;
  /** null: many addresses (over the total budget, or forgotten to bound memory). */
  address: string | null;
  count: number;
  /** Milliseconds since the epoch of the first and the last held-back event. */
  since: number;
  until: number;
}

interface Bucket {
  action: AuditAction;
  address: string;
  start: number;
  written: number;
  held: DeniedSummary | null;
}

export interface Admission {
  /** Whether this event is written; when not, it is counted. */
  write: boolean;
  /** Summaries now due, older than this event: write them first. */
  summaries: DeniedSummary[];
}

export class DeniedLimiter {
  /** In insertion order, which is window order: every window lasts as long. */
  private readonly buckets = new Map<string, Bucket>();
  private total: { start: number; written: number } | null = null;
  /** Held-back events that no per-address summary will report, per action. */
  private readonly overflow = new Map<AuditAction, DeniedSummary>();

  constructor(
    private readonly now: () => number = Date.now,
    private readonly perAddress: DeniedRule = PER_ADDRESS,
    private readonly all: DeniedRule = ALL_ADDRESSES,
    private readonly maxAddresses: number = MAX_ADDRESSES,
  ) {}

  /** Addresses (per action) tracked now; never above maxAddresses. */
  get size(): number {
    return this.buckets.size;
  }

  /** Whether some count waits for its summary. */
  get pending(): boolean {
    if (this.overflow.size > 0) return true;
    for (const bucket of this.buckets.values()) if (bucket.held) return true;
    return false;
  }

  admit(action: AuditAction, address: string): Admission {
    const t = this.now();
    const summaries = this.due(t);
    const key = `${action} ${address}`;
    let bucket = this.buckets.get(key);
    if (!bucket) {
      if (this.buckets.size >= this.maxAddresses) this.forget(t);
      bucket = { action, address, start: t, written: 0, held: null };
      this.buckets.set(key, bucket);
    }
    if (bucket.written < this.perAddress.limit && this.spend(t)) {
      bucket.written += 1;
      return { write: true, summaries };
    }
    bucket.held = add(bucket.held, { action, address, count: 1, since: t, until: t });
    return { write: false, summaries };
  }

  /** Summaries of the windows that have closed by now (also for a timer). */
  due(t: number = this.now()): DeniedSummary[] {
    const out: DeniedSummary[] = [];
    // The total window first: what it held back is older than what closes now.
    if (this.total && t >= this.total.start + this.all.windowMs) {
      out.push(...this.overflow.values());
      this.overflow.clear();
      this.total = null;
    }
    for (const [key, bucket] of this.buckets) {
      if (t < bucket.start + this.perAddress.windowMs) break;
      this.buckets.delete(key);
      if (bucket.held) this.report(bucket.held, t, out);
    }
    return out;
  }

  /** A summary is an event too: within the budget, else it joins the overflow. */
  private report(summary: DeniedSummary, t: number, out: DeniedSummary[]): void {
    if (this.spend(t)) out.push(summary);
    else this.fold(summary, t);
  }

  private spend(t: number): boolean {
    if (!this.total) this.total = { start: t, written: 0 };
    if (this.total.written >= this.all.limit) return false;
    this.total.written += 1;
    return true;
  }

  private fold(summary: DeniedSummary, t: number): void {
    // The overflow is reported when the total window closes: there must be one.
    this.total ??= { start: t, written: 0 };
    const merged = add(this.overflow.get(summary.action) ?? null, { ...summary, address: null });
    this.overflow.set(summary.action, merged);
  }

  /** Full of distinct addresses: forget the oldest half, keeping their counts. */
  private forget(t: number): void {
    const half = Math.max(1, Math.floor(this.maxAddresses / 2));
    for (const [key, bucket] of [...this.buckets].slice(0, half)) {
      this.buckets.delete(key);
      if (bucket.held) this.fold(bucket.held, t);
    }
  }
}

function add(into: DeniedSummary | null, more: DeniedSummary): DeniedSummary {
  if (!into) return { ...more };
  return {
    ...into,
    count: into.count + more.count,
    since: Math.min(into.since, more.since),
    until: Math.max(into.until, more.until),
  };
}

const WHAT: Partial<Record<AuditAction, string>> = {
  'access-denied': 'denied requests',
  'sign-in': 'failed sign-ins',
  'sign-out': 'sign-outs without a session',
};

/** The sentence of a summary event's event.reason. */
export function summaryReason(summary: DeniedSummary): string {
  const what = WHAT[summary.action] ?? `${summary.action} events without a session`;
  const from = summary.address ?? 'other addresses (over the limit of all addresses)';
  return `${summary.count} more ${what} from ${from} since ${new Date(summary.since).toISOString()}`;
}
