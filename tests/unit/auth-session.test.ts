import { describe, expect, it, vi } from 'vitest';
import { cookieOptions, openSession, seal, sealSession, unseal } from '@/lib/auth/session';

const SECRET = 'a-test-secret-that-is-long-enough-0123456789';

describe('sealed cookies', () => {
  it('round-trip a session', async () => {
    const token = await sealSession(
      { name: 'alice', via: 'oidc', groups: ['sec-dba'] },
      SECRET,
      3600,
    );
    const session = await openSession(token, SECRET);
    expect(session).toMatchObject({ name: 'alice', via: 'oidc', groups: ['sec-dba'] });
    expect(session!.exp).toBeGreaterThan(Date.now() / 1000 + 3500);
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
