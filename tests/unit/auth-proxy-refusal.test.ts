import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { NextRequest } from 'next/server';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { auditEventSchema, buildEvent, type AuditEvent } from '@/lib/audit/event';
import { FileAuditSink } from '@/lib/audit/file';
import { hashPassword } from '@/lib/auth/password';
import { sealSession } from '@/lib/auth/session';
import { writeUsersFile } from '@/lib/auth/users-file';

// proxy.ts, the first door, with a cookie that decrypts but no longer counts:
// refused with why (a 401 that says so, or the sign-in page with a code),
// one access-denied event per request, and the dead cookie dropped. Real
// sealed cookies, users file and audit file.

const SECRET = 'proxy-refusal-test-secret-0123456789abcdef';
const ISSUER = 'http://127.0.0.1:3998';
const saved = { ...process.env };
let dir: string;
let auditFile: string;
let stamp: string;

beforeAll(async () => {
  dir = await mkdtemp(path.join(tmpdir(), 'auditty-proxy-'));
  auditFile = path.join(dir, 'audit.jsonl');
  const usersFile = path.join(dir, 'users.json');
  const password = await hashPassword('carol-password', { ln: 10, r: 8, p: 1 });
  await writeUsersFile(usersFile, { users: { carol: { password, roles: ['admin'] } } });
  await writeFile(
    path.join(dir, 'policy.json'),
    JSON.stringify({ roles: { admin: { hosts: ['*'], users: ['*'], admin: true } } }),
  );
  Object.assign(process.env, {
    ES_URL: '',
    AUTH_SECRET: SECRET,
    AUTH_USERS_FILE: usersFile,
    AUTH_POLICY_FILE: path.join(dir, 'policy.json'),
    AUTH_ISSUER: ISSUER,
    AUTH_CLIENT_ID: 'auditty',
    AUTH_URL: '',
    AUDIT_LOG_FILE: auditFile,
  });
  stamp = (await import('@/lib/access')).passwordStamp(password);
});
afterAll(async () => {
  process.env = saved;
  await rm(dir, { recursive: true, force: true });
});

async function events(): Promise<AuditEvent[]> {
  const text = await readFile(auditFile, 'utf8').catch(() => '');
  return text
    .split('\n')
    .filter(Boolean)
    .map((line) => auditEventSchema.parse(JSON.parse(line)));
}
const denied = async () => (await events()).filter((e) => e.event.action === 'access-denied');

function request(url: string, cookie: string, headers: Record<string, string> = {}) {
  return new NextRequest(`http://127.0.0.1:3000${url}`, { headers: { cookie, ...headers } });
}

const passes = (response: Response) => response.headers.get('x-middleware-next') === '1';

describe('proxy.ts with a session that no longer counts', () => {
  it('answers an API call 401 saying why, records it once, and drops the cookie', async () => {
    const { proxy } = await import('@/proxy');
    const token = await sealSession(
      { via: 'local', name: 'carol', stamp },
      SECRET,
      3600,
      Date.now() - 10_000,
    );
    const cookie = `auditty_session=${token}`;
    expect(passes(await proxy(request('/api/recordings', cookie)))).toBe(true);
    // carol signs out in another browser (the sign-out route's event).
    await new FileAuditSink(auditFile).write(
      buildEvent({
        action: 'sign-out',
        outcome: 'success',
        user: { id: 'local:carol', name: 'carol', roles: ['admin'] },
        auth: 'local',
        address: '192.0.2.1',
        url: '/api/auth/signout',
      }),
    );
    const before = (await denied()).length;
    const response = await proxy(request('/api/recordings', cookie));
    expect(response.status).toBe(401);
    expect(await response.json()).toEqual({
      error: {
        code: 'unauthorized',
        message:
          'Your session was ended by a sign-out (here or elsewhere) or by an admin; sign in again',
      },
    });
    expect(response.headers.get('set-cookie')).toMatch(/^auditty_session=;.*Max-Age=0/i);
    const recorded = (await denied()).slice(before);
    expect(recorded).toHaveLength(1);
    expect(recorded[0]).toMatchObject({
      event: { outcome: 'failure', reason: expect.stringMatching(/^session refused: signed out/) },
      user: { id: 'local:carol', name: 'carol' },
    });
  });

  it('sends a page to the sign-in page with the reason: groups too old', async () => {
    const { proxy } = await import('@/proxy');
    const token = await sealSession(
      { via: 'oidc', id: `oidc:${ISSUER}#d-1`, name: 'dana', groups: [] },
      SECRET,
      8 * 3600,
      Date.now() - 61 * 60_000,
    );
    const before = (await denied()).length;
    const response = await proxy(request('/recordings/r1?t=0:05', `auditty_session=${token}`));
    expect(response.status).toBe(307);
    const location = new URL(response.headers.get('location') ?? '', 'http://x');
    expect(location.pathname).toBe('/signin');
    expect(location.searchParams.get('error')).toBe('stale');
    expect(location.searchParams.get('next')).toBe('/recordings/r1?t=0:05');
    const recorded = (await denied()).slice(before);
    expect(recorded.map((e) => e.event.reason)).toEqual([
      'session refused: its groups were read more than 60 minutes ago (AUTH_GROUPS_MAX_AGE_MINUTES)',
    ]);
    expect(recorded[0]?.user?.id).toBe(`oidc:${ISSUER}#d-1`);
  });

  it('reads the cookie only under the name of the scheme: __Host- behind HTTPS', async () => {
    const { proxy } = await import('@/proxy');
    const token = await sealSession({ via: 'local', name: 'carol', stamp }, SECRET, 3600);
    const https = { 'x-forwarded-proto': 'https' };
    expect(
      passes(await proxy(request('/api/recordings', `__Host-auditty_session=${token}`, https))),
    ).toBe(true);
    const plain = await proxy(request('/api/recordings', `auditty_session=${token}`, https));
    expect(plain.status).toBe(401);
    expect((await plain.json()).error.message).toBe('Sign in first');
    // And over http, the __Host- name is not read.
    const host = await proxy(request('/api/recordings', `__Host-auditty_session=${token}`));
    expect(host.status).toBe(401);
  });
});
