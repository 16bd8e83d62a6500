import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { hashPassword } from '@/lib/auth/password';
import { FileRevocations } from '@/lib/auth/revocation-file';
import { openSession, sealSession, type NewSession, type Session } from '@/lib/auth/session';
import { writeUsersFile } from '@/lib/auth/users-file';

// Whether a session still counts, as every request asks (lib/access.ts
// checkSession): real sealed cookies, a real users file and policy, and the
// audit file that holds sign-outs, read by stores as separate instances would.

const SECRET = 'session-check-test-secret-0123456789abcdef';
const ISSUER = 'http://127.0.0.1:3999';
const FAST = { ln: 10, r: 8, p: 1 };
const saved = { ...process.env };
let dir: string;
let usersFile: string;
let auditFile: string;

beforeAll(async () => {
  dir = await mkdtemp(path.join(tmpdir(), 'auditty-check-'));
  usersFile = path.join(dir, 'users.json');
  auditFile = path.join(dir, 'audit.jsonl');
  const policyFile = path.join(dir, 'policy.json');
  await writeFile(
    policyFile,
    JSON.stringify({
      roles: {
        admin: { hosts: ['*'], users: ['*'], admin: true },
        everything: { hosts: ['*'], users: ['*'] },
        dba: { hosts: ['db-*'], users: ['*'] },
      },
      groups: { 'sec-all': ['everything'] },
      oidcUsers: { alice: ['dba'] },
    }),
  );
  await writeUsersFile(usersFile, {
    users: {
      alice: { password: await hashPassword('alice-password', FAST), roles: [] },
      bob: { password: await hashPassword('bob-password', FAST), roles: ['admin'] },
    },
  });
  Object.assign(process.env, {
    ES_URL: '',
    AUTH_SECRET: SECRET,
    AUTH_USERS_FILE: usersFile,
    AUTH_POLICY_FILE: policyFile,
    AUTH_ISSUER: ISSUER,
    AUTH_CLIENT_ID: 'auditty',
    AUTH_GROUPS_MAX_AGE_MINUTES: '30',
    AUTH_SESSION_HOURS: '8',
    AUDIT_LOG_FILE: auditFile,
  });
});
afterAll(async () => {
  process.env = saved;
  await rm(dir, { recursive: true, force: true });
});

const access = () => import('@/lib/access');

async function sealed(session: NewSession, issuedMs = Date.now(), ttl = 3600): Promise<Session> {
  const opened = await openSession(await sealSession(session, SECRET, ttl, issuedMs), SECRET);
  if (!opened) throw new Error('the session did not open');
  return opened;
}

async function localSession(name: string, issuedMs = Date.now(), ttl = 3600) {
  const { passwordStamp } = await access();
  const { currentUsers } = await import('@/lib/auth/users-file');
  const account = (await currentUsers(usersFile)).users[name]!;
  return sealed({ via: 'local', name, stamp: passwordStamp(account.password) }, issuedMs, ttl);
}

const HEADERS = new Headers({ 'x-auditty-ip': '192.0.2.1', 'x-auditty-url': '/api/auth/signout' });

describe('a sign-out', () => {
  it('ends the sessions issued before it, on this instance and on another one', async () => {
    const { checkSession } = await access();
    const { writeAuditEvent } = await import('@/lib/audit');
    const here = new FileRevocations(auditFile);
    const session = await localSession('alice', Date.now() - 5_000);
    const before = await checkSession(session, here);
    expect(before.ok && before.caller).toMatchObject({ id: 'local:alice', name: 'alice' });
    if (!before.ok) return;

    // What the sign-out route does, from another browser holding another session of alice's.
    const other = await localSession('alice', Date.now() - 4_000);
    const otherCheck = await checkSession(other, here);
    if (!otherCheck.ok) throw new Error('the other session should count');
    await writeAuditEvent('sign-out', { now: new Date() }, otherCheck.caller, HEADERS);

    for (const store of [here, new FileRevocations(auditFile)]) {
      const after = await checkSession(session, store);
      expect(after.ok).toBe(false);
      expect(!after.ok && after.refusal).toMatchObject({
        code: 'revoked',
        reason: expect.stringMatching(/^session refused: signed out or revoked at 20\d\d-/),
      });
    }
    // The process's own store too (what proxy.ts and the pages use).
    expect((await checkSession(session)).ok).toBe(false);
    // A session issued after the sign-out counts.
    expect((await checkSession(await localSession('alice', Date.now() + 1), here)).ok).toBe(true);
    // Nobody else's: bob, and an OpenID Connect user named alice, keep theirs.
    expect((await checkSession(await localSession('bob', Date.now() - 5_000), here)).ok).toBe(true);
    const oidcAlice = await sealed(
      { via: 'oidc', id: `oidc:${ISSUER}#a-1`, name: 'alice', groups: [] },
      Date.now() - 5_000,
    );
    expect((await checkSession(oidcAlice, here)).ok).toBe(true);
  });

  it('that cannot be read back refuses the session instead of letting it through', async () => {
    const { checkSession } = await access();
    const broken = path.join(dir, 'not-a-file');
    await mkdir(broken);
    await expect(
      checkSession(await localSession('bob'), new FileRevocations(broken)),
    ).rejects.toMatchObject({ code: 'audit_unavailable', status: 503 });
  });
});

describe('a session', () => {
  it('of an OpenID Connect user takes roles from oidcUsers and groups, never from a local alice', async () => {
    const { checkSession } = await access();
    const session = await sealed({
      via: 'oidc',
      id: `oidc:${ISSUER}#a-1`,
      name: 'alice',
      groups: ['sec-all'],
    });
    const check = await checkSession(session, new FileRevocations(auditFile));
    expect(check.ok && check.caller).toMatchObject({
      id: `oidc:${ISSUER}#a-1`,
      via: 'oidc',
      roles: ['dba', 'everything'],
      admin: false,
    });
    // The local alice has no role: oidcUsers.alice is not hers.
    const local = await checkSession(await localSession('alice'), new FileRevocations(auditFile));
    expect(local.ok && local.caller.roles).toEqual([]);
  });

  it('whose groups are older than AUTH_GROUPS_MAX_AGE_MINUTES no longer counts', async () => {
    const { checkSession } = await access();
    const store = new FileRevocations(auditFile);
    const oidc = (ageMinutes: number) =>
      sealed(
        { via: 'oidc', id: `oidc:${ISSUER}#g-1`, name: 'gina', groups: ['sec-all'] },
        Date.now() - ageMinutes * 60_000,
      );
    expect((await checkSession(await oidc(29), store)).ok).toBe(true);
    const stale = await checkSession(await oidc(31), store);
    expect(!stale.ok && stale.refusal).toMatchObject({
      code: 'stale',
      reason: expect.stringContaining('more than 30 minutes ago (AUTH_GROUPS_MAX_AGE_MINUTES)'),
      message: expect.stringContaining('sign in again'),
    });
    // Local accounts read their roles on every request: no such limit.
    const hourOld = await localSession('bob', Date.now() - 3_600_000, 7200);
    expect((await checkSession(hourOld, store)).ok).toBe(true);
  });

  it('from another provider, or older than AUTH_SESSION_HOURS, no longer counts', async () => {
    const { checkSession } = await access();
    const store = new FileRevocations(auditFile);
    const foreign = await sealed({
      via: 'oidc',
      id: 'oidc:https://other.example#a-1',
      name: 'alice',
      groups: [],
    });
    const check = await checkSession(foreign, store);
    expect(!check.ok && check.refusal.reason).toBe(
      'session refused: it was issued by another OpenID provider',
    );
    // Sealed for 24 hours when the setting allowed it; it is 8 now.
    const old = await localSession('bob', Date.now() - 9 * 3_600_000, 24 * 3600);
    const aged = await checkSession(old, store);
    expect(!aged.ok && aged.refusal.reason).toBe(
      'session refused: it is older than AUTH_SESSION_HOURS',
    );
  });

  it('of a removed account, or from before a password change, no longer counts', async () => {
    const { checkSession } = await access();
    const store = new FileRevocations(auditFile);
    const { readUsersFile } = await import('@/lib/auth/users-file');
    const bob = await localSession('bob');
    const users = await readUsersFile(usersFile);
    users.users.bob = { password: await hashPassword('new-bob-password', FAST), roles: ['admin'] };
    await writeUsersFile(usersFile, users);
    const changed = await checkSession(bob, store);
    expect(!changed.ok && changed.refusal).toMatchObject({
      code: 'ended',
      reason: 'session refused: the password changed since sign-in',
      message: 'Your session no longer counts; sign in again',
    });
    delete users.users.bob;
    await writeUsersFile(usersFile, users);
    const removed = await checkSession(bob, store);
    expect(!removed.ok && removed.refusal.reason).toBe(
      'session refused: the local account no longer exists',
    );
  });
});

describe('source details', () => {
  it('are for admins only: a role that sees every host and user is not enough', async () => {
    const { seesSourceDetail } = await access();
    const everything = { hosts: ['*'], users: ['*'] };
    const caller = { id: 'local:x', name: 'x', via: 'local' as const, scope: everything };
    expect(seesSourceDetail({ ...caller, roles: ['everything'], admin: false })).toBe(false);
    expect(seesSourceDetail({ ...caller, roles: ['admin'], admin: true })).toBe(true);
    expect(seesSourceDetail(null)).toBe(false);
    // Open access counts as admin: there is no one else.
    const open = { id: null, name: null, via: 'open' as const, roles: [], admin: true };
    expect(seesSourceDetail({ ...open, scope: everything })).toBe(true);
  });
});
