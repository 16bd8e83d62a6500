import 'server-only';
import { z } from 'zod';
import { burnPasswordCheck, PASSWORD_MAX, verifyPassword } from './password';
import { ADDRESS_RULE, Gate, Throttle, USER_RULE } from './throttle';
import { currentUsers, findAccount, type Account } from './users-file';

// Local account sign-in: one answer for a wrong name or a wrong password,
// and repeated failures slowed down per user name and per client address.

export const signInFormSchema = z.object({
  username: z.string().trim().min(1).max(256),
  password: z.string().min(1).max(PASSWORD_MAX),
});

/**
 * Password checks running at once, for all users and addresses. One scrypt
 * check at the default cost holds a core and 128 MiB for ~0.4 s, on libuv's
 * pool of 4 threads that file reads and audit appends share: two at once
 * leave a core (on the 2-core hosts auditty is sized for) and two pool
 * threads to everything else, and bound the memory at 256 MiB.
 */
export const HASHING_CONCURRENCY = 2;
/** Checks that may wait for a place: a burst of honest sign-ins waits ~1 s at most. */
export const HASHING_QUEUE = 4;
/** What a refused check is told to wait: about the time the queue takes to drain. */
export const BUSY_RETRY_MS = 1_000;

export interface SignInDeps {
  users: Throttle;
  addresses: Throttle;
  hashing: Gate;
  verify: (password: string, stored: string) => Promise<boolean>;
  burn: (password: string) => Promise<false>;
}

// One set per process, wherever the route's bundle puts this module: the
// throttles and the cap on hashing hold only if every copy shares them.
const globalStore = globalThis as typeof globalThis & { __audittySignIn?: SignInDeps };
export function processSignInDeps(): SignInDeps {
  globalStore.__audittySignIn ??= {
    users: new Throttle(USER_RULE),
    addresses: new Throttle(ADDRESS_RULE),
    hashing: new Gate(HASHING_CONCURRENCY, HASHING_QUEUE),
    verify: verifyPassword,
    burn: burnPasswordCheck,
  };
  return globalStore.__audittySignIn;
}

export type LocalSignIn =
  | { ok: true; account: Account }
  | { ok: false; reason: 'credentials' }
  | { ok: false; reason: 'throttled' | 'busy'; retryAfterMs: number };

export async function checkLocalSignIn(
  usersFile: string,
  username: string,
  password: string,
  address: string,
  deps: SignInDeps = processSignInDeps(),
): Promise<LocalSignIn> {
  const { users, addresses, hashing } = deps;
  const userKey = username.toLowerCase();
  const wait = Math.max(users.retryAfterMs(userKey), addresses.retryAfterMs(address));
  if (wait > 0) return { ok: false, reason: 'throttled', retryAfterMs: wait };
  // Counted before the check, with no await since the test above, so that
  // concurrent guesses see each other.
  const attempts = [users.reserve(userKey), addresses.reserve(address)];
  let settled = false;
  const settle = (failed: boolean) => {
    settled = true;
    for (const attempt of attempts) {
      if (failed) attempt.failed();
      else attempt.withdraw();
    }
  };
  try {
    const account = findAccount(await currentUsers(usersFile), username);
    // A name that does not exist takes the same way, queue included.
    const checked = hashing.run(() =>
      account ? deps.verify(password, account.password) : deps.burn(password),
    );
    if (!checked) {
      // Nothing was checked, so nothing counts against the user.
      settle(false);
      return { ok: false, reason: 'busy', retryAfterMs: BUSY_RETRY_MS };
    }
    const ok = await checked;
    if (!ok || !account) {
      settle(true);
      return { ok: false, reason: 'credentials' };
    }
    settle(false);
    users.reset(userKey);
    return { ok: true, account };
  } finally {
    // An error (an unreadable users file): no answer about the password was given.
    if (!settled) settle(false);
  }
}
