import { hkdfSync } from 'node:crypto';
import { EncryptJWT, jwtDecrypt } from 'jose';
import { z } from 'zod';

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
): Promise<string> {
  const now = Math.floor(Date.now() / 1000);
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

export const SESSION_COOKIE = 'auditty_session';

const sessionSchema = z.object({
  name: z.string().min(1).max(256),
  via: z.enum(['local', 'oidc']),
  /** Provider groups (OIDC); local accounts take roles from the users file on each request. */
  groups: z.array(z.string().max(256)).max(500),
  /** Local accounts: fingerprint of the password hash at sign-in. */
  stamp: z.string().max(64).optional(),
  exp: z.number(),
});
export type Session = z.infer<typeof sessionSchema>;

export function sealSession(
  session: Omit<Session, 'exp'>,
  secret: string,
  ttlSeconds: number,
): Promise<string> {
  const { name, via, groups, stamp } = session;
  return seal({ name, via, groups, ...(stamp ? { stamp } : {}) }, secret, 'session', ttlSeconds);
}

export async function openSession(
  token: string | undefined,
  secret: string,
): Promise<Session | null> {
  const payload = await unseal(token, secret, 'session');
  const parsed = sessionSchema.safeParse(payload);
  return parsed.success ? parsed.data : null;
}

/** Cookie attributes: HttpOnly, SameSite=Lax, Secure behind HTTPS. */
export function cookieOptions(secure: boolean, maxAgeSeconds: number, path = '/') {
  return {
    httpOnly: true,
    sameSite: 'lax' as const,
    secure,
    path,
    maxAge: Math.round(maxAgeSeconds),
  };
}
