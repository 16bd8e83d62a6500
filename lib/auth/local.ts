import 'server-only';
import { z } from 'zod';
import { burnPasswordCheck, PASSWORD_MAX, verifyPassword } from './password';
import { ADDRESS_RULE, Throttle, USER_RULE } from './throttle';
import { currentUsers, findAccount, type Account } from './users-file';

// Local account sign-in: one answer for a wrong name or a wrong password,
// and repeated failures slowed down per user name and per client address.

export const signInFormSchema = z.object({
  username: z.string().trim().min(1).max(256),
  password: z.string().min(1).max(PASSWORD_MAX),
});

interface Throttles {
  users: Throttle;
  addresses: Throttle;
}

// One pair per process, wherever the route's bundle puts this module.
const globalStore = globalThis as typeof globalThis & { __audittySignInThrottles?: Throttles };
export function throttles(): Throttles {
  globalStore.__audittySignInThrottles ??= {
    users: new Throttle(USER_RULE),
    addresses: new Throttle(ADDRESS_RULE),
  };
  return globalStore.__audittySignInThrottles;
}

export type LocalSignIn =
  | { ok: true; account: Account }
  | { ok: false; reason: 'credentials' }
  | { ok: false; reason: 'throttled'; retryAfterMs: number };

export async function checkLocalSignIn(
  usersFile: string,
  username: string,
  password: string,
  address: string,
): Promise<LocalSignIn> {
  const { users, addresses } = throttles();
  const userKey = username.toLowerCase();
  const wait = Math.max(users.retryAfterMs(userKey), addresses.retryAfterMs(address));
  if (wait > 0) return { ok: false, reason: 'throttled', retryAfterMs: wait };
  const account = findAccount(await currentUsers(usersFile), username);
  const ok = account
    ? await verifyPassword(password, account.password)
    : await burnPasswordCheck(password);
  if (!ok || !account) {
    users.fail(userKey);
    addresses.fail(address);
    return { ok: false, reason: 'credentials' };
  }
  users.reset(userKey);
  return { ok: true, account };
}
