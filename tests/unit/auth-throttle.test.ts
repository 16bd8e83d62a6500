import { describe, expect, it } from 'vitest';
import { ADDRESS_RULE, Gate, Throttle, USER_RULE } from '@/lib/auth/throttle';

function clock(start = 1_000_000) {
  let now = start;
  return { now: () => now, advance: (ms: number) => (now += ms) };
}

describe('Throttle', () => {
  it('lets a key try until the limit, then makes it wait for the window', () => {
    const c = clock();
    const t = new Throttle({ limit: 3, windowMs: 60_000 }, c.now);
    for (let i = 0; i < 3; i++) {
      expect(t.retryAfterMs('alice')).toBe(0);
      t.fail('alice');
      c.advance(1000);
    }
    expect(t.retryAfterMs('alice')).toBe(57_000);
    c.advance(56_999);
    expect(t.retryAfterMs('alice')).toBe(1);
    c.advance(1);
    expect(t.retryAfterMs('alice')).toBe(0);
  });

  it('keeps keys apart and forgets a key on success', () => {
    const c = clock();
    const t = new Throttle({ limit: 2, windowMs: 60_000 }, c.now);
    t.fail('alice');
    t.fail('alice');
    expect(t.retryAfterMs('alice')).toBeGreaterThan(0);
    expect(t.retryAfterMs('bob')).toBe(0);
    t.reset('alice');
    expect(t.retryAfterMs('alice')).toBe(0);
  });

  it('slides: old failures leave the window one by one', () => {
    const c = clock();
    const t = new Throttle({ limit: 2, windowMs: 10_000 }, c.now);
    t.fail('k');
    c.advance(6000);
    t.fail('k');
    expect(t.retryAfterMs('k')).toBe(4000);
    c.advance(4000);
    expect(t.retryAfterMs('k')).toBe(0);
    t.fail('k');
    expect(t.retryAfterMs('k')).toBe(6000);
  });

  it('stays bounded under a flood of distinct keys', () => {
    const c = clock();
    const t = new Throttle({ limit: 5, windowMs: 60_000 }, c.now);
    for (let i = 0; i < 25_000; i++) t.fail(`addr-${i}`);
    expect((t as unknown as { failures: Map<string, number[]> }).failures.size).toBeLessThanOrEqual(
      10_000,
    );
  });

  it('has rules per user stricter than per address', () => {
    expect(USER_RULE.limit).toBeLessThan(ADDRESS_RULE.limit);
  });
});

describe('Throttle reservations', () => {
  it('count from the moment they are taken', () => {
    const t = new Throttle({ limit: 2, windowMs: 60_000 }, clock().now);
    t.reserve('alice');
    expect(t.retryAfterMs('alice')).toBe(0);
    t.reserve('alice');
    expect(t.retryAfterMs('alice')).toBeGreaterThan(0);
  });

  it('stay as failures, or vanish when withdrawn', () => {
    const t = new Throttle({ limit: 2, windowMs: 60_000 }, clock().now);
    const kept = t.reserve('alice');
    const withdrawn = t.reserve('alice');
    kept.failed();
    withdrawn.withdraw();
    expect(t.retryAfterMs('alice')).toBe(0);
    t.fail('alice');
    expect(t.retryAfterMs('alice')).toBeGreaterThan(0);
    withdrawn.withdraw(); // twice: still only its own entry
    expect(t.retryAfterMs('alice')).toBeGreaterThan(0);
  });

  it('of attempts still being checked survive a reset by another', () => {
    const t = new Throttle({ limit: 2, windowMs: 60_000 }, clock().now);
    t.fail('alice');
    const success = t.reserve('alice');
    const other = t.reserve('alice');
    success.withdraw();
    t.reset('alice');
    // The failure is forgotten, the guess in flight is not.
    t.reserve('alice');
    expect(t.retryAfterMs('alice')).toBeGreaterThan(0);
    // Settled, `other` goes with the next reset; the one still pending stays.
    other.failed();
    t.reset('alice');
    expect(t.retryAfterMs('alice')).toBe(0);
    t.reserve('alice');
    expect(t.retryAfterMs('alice')).toBeGreaterThan(0);
  });

  it('leave the window like failures', () => {
    const c = clock();
    const t = new Throttle({ limit: 1, windowMs: 10_000 }, c.now);
    const attempt = t.reserve('k');
    expect(t.retryAfterMs('k')).toBe(10_000);
    c.advance(10_000);
    expect(t.retryAfterMs('k')).toBe(0);
    attempt.failed();
    attempt.withdraw();
    expect(t.retryAfterMs('k')).toBe(0);
  });
});

function deferred() {
  let resolve = () => {};
  let reject = (_: Error) => {};
  const promise = new Promise<void>((res, rej) => {
    resolve = res;
    reject = rej;
  });
  return { promise, resolve, reject };
}

describe('Gate', () => {
  it('runs at most its concurrency, queues in order, refuses beyond the queue without running', async () => {
    const gate = new Gate(2, 2);
    const started: number[] = [];
    const holds = Array.from({ length: 5 }, deferred);
    const runs = holds.map((h, i) =>
      gate.run(() => {
        started.push(i);
        return h.promise.then(() => i);
      }),
    );
    expect(runs[4]).toBeNull();
    await Promise.resolve();
    expect(started).toEqual([0, 1]);
    holds[1]?.resolve();
    await runs[1];
    await Promise.resolve();
    expect(started).toEqual([0, 1, 2]);
    // A place left in the queue again.
    const late = gate.run(() => Promise.resolve(9));
    expect(late).not.toBeNull();
    expect(gate.run(() => Promise.resolve(10))).toBeNull();
    holds.forEach((h) => h.resolve());
    expect(await Promise.all(runs.slice(0, 4))).toEqual([0, 1, 2, 3]);
    expect(await late).toBe(9);
    expect(started).toEqual([0, 1, 2, 3]);
  });

  it('frees the place of a task that fails', async () => {
    const gate = new Gate(1, 0);
    const hold = deferred();
    const first = gate.run(() => hold.promise);
    expect(gate.run(() => Promise.resolve())).toBeNull();
    hold.reject(new Error('boom'));
    await expect(first).rejects.toThrow('boom');
    expect(await gate.run(() => Promise.resolve('again'))).toBe('again');
  });
});
