import { describe, expect, it } from 'vitest';
import { ADDRESS_RULE, Throttle, USER_RULE } from '@/lib/auth/throttle';

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
