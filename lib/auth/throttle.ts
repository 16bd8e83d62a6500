// Failed sign-ins are counted per key (a username, an address) in a sliding
// window; past the limit the key waits until its oldest failure leaves the
// window. In memory: each auditty instance counts on its own.

export interface ThrottleRule {
  limit: number;
  windowMs: number;
}

/** Per username: 5 failures in 15 minutes. */
export const USER_RULE: ThrottleRule = { limit: 5, windowMs: 15 * 60_000 };
/** Per client address: 20 failures in 15 minutes (an office behind one NAT shares it). */
export const ADDRESS_RULE: ThrottleRule = { limit: 20, windowMs: 15 * 60_000 };

const MAX_KEYS = 10_000;

export class Throttle {
  private readonly failures = new Map<string, number[]>();

  constructor(
    private readonly rule: ThrottleRule,
    private readonly now: () => number = Date.now,
  ) {}

  private recent(key: string): number[] {
    const since = this.now() - this.rule.windowMs;
    const kept = (this.failures.get(key) ?? []).filter((t) => t > since);
    if (kept.length === 0) this.failures.delete(key);
    else this.failures.set(key, kept);
    return kept;
  }

  /** 0 when the key may try now, else the milliseconds to wait. */
  retryAfterMs(key: string): number {
    const recent = this.recent(key);
    if (recent.length < this.rule.limit) return 0;
    const oldest = recent[recent.length - this.rule.limit] ?? this.now();
    return Math.max(1, oldest + this.rule.windowMs - this.now());
  }

  fail(key: string): void {
    if (this.failures.size >= MAX_KEYS) this.prune();
    this.failures.set(key, [...this.recent(key), this.now()]);
  }

  reset(key: string): void {
    this.failures.delete(key);
  }

  private prune(): void {
    for (const key of [...this.failures.keys()]) this.recent(key);
    // Still full: a flood of distinct keys. Forget the oldest half.
    if (this.failures.size >= MAX_KEYS) {
      for (const key of [...this.failures.keys()].slice(0, MAX_KEYS / 2)) this.failures.delete(key);
    }
  }
}
