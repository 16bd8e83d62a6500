import 'server-only';
import { createHash } from 'node:crypto';
import { cookies, headers } from 'next/headers';
import { redirect } from 'next/navigation';
import { cache } from 'react';
import { accessSettings, currentPolicy } from '@/lib/auth/config';
import { parseIdentity, sameIssuer } from '@/lib/auth/identity';
import { rolesFor } from '@/lib/auth/policy';
import { signInPath } from '@/lib/auth/redirect';
import { HEADER, isSecure } from '@/lib/auth/request';
import { revocationStore, type RevocationStore } from '@/lib/auth/revocation';
import { mergeScopes } from '@/lib/auth/scope-merge';
import { openSession, sessionCookieName, type SessionClaims } from '@/lib/auth/session';
import { currentUsers, findAccount } from '@/lib/auth/users-file';
import { AppError } from '@/lib/errors';
import { OPEN_SCOPE, type Scope } from '@/lib/sources/types';

// Who is asking, and what they may see. Every RecordingSource call takes
// callerScope(); the sources apply it inside their queries.

export interface Caller {
  /** The identity key (lib/auth/identity.ts): what "their own events" go by. null under open access. */
  id: string | null;
  /** Who they are shown as. null under open access. */
  name: string | null;
  via: 'local' | 'oidc' | 'open';
  roles: string[];
  /** Sees everyone's audit events (open access counts as admin: there is no one else). */
  admin: boolean;
  scope: Scope;
  /** Set when roles could not be combined, so the scope is empty. */
  notice?: string;
}

const OPEN_CALLER: Caller = {
  id: null,
  name: null,
  via: 'open',
  roles: [],
  admin: true,
  scope: OPEN_SCOPE,
};
const NOTHING: Scope = { hosts: [], users: [] };

/** A fingerprint of a stored password hash: changing the password ends older sessions. */
export function passwordStamp(hash: string): string {
  return createHash('sha256').update(hash).digest('base64url').slice(0, 16);
}

/**
 * Why a session that decrypts no longer counts: `code` for the sign-in
 * page (/signin?error=), `reason` for the audit trail, `message` for API
 * callers (which does not say what changed about the account).
 */
export interface SessionRefusal {
  code: 'ended' | 'revoked' | 'stale';
  reason: string;
  message: string;
}
export type SessionCheck = { ok: true; caller: Caller } | { ok: false; refusal: SessionRefusal };

const ended = (why: string): SessionRefusal => ({
  code: 'ended',
  reason: `session refused: ${why}`,
  message: 'Your session no longer counts; sign in again',
});

/**
 * The caller a session stands for, checked against the users file and the
 * policy as they are now (a removed account or role takes effect at once),
 * or why it no longer counts.
 */
async function resolve(session: SessionClaims): Promise<Caller | SessionRefusal> {
  const settings = accessSettings();
  let who: Parameters<typeof rolesFor>[1];
  if (session.via === 'local') {
    if (!settings.usersFile) return ended('local accounts are no longer configured');
    const account = findAccount(await currentUsers(settings.usersFile), session.name);
    if (!account) return ended('the local account no longer exists');
    if (session.stamp !== passwordStamp(account.password))
      return ended('the password changed since sign-in');
    who = { via: 'local', name: session.name, accountRoles: account.roles };
  } else {
    if (!settings.oidc) return ended('sign-in with OpenID Connect is no longer configured');
    const identity = parseIdentity(session.id);
    if (identity?.kind !== 'oidc' || !sameIssuer(identity.issuer, settings.oidc.issuer.href))
      return ended('it was issued by another OpenID provider');
    who = { via: 'oidc', name: session.name, groups: session.groups };
  }
  const policy = await currentPolicy();
  const roles = rolesFor(policy, who);
  const merged = mergeScopes(
    roles.flatMap((name) => {
      const role = policy.roles[name];
      return role ? [{ name, scope: { hosts: role.hosts, users: role.users } }] : [];
    }),
  );
  if (!merged.ok) console.warn(`access: ${session.name} sees nothing: ${merged.reason}`);
  return {
    id: session.id,
    name: session.name,
    via: session.via,
    roles,
    admin: roles.some((name) => policy.roles[name]?.admin === true),
    scope: merged.ok ? merged.scope : NOTHING,
    ...(merged.ok ? {} : { notice: merged.reason }),
  };
}

/** The caller of a new session (sign-in: roles for its event), or null when it would not count. */
export async function callerFor(session: SessionClaims): Promise<Caller | null> {
  const resolved = await resolve(session);
  return 'code' in resolved ? null : resolved;
}

/**
 * Whether a session still counts, and for whom: not older than
 * AUTH_SESSION_HOURS (now, not when it was sealed), OpenID Connect groups
 * read at most AUTH_GROUPS_MAX_AGE_MINUTES ago, the account as it is now,
 * and issued after its identity's latest sign-out or revocation
 * (lib/auth/revocation.ts). Throws AppError('audit_unavailable') when the
 * revocations cannot be read: nothing is served then (fail closed).
 */
export async function checkSession(
  session: SessionClaims,
  store: RevocationStore | null = revocationStore(),
  now: number = Date.now(),
): Promise<SessionCheck> {
  const settings = accessSettings();
  const no = (refusal: SessionRefusal): SessionCheck => ({ ok: false, refusal });
  if (now - session.issuedMs > settings.sessionSeconds * 1000)
    return no(ended('it is older than AUTH_SESSION_HOURS'));
  if (session.via === 'oidc' && now - (session.groupsAt ?? 0) > settings.groupsMaxAgeMs) {
    const minutes = Math.round(settings.groupsMaxAgeMs / 60_000);
    return no({
      code: 'stale',
      reason: `session refused: its groups were read more than ${minutes} minutes ago (AUTH_GROUPS_MAX_AGE_MINUTES)`,
      message: `Your groups were read from the provider more than ${minutes} minutes ago; sign in again so that your roles are current`,
    });
  }
  const resolved = await resolve(session);
  if ('code' in resolved) return no(resolved);
  let notBefore: number;
  try {
    if (!store) throw new Error('no audit trail to read revocations from');
    notBefore = await store.notBefore(session.id);
  } catch (err) {
    console.error('access: cannot read revocations:', err);
    throw new AppError(
      'audit_unavailable',
      'Sessions cannot be checked right now (the audit trail cannot be read), so nothing is served',
      { cause: err },
    );
  }
  if (session.issuedMs < notBefore) {
    return no({
      code: 'revoked',
      reason: `session refused: signed out or revoked at ${new Date(notBefore).toISOString()}`,
      message:
        'Your session was ended by a sign-out (here or elsewhere) or by an admin; sign in again',
    });
  }
  return { ok: true, caller: resolved };
}

/**
 * The signed-in caller (or the open-access one), null when nobody is signed
 * in. The cookie is read under the one name that fits the request's scheme
 * (lib/auth/session.ts). A session that no longer counts was refused, and
 * recorded, by proxy.ts already: here it is only null.
 */
export const currentCaller = cache(async (): Promise<Caller | null> => {
  const settings = accessSettings();
  if (!settings.signIn) return OPEN_CALLER;
  const name = sessionCookieName(isSecure(await headers(), settings.publicUrl));
  const session = await openSession((await cookies()).get(name)?.value, settings.secret);
  if (!session) return null;
  const check = await checkSession(session);
  return check.ok ? check.caller : null;
});

/**
 * A check of the current request's session that can be repeated after the
 * request has been answered (a live stream re-checks it on every poll): the
 * caller's scope as it is then, or null once the session no longer counts
 * (expired, signed out, revoked, account or roles changed). A failure to
 * read the revocations counts as null too: fail closed.
 */
export async function sessionRecheck(): Promise<() => Promise<Scope | null>> {
  const settings = accessSettings();
  if (!settings.signIn) return async () => OPEN_SCOPE;
  const name = sessionCookieName(isSecure(await headers(), settings.publicUrl));
  const token = (await cookies()).get(name)?.value;
  return async () => {
    const session = await openSession(token, settings.secret);
    if (!session) return null;
    const check = await checkSession(session).catch(() => null);
    return check?.ok ? check.caller.scope : null;
  };
}

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
 * Whether a caller may see what the source is and holds beyond their own
 * recordings (its directory or index names, counts: health details and
 * empty-list hints): admins only, as for health details. Open access counts
 * as admin. A role that sees every host and user is not enough: where the
 * recordings live is not a recording.
 */
export function seesSourceDetail(caller: Caller | null): boolean {
  return caller?.admin === true;
}

export async function maySeeSourceDetail(): Promise<boolean> {
  return seesSourceDetail(await currentCaller());
}
