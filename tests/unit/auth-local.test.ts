import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import {
  BUSY_RETRY_MS,
  checkLocalSignIn,
  HASHING_CONCURRENCY,
  HASHING_QUEUE,
  type LocalSignIn,
  processSignInDeps,
  type SignInDeps,
} from '@/lib/auth/local';
import { hashPassword, verifyPassword } from '@/lib/auth/password';
import { ADDRESS_RULE, Gate, Throttle, USER_RULE, type ThrottleRule } from '@/lib/auth/throttle';
import { writeUsersFile } from '@/lib/auth/users-file';

// Real scrypt hashes at a low cost (ln=10, a few ms each), checked by the
// real password module; the seam only counts the checks, and can hold them
// so that what runs at once is measured, not raced.

const FAST = { ln: 10, r: 8, p: 1 };
const USERS = 40;
const name = (i: number) => `user${i}`;
const passwordOf = (i: number) => `password-of-${i}`;
const STRICT: ThrottleRule = { limit: 1, windowMs: 15 * 60_000 };

let dir: string;
let usersFile: string;
let burnHash: string;

beforeAll(async () => {
  dir = await mkdtemp(path.join(tmpdir(), 'auditty-local-'));
  usersFile = path.join(dir, 'users.json');
  const users: Record<string, { password: string; roles: string[] }> = {};
  const hashes = await Promise.all(
    Array.from({ length: USERS }, (_, i) => hashPassword(passwordOf(i), FAST)),
  );
  hashes.forEach((password, i) => (users[name(i)] = { password, roles: [] }));
  await writeUsersFile(usersFile, { users });
  burnHash = await hashPassword('no-such-user', FAST);
});

afterAll(() => rm(dir, { recursive: true, force: true }));

/** Counts the checks that reach scrypt; while `hold` is pending they wait before hashing. */
function counting(hold?: Promise<void>) {
  const stats = { verified: 0, burned: 0, active: 0, maxActive: 0, finished: 0 };
  const wrap =
    <R>(key: 'verified' | 'burned', check: (password: string, stored: string) => Promise<R>) =>
    async (password: string, stored: string): Promise<R> => {
      stats[key] += 1;
      stats.active += 1;
      stats.maxActive = Math.max(stats.maxActive, stats.active);
      try {
        await hold;
        return await check(password, stored);
      } finally {
        stats.active -= 1;
        stats.finished += 1;
      }
    };
  const verify = wrap('verified', verifyPassword);
  const burn = wrap('burned', async (password) => {
    await verifyPassword(password, burnHash);
    return false as const;
  });
  return { stats, verify, burn: (password: string) => burn(password, '') };
}

function deps(counter: ReturnType<typeof counting>, over: Partial<SignInDeps> = {}): SignInDeps {
  return {
    users: new Throttle(USER_RULE),
    addresses: new Throttle(ADDRESS_RULE),
    hashing: new Gate(HASHING_CONCURRENCY, HASHING_QUEUE),
    verify: counter.verify,
    burn: counter.burn,
    ...over,
  };
}

function tally(results: LocalSignIn[]) {
  const counts = { ok: 0, credentials: 0, throttled: 0, busy: 0 };
  for (const r of results) counts[r.ok ? 'ok' : r.reason] += 1;
  return counts;
}

describe('checkLocalSignIn under concurrent attempts', () => {
  it('verifies at most USER_RULE.limit of 40 concurrent guesses for one user', async () => {
    const counter = counting();
    const d = deps(counter);
    const finishedWhenThrottled: number[] = [];
    const results = await Promise.all(
      Array.from({ length: 40 }, (_, i) =>
        checkLocalSignIn(usersFile, name(0), `wrong-${i}`, `10.0.0.${i}`, d).then((r) => {
          if (!r.ok && r.reason === 'throttled') finishedWhenThrottled.push(counter.stats.finished);
          return r;
        }),
      ),
    );
    expect(tally(results)).toEqual({ ok: 0, credentials: 5, throttled: 35, busy: 0 });
    expect(counter.stats.verified).toBe(USER_RULE.limit);
    expect(counter.stats.maxActive).toBeLessThanOrEqual(HASHING_CONCURRENCY);
    // Refused without waiting for any check.
    expect(finishedWhenThrottled).toEqual(Array(35).fill(0));
    // The five stay as failures, even with the right password now.
    const after = await checkLocalSignIn(usersFile, name(0), passwordOf(0), '10.1.0.1', d);
    expect(after).toMatchObject({ ok: false, reason: 'throttled' });
    expect(counter.stats.verified).toBe(USER_RULE.limit);
  });

  it('verifies at most ADDRESS_RULE.limit of concurrent guesses for many users from one address', async () => {
    const counter = counting();
    // A wide gate, so that only the address rule limits.
    const d = deps(counter, { hashing: new Gate(USERS, 0) });
    const results = await Promise.all(
      Array.from({ length: USERS }, (_, i) =>
        checkLocalSignIn(usersFile, name(i), 'wrong-password', '192.0.2.7', d),
      ),
    );
    expect(tally(results)).toEqual({ ok: 0, credentials: 20, throttled: 20, busy: 0 });
    expect(counter.stats.verified).toBe(ADDRESS_RULE.limit);
    expect(d.addresses.retryAfterMs('192.0.2.7')).toBeGreaterThan(0);
  });

  it('hashes at most HASHING_CONCURRENCY at once, queues HASHING_QUEUE, refuses the rest at once', async () => {
    let open = () => {};
    const counter = counting(new Promise<void>((resolve) => (open = resolve)));
    // Strict throttles: a counted attempt is visible as a wait.
    const d = deps(counter, { users: new Throttle(STRICT), addresses: new Throttle(STRICT) });
    const admitted = HASHING_CONCURRENCY + HASHING_QUEUE;
    const excess = 5;
    const answered: { i: number; result: LocalSignIn }[] = [];
    const all = Array.from({ length: admitted + excess }, (_, i) =>
      checkLocalSignIn(usersFile, name(i), 'wrong-password', `198.51.100.${i}`, d).then(
        (result) => {
          answered.push({ i, result });
          return result;
        },
      ),
    );
    // While no check can finish, the excess is already answered.
    await vi.waitFor(() => expect(answered).toHaveLength(excess));
    expect(counter.stats).toMatchObject({ verified: HASHING_CONCURRENCY, finished: 0 });
    for (const { result } of answered)
      expect(result).toEqual({ ok: false, reason: 'busy', retryAfterMs: BUSY_RETRY_MS });
    const busy = new Set(answered.map((a) => a.i));
    open();
    const results = await Promise.all(all);
    expect(tally(results)).toEqual({ ok: 0, credentials: admitted, throttled: 0, busy: excess });
    expect(counter.stats.verified).toBe(admitted);
    expect(counter.stats.maxActive).toBe(HASHING_CONCURRENCY);
    // Refused as busy: nothing was checked, so nothing counts.
    results.forEach((_, i) => {
      const expected = busy.has(i) ? 0 : 1;
      expect(Math.sign(d.users.retryAfterMs(name(i))), name(i)).toBe(expected);
      expect(Math.sign(d.addresses.retryAfterMs(`198.51.100.${i}`))).toBe(expected);
    });
    // And the gate is free again.
    const again = await checkLocalSignIn(usersFile, name([...busy][0] ?? 0), 'x', '203.0.113.1', d);
    expect(again).toEqual({ ok: false, reason: 'credentials' });
  });

  it('signs in with the right password on the last slot, and clears that user', async () => {
    const counter = counting();
    const addresses = new Throttle({ limit: 5, windowMs: 15 * 60_000 });
    const d = deps(counter, { addresses });
    const user = name(1);
    for (let i = 0; i < 4; i++) {
      const r = await checkLocalSignIn(usersFile, user, `wrong-${i}`, '192.0.2.1', d);
      expect(r).toEqual({ ok: false, reason: 'credentials' });
    }
    // The right password takes the fifth slot; a guess beside it finds none.
    const [right, beside] = await Promise.all([
      checkLocalSignIn(usersFile, user, passwordOf(1), '192.0.2.1', d),
      checkLocalSignIn(usersFile, user, 'wrong-beside', '192.0.2.2', d),
    ]);
    expect(right.ok).toBe(true);
    expect(beside).toMatchObject({ ok: false, reason: 'throttled' });
    expect(d.users.retryAfterMs(user)).toBe(0);
    // The success does not count against the address (4 failures, limit 5).
    expect(addresses.retryAfterMs('192.0.2.1')).toBe(0);
    // Cleared: five new guesses are checked again.
    const later = await Promise.all(
      Array.from({ length: 6 }, (_, i) =>
        checkLocalSignIn(usersFile, user, `later-${i}`, `192.0.2.${10 + i}`, d),
      ),
    );
    expect(tally(later)).toEqual({ ok: 0, credentials: 5, throttled: 1, busy: 0 });
    expect(counter.stats.verified).toBe(4 + 1 + 5);
  });

  it('treats a name that does not exist like one that does', async () => {
    const counter = counting();
    const d = deps(counter);
    const results = await Promise.all(
      Array.from({ length: 10 }, (_, i) =>
        checkLocalSignIn(usersFile, 'nobody', `guess-${i}`, `10.2.0.${i}`, d),
      ),
    );
    expect(tally(results)).toEqual({ ok: 0, credentials: 5, throttled: 5, busy: 0 });
    expect(counter.stats).toMatchObject({ verified: 0, burned: 5 });
    expect(counter.stats.maxActive).toBeLessThanOrEqual(HASHING_CONCURRENCY);
  });

  it('does not count an attempt that failed before any check', async () => {
    const counter = counting();
    const d = deps(counter, { users: new Throttle(STRICT), addresses: new Throttle(STRICT) });
    // A directory: the users file cannot be read.
    await expect(checkLocalSignIn(dir, name(2), 'x', '10.3.0.1', d)).rejects.toThrow();
    expect(d.users.retryAfterMs(name(2))).toBe(0);
    expect(d.addresses.retryAfterMs('10.3.0.1')).toBe(0);
    expect(counter.stats.verified).toBe(0);
  });

  it('shares one cap and one pair of throttles per process by default', async () => {
    const shared = processSignInDeps();
    expect(processSignInDeps()).toBe(shared);
    expect(shared.hashing).toMatchObject({
      concurrency: HASHING_CONCURRENCY,
      queue: HASHING_QUEUE,
    });
    const results = await Promise.all(
      Array.from({ length: 40 }, (_, i) =>
        checkLocalSignIn(usersFile, name(39), `wrong-${i}`, `10.4.0.${i}`),
      ),
    );
    expect(tally(results)).toEqual({ ok: 0, credentials: 5, throttled: 35, busy: 0 });
  });
});
