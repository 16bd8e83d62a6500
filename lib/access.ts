import 'server-only';
import { createHash } from 'node:crypto';
import { cookies, headers } from 'next/headers';
import { redirect } from 'next/navigation';
import { cache } from 'react';
import { accessSettings, currentPolicy } from '@/lib/auth/config';
import { rolesFor } from '@/lib/auth/policy';
import { signInPath } from '@/lib/auth/redirect';
import { HEADER } from '@/lib/auth/request';
import { mergeScopes } from '@/lib/auth/scope-merge';
import { openSession, SESSION_COOKIE, type Session } from '@/lib/auth/session';
import { currentUsers, findAccount } from '@/lib/auth/users-file';
import { AppError } from '@/lib/errors';
import { OPEN_SCOPE, type Scope } from '@/lib/sources/types';

// Who is asking, and what they may see. Every RecordingSource call takes
// callerScope(); the sources apply it inside their queries.

export interface Caller {
  /** null under open access. */
  name: string | null;
  via: 'local' | 'oidc' | 'open';
  roles: string[];
  /** Sees everyone's audit events (open access counts as admin: there is no one else). */
  admin: boolean;
  scope: Scope;
  /** Set when roles could not be combined, so the scope is empty. */
  notice?: string;
}

const OPEN_CALLER: Caller = { name: null, via: 'open', roles: [], admin: true, scope: OPEN_SCOPE };
const NOTHING: Scope = { hosts: [], users: [] };

/** A fingerprint of a stored password hash: changing the password ends older sessions. */
export function passwordStamp(hash: string): string {
  return createHash('sha256').update(hash).digest('base64url').slice(0, 16);
}

/**
 * The caller a session stands for, checked against the users file and the
 * policy as they are now: a removed account or role takes effect at once.
 */
export async function callerFor(session: Session): Promise<Caller | null> {
  const settings = accessSettings();
  let accountRoles: string[] = [];
  if (session.via === 'local') {
    if (!settings.usersFile) return null;
    const account = findAccount(await currentUsers(settings.usersFile), session.name);
    if (!account || session.stamp !== passwordStamp(account.password)) return null;
    accountRoles = account.roles;
  } else if (!settings.oidc) {
    return null;
  }
  const policy = await currentPolicy();
  const roles = rolesFor(policy, { name: session.name, groups: session.groups, accountRoles });
  const merged = mergeScopes(
    roles.flatMap((name) => {
      const role = policy.roles[name];
      return role ? [{ name, scope: { hosts: role.hosts, users: role.users } }] : [];
    }),
  );
  if (!merged.ok) console.warn(`access: ${session.name} sees nothing: ${merged.reason}`);
  return {
    name: session.name,
    via: session.via,
    roles,
    admin: roles.some((name) => policy.roles[name]?.admin === true),
    scope: merged.ok ? merged.scope : NOTHING,
    ...(merged.ok ? {} : { notice: merged.reason }),
  };
}

/** The signed-in caller (or the open-access one), null when nobody is signed in. */
export const currentCaller = cache(async (): Promise<Caller | null> => {
  const settings = accessSettings();
  if (!settings.signIn) return OPEN_CALLER;
  const session = await openSession((await cookies()).get(SESSION_COOKIE)?.value, settings.secret);
  return session ? callerFor(session) : null;
});

/** API calls get 401; pages go to the sign-in page, which brings the caller back. */
export async function signInRequired(): Promise<never> {
  const url = (await headers()).get(HEADER.url) ?? '/';
  if (url.startsWith('/api/')) throw new AppError('unauthorized', 'Sign in first');
  redirect(signInPath(url));
}

export async function requireCaller(): Promise<Caller> {
  return (await currentCaller()) ?? signInRequired();
}

/** The scope of the caller, applied by the sources inside every query. */
export async function callerScope(): Promise<Scope> {
  return (await requireCaller()).scope;
}

/**
 * Whether the caller may see what the source holds beyond their own
 * recordings (counts and index names in health details and empty-list
 * hints): only with the all-hosts, all-users scope.
 */
export async function maySeeSourceDetail(): Promise<boolean> {
  const caller = await currentCaller();
  return caller !== null && caller.scope.hosts.includes('*') && caller.scope.users.includes('*');
}
