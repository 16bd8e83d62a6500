// Failed sign-ins are counted per key (a username, an address) in a sliding
// window; past the limit the key waits until its oldest failure leaves the
// window. In memory: each auditty instance counts on its own.
//
// An attempt is counted when it starts, not when its password check ends:
// the check takes a few hundred milliseconds, and counting afterwards let
// any number of concurrent guesses pass the limit before the first one was
// recorded. A reserved attempt counts as a failure until it is withdrawn.

export interface ThrottleRule {
  limit: number;
  windowMs: number;
}

/** Per username: 5 failures in 15 minutes. */
export const USER_RULE: ThrottleRule = { limit: 5, windowMs: 15 * 60_000 };
/** Per client address: 20 failures in 15 minutes (an office behind one NAT shares it). */
export const ADDRESS_RULE: ThrottleRule = { limit: 20, windowMs: 15 * 60_000 };

const MAX_KEYS = 10_000;

interface Entry {
  at: number;
  /** Reserved by an attempt still being checked. */
  pending: boolean;
}

/** An attempt counted in advance; it ends as a failure or is withdrawn. */
export interface Attempt {
  /** Keeps it as a failure. */
  failed(): void;
  /** It does not count (a success, or a check that never ran). */
  withdraw(): void;
}

export class Throttle {
  private readonly failures = new Map<string, Entry[]>();

  constructor(
    private readonly rule: ThrottleRule,
    private readonly now: () => number = Date.now,
  ) {}

  private recent(key: string): Entry[] {
    const since = this.now() - this.rule.windowMs;
    const kept = (this.failures.get(key) ?? []).filter((e) => e.at > since);
    if (kept.length === 0) this.failures.delete(key);
    else this.failures.set(key, kept);
    return kept;
  }

  /** 0 when the key may try now, else the milliseconds to wait. */
  retryAfterMs(key: string): number {
    const recent = this.recent(key);
    if (recent.length < this.rule.limit) return 0;
    const oldest = recent[recent.length - this.rule.limit]?.at ?? this.now();
    return Math.max(1, oldest + this.rule.windowMs - this.now());
  }

  private add(key: string, entry: Entry): void {
    if (this.failures.size >= MAX_KEYS) this.prune();
    this.failures.set(key, [...this.recent(key), entry]);
  }

  fail(key: string): void {
    this.add(key, { at: this.now(), pending: false });
  }

  /**
   * Counts an attempt now. Call it after retryAfterMs(key) returned 0 with
   * no await in between, so that no other attempt slips in.
   */
  reserve(key: string): Attempt {
    const entry: Entry = { at: this.now(), pending: true };
    this.add(key, entry);
    return {
      failed: () => {
        entry.pending = false;
      },
      withdraw: () => {
        entry.pending = false;
        const kept = (this.failures.get(key) ?? []).filter((e) => e !== entry);
        if (kept.length === 0) this.failures.delete(key);
        else this.failures.set(key, kept);
      },
    };
  }

  /** Forgets the key's failures; attempts of others still being checked keep counting. */
  reset(key: string): void {
    const pending = (this.failures.get(key) ?? []).filter((e) => e.pending);
    if (pending.length === 0) this.failures.delete(key);
    else this.failures.set(key, pending);
  }

  private prune(): void {
    for (const key of [...this.failures.keys()]) this.recent(key);
    // Still full: a flood of distinct keys. Forget the oldest half.
    if (this.failures.size >= MAX_KEYS) {
      for (const key of [...this.failures.keys()].slice(0, MAX_KEYS / 2)) this.failures.delete(key);
    }
  }
}

/**
 * At most `concurrency` tasks at once, at most `queue` more waiting (first
 * come, first served); beyond that a task is refused at once, without
 * running, so that excess load costs nothing but the refusal.
 */
export class Gate {
  private running = 0;
  private readonly waiting: (() => void)[] = [];

  constructor(
    readonly concurrency: number,
    readonly queue: number,
  ) {}

  /** The task's result, or null (it did not run) when the gate and its queue are full. */
  run<T>(task: () => Promise<T>): Promise<T> | null {
    if (this.running < this.concurrency) {
      this.running += 1;
      return this.start(task);
    }
    if (this.waiting.length >= this.queue) return null;
    // The place is handed over by the task that ends, so running stays counted.
    return new Promise<void>((resolve) => this.waiting.push(resolve)).then(() => this.start(task));
  }

  private async start<T>(task: () => Promise<T>): Promise<T> {
    try {
      return await task();
    } finally {
      const next = this.waiting.shift();
      if (next) next();
      else this.running -= 1;
    }
  }
}
