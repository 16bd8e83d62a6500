import { describe, expect, it, vi } from 'vitest';
import { OIDC_COOKIE, oidcCookieName, SECURE_OIDC_COOKIE } from '@/lib/auth/oidc';
import {
  cookieOptions,
  openSession,
  seal,
  sealSession,
  SECURE_SESSION_COOKIE,
  SESSION_COOKIE,
  sessionCookieName,
  unseal,
} from '@/lib/auth/session';

const SECRET = 'a-test-secret-that-is-long-enough-0123456789';
const OIDC_ID = 'oidc:https://sso.example.com/realms/ops#f1e2d3';

describe('sealed cookies', () => {
  it('round-trip a session, with its identity key, issue time in ms and when groups were read', async () => {
    const issued = Date.now() - 1234;
    const token = await sealSession(
      { id: OIDC_ID, name: 'alice', via: 'oidc', groups: ['sec-dba'] },
      SECRET,
      3600,
      issued,
    );
    const session = await openSession(token, SECRET);
    expect(session).toMatchObject({
      id: OIDC_ID,
      name: 'alice',
      via: 'oidc',
      groups: ['sec-dba'],
      issuedMs: issued,
      groupsAt: issued,
    });
    expect(session!.exp).toBeGreaterThan(Date.now() / 1000 + 3500);
  });

  it('key local accounts as local:<name>, never with groups', async () => {
    const token = await sealSession(
      { name: 'alice', via: 'local', groups: ['sec-admin'], stamp: 'abc' },
      SECRET,
      60,
    );
    const session = await openSession(token, SECRET);
    expect(session).toMatchObject({ id: 'local:alice', name: 'alice', groups: [], stamp: 'abc' });
    expect(session!.groupsAt).toBeUndefined();
  });

  it('refuse sessions without an identity key or issue time (sealed before they existed)', async () => {
    const old = await seal({ name: 'alice', via: 'local', groups: [] }, SECRET, 'session', 60);
    expect(await openSession(old, SECRET)).toBeNull();
    const mixed = await seal(
      { id: 'local:bob', name: 'alice', via: 'local', groups: [], issuedMs: Date.now() },
      SECRET,
      'session',
      60,
    );
    expect(await openSession(mixed, SECRET)).toBeNull();
    const noGroupsTime = await seal(
      { id: OIDC_ID, name: 'alice', via: 'oidc', groups: [], issuedMs: Date.now() },
      SECRET,
      'session',
      60,
    );
    expect(await openSession(noGroupsTime, SECRET)).toBeNull();
  });

  it('hide their content from the browser', async () => {
    const token = await sealSession(
      { name: 'alice', via: 'local', groups: [], stamp: 'abc' },
      SECRET,
      60,
    );
    expect(token.split('.')).toHaveLength(5);
    const body = token
      .split('.')
      .map((p) => Buffer.from(p, 'base64url').toString('latin1'))
      .join('');
    expect(body).not.toContain('alice');
  });

  it('refuse a tampered, truncated or foreign token', async () => {
    const token = await sealSession({ name: 'alice', via: 'local', groups: [] }, SECRET, 60);
    const parts = token.split('.');
    const flipped = parts[3]!.slice(0, -2) + (parts[3]!.endsWith('A') ? 'BB' : 'AA');
    expect(
      await openSession([...parts.slice(0, 3), flipped, parts[4]].join('.'), SECRET),
    ).toBeNull();
    expect(await openSession(token.slice(0, -5), SECRET)).toBeNull();
    expect(await openSession(token, `${SECRET}-other`)).toBeNull();
    expect(await openSession('', SECRET)).toBeNull();
    expect(await openSession(undefined, SECRET)).toBeNull();
    expect(await openSession('x'.repeat(10_000), SECRET)).toBeNull();
  });

  it('refuse an expired token', async () => {
    const token = await sealSession({ name: 'alice', via: 'local', groups: [] }, SECRET, 60);
    vi.useFakeTimers({ now: Date.now() + 61_000 });
    try {
      expect(await openSession(token, SECRET)).toBeNull();
    } finally {
      vi.useRealTimers();
    }
  });

  it('keep purposes apart: a sign-in transaction is not a session', async () => {
    const tx = await seal(
      { name: 'alice', via: 'local', groups: [] },
      SECRET,
      'oidc-transaction',
      60,
    );
    expect(await openSession(tx, SECRET)).toBeNull();
    expect(await unseal(tx, SECRET, 'oidc-transaction')).toMatchObject({ name: 'alice' });
  });

  it('refuse a session payload of the wrong shape', async () => {
    const odd = await seal({ name: 42, via: 'root' }, SECRET, 'session', 60);
    expect(await openSession(odd, SECRET)).toBeNull();
  });

  it('are named __Host- (session) and __Secure- (OIDC transaction) behind HTTPS, plainly over http', () => {
    expect(sessionCookieName(true)).toBe('__Host-auditty_session');
    expect(SECURE_SESSION_COOKIE).toBe('__Host-auditty_session');
    expect(sessionCookieName(false)).toBe(SESSION_COOKIE);
    expect(SESSION_COOKIE).toBe('auditty_session');
    // __Host- needs Secure, Path=/ and no Domain: what the options give behind HTTPS.
    const options = cookieOptions(true, 60);
    expect(options).toMatchObject({ secure: true, path: '/' });
    expect(options).not.toHaveProperty('domain');
    // The transaction cookie keeps its narrow path, so it can only be __Secure-.
    expect(oidcCookieName(true)).toBe('__Secure-auditty_oidc');
    expect(SECURE_OIDC_COOKIE).toBe('__Secure-auditty_oidc');
    expect(oidcCookieName(false)).toBe(OIDC_COOKIE);
  });

  it('are HttpOnly, SameSite=Lax, Secure only behind HTTPS', () => {
    expect(cookieOptions(true, 100)).toEqual({
      httpOnly: true,
      sameSite: 'lax',
      secure: true,
      path: '/',
      maxAge: 100,
    });
    expect(cookieOptions(false, 100).secure).toBe(false);
  });
});
