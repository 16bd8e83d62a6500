import { hkdfSync } from 'node:crypto';
import { EncryptJWT, jwtDecrypt } from 'jose';
import { z } from 'zod';
import { localIdentity, MAX_IDENTITY } from './identity';

// Sealed cookies: JWE (dir, A256GCM), so the browser can neither read nor
// change them. Each purpose has its own key derived from AUTH_SECRET and its
// own audience, so a sign-in transaction cookie can never pass for a session.

export type SealPurpose = 'session' | 'oidc-transaction';

const keys = new Map<string, Uint8Array>();

function keyFor(secret: string, purpose: SealPurpose): Uint8Array {
  const id = `${purpose}\u0000${secret}`;
  let key = keys.get(id);
  if (!key) {
    key = new Uint8Array(hkdfSync('sha256', secret, 'auditty', `auditty ${purpose} v1`, 32));
    keys.set(id, key);
  }
  return key;
}

export async function seal(
  payload: Record<string, unknown>,
  secret: string,
  purpose: SealPurpose,
  ttlSeconds: number,
  nowMs: number = Date.now(),
): Promise<string> {
  const now = Math.floor(nowMs / 1000);
  return new EncryptJWT(payload)
    .setProtectedHeader({ alg: 'dir', enc: 'A256GCM' })
    .setAudience(`auditty:${purpose}`)
    .setIssuedAt(now)
    .setExpirationTime(now + Math.round(ttlSeconds))
    .encrypt(keyFor(secret, purpose));
}

/** The payload, or null for anything tampered with, expired, or sealed for another purpose. */
export async function unseal(
  token: string | undefined,
  secret: string,
  purpose: SealPurpose,
): Promise<Record<string, unknown> | null> {
  if (!token || token.length > 8192) return null;
  try {
    const { payload } = await jwtDecrypt(token, keyFor(secret, purpose), {
      audience: `auditty:${purpose}`,
      keyManagementAlgorithms: ['dir'],
      contentEncryptionAlgorithms: ['A256GCM'],
    });
    return payload;
  } catch {
    return null;
  }
}

/** Over plain http (loopback tests): browsers refuse `__Host-` cookies there. */
export const SESSION_COOKIE = 'auditty_session';
/**
 * Behind HTTPS: a `__Host-` cookie is taken by the browser only if Secure,
 * with Path=/ and no Domain, from a secure page, so neither a sibling
 * subdomain nor a plain-http response (an active network attacker) can set
 * one in its place (cookie tossing, session fixation).
 */
export const SECURE_SESSION_COOKIE = '__Host-auditty_session';

/** The session cookie's name for a request's scheme: the only name read, and the one set. */
export const sessionCookieName = (secure: boolean): string =>
  secure ? SECURE_SESSION_COOKIE : SESSION_COOKIE;

const sessionSchema = z
  .object({
    /** The identity key (identity.ts): what revocations and "your own events" go by. */
    id: z.string().min(1).max(MAX_IDENTITY),
    /** Who they are shown as: the account name, or the provider's AUTH_USERNAME_CLAIM. */
    name: z.string().min(1).max(256),
    via: z.enum(['local', 'oidc']),
    /** Provider groups (OIDC); local accounts take roles from the users file on each request. */
    groups: z.array(z.string().max(256)).max(500),
    /** OIDC: when the groups were read (ms); past AUTH_GROUPS_MAX_AGE_MINUTES the session no longer counts. */
    groupsAt: z.number().int().nonnegative().optional(),
    /** Local accounts: fingerprint of the password hash at sign-in. */
    stamp: z.string().max(64).optional(),
    /** When it was issued, in ms: revocations ("not before" times) are compared in ms. */
    issuedMs: z.number().int().nonnegative(),
    exp: z.number(),
  })
  .refine((s) =>
    s.via === 'local'
      ? s.id === localIdentity(s.name) && s.groups.length === 0
      : s.id.startsWith('oidc:') && s.groupsAt !== undefined,
  );
export type Session = z.infer<typeof sessionSchema>;
/** A session's content, without the expiry that sealing adds. */
export type SessionClaims = Omit<Session, 'exp'>;

/** What a sign-in knows; the identity key of a local account is made from its name. */
export type NewSession =
  | { via: 'local'; name: string; groups?: string[]; stamp?: string }
  | { via: 'oidc'; id: string; name: string; groups: string[] };

/** The claims of a session issued at `nowMs` (its groups, if any, read then too). */
export function newSession(session: NewSession, nowMs: number = Date.now()): SessionClaims {
  if (session.via === 'local') {
    const { name, stamp } = session;
    return {
      id: localIdentity(name),
      name,
      via: 'local',
      groups: [],
      ...(stamp ? { stamp } : {}),
      issuedMs: nowMs,
    };
  }
  const { id, name, groups } = session;
  return { id, name, via: 'oidc', groups, groupsAt: nowMs, issuedMs: nowMs };
}

export function sealSession(
  session: NewSession,
  secret: string,
  ttlSeconds: number,
  nowMs: number = Date.now(),
): Promise<string> {
  return seal({ ...newSession(session, nowMs) }, secret, 'session', ttlSeconds, nowMs);
}

export async function openSession(
  token: string | undefined,
  secret: string,
): Promise<Session | null> {
  const payload = await unseal(token, secret, 'session');
  const parsed = sessionSchema.safeParse(payload);
  return parsed.success ? parsed.data : null;
}

/** Cookie attributes: HttpOnly, SameSite=Lax, Secure behind HTTPS; never a Domain (`__Host-`). */
export function cookieOptions(secure: boolean, maxAgeSeconds: number, path = '/') {
  return {
    httpOnly: true,
    sameSite: 'lax' as const,
    secure,
    path,
    maxAge: Math.round(maxAgeSeconds),
  };
}
