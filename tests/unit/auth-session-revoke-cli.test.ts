import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { auditEventSchema, buildEvent } from '@/lib/audit/event';
import { FileAuditSink } from '@/lib/audit/file';
import { hashPassword } from '@/lib/auth/password';
import { FileRevocations } from '@/lib/auth/revocation-file';
import { writeUsersFile } from '@/lib/auth/users-file';

// `auditty session revoke`, run in-process against a real users file and
// audit file: it writes session-revoke events that every instance's store
// reads (auth-revocation.test.ts), for the identity asked for and no other.

const ISSUER = 'https://sso.example.com/realms/ops';
const saved = { ...process.env };
let dir: string;
let auditFile: string;

beforeAll(async () => {
  dir = await mkdtemp(path.join(tmpdir(), 'auditty-revoke-cli-'));
  auditFile = path.join(dir, 'audit.jsonl');
  const usersFile = path.join(dir, 'users.json');
  const password = await hashPassword('sam-password', { ln: 10, r: 8, p: 1 });
  await writeUsersFile(usersFile, { users: { sam: { password, roles: [] } } });
  Object.assign(process.env, {
    ES_URL: '',
    AUTH_SECRET: 'revoke-cli-test-secret-0123456789abcdef',
    AUTH_USERS_FILE: usersFile,
    AUTH_ISSUER: ISSUER,
    AUTH_CLIENT_ID: 'auditty',
    AUDIT_LOG_FILE: auditFile,
  });
  // Sign-ins in the trail: two provider users shown as "sam", and the local sam.
  const sink = new FileAuditSink(auditFile);
  for (const [id, auth] of [
    [`oidc:${ISSUER}#s-1`, 'oidc'],
    [`oidc:${ISSUER}#s-2`, 'oidc'],
    ['local:sam', 'local'],
  ] as const) {
    await sink.write(
      buildEvent({
        action: 'sign-in',
        outcome: 'success',
        user: { id, name: 'sam', roles: [] },
        auth,
        address: '192.0.2.1',
        url: '/api/auth/oidc/callback',
      }),
    );
  }
});
afterAll(async () => {
  process.env = saved;
  vi.restoreAllMocks();
  await rm(dir, { recursive: true, force: true });
});

async function run(...args: string[]): Promise<{ code: number; out: string; err: string }> {
  const out: string[] = [];
  const err: string[] = [];
  const log = vi.spyOn(console, 'log').mockImplementation((...a) => void out.push(a.join(' ')));
  const error = vi.spyOn(console, 'error').mockImplementation((...a) => void err.push(a.join(' ')));
  try {
    const { session } = await import('@/scripts/cli/session');
    return { code: await session(args), out: out.join('\n'), err: err.join('\n') };
  } finally {
    log.mockRestore();
    error.mockRestore();
  }
}

async function revocations() {
  const text = await readFile(auditFile, 'utf8');
  return text
    .split('\n')
    .filter(Boolean)
    .map((line) => auditEventSchema.parse(JSON.parse(line)))
    .filter((e) => e.event.action === 'session-revoke');
}

describe('auditty session revoke', () => {
  it('ends a local account’s sessions, and only that identity’s', async () => {
    const before = Date.now();
    const { code, out } = await run('revoke', 'sam');
    expect(code).toBe(0);
    expect(out).toContain('revoked the sessions of sam (local:sam)');
    const [event] = await revocations();
    expect(event).toMatchObject({
      user: { id: 'local:sam', name: 'sam' },
      auditty: { auth: 'cli' },
      event: { outcome: 'success', reason: expect.stringContaining('auditty session revoke') },
    });
    const store = new FileRevocations(auditFile);
    expect(await store.notBefore('local:sam')).toBeGreaterThanOrEqual(before);
    expect(await store.notBefore(`oidc:${ISSUER}#s-1`)).toBe(0);
  });

  it('ends every OpenID Connect user who signed in under a display name, not the local one', async () => {
    const { code } = await run('revoke', '--oidc-name', 'sam');
    expect(code).toBe(0);
    const ids = (await revocations()).slice(1).map((e) => e.user?.id);
    expect(ids.sort()).toEqual([`oidc:${ISSUER}#s-1`, `oidc:${ISSUER}#s-2`]);
  });

  it('ends one OpenID Connect identity by issuer and subject', async () => {
    const { code } = await run('revoke', '--oidc-subject', `${ISSUER}#s-9`);
    expect(code).toBe(0);
    expect((await revocations()).at(-1)?.user).toEqual({
      id: `oidc:${ISSUER}#s-9`,
      name: 's-9',
      roles: [],
    });
  });

  it('refuses what names nobody, and bad usage', async () => {
    const count = (await revocations()).length;
    expect((await run('revoke', 'zed')).err).toContain('no local account "zed"');
    expect((await run('revoke', '--oidc-name', 'nobody')).code).toBe(1);
    expect((await run('revoke', '--oidc-subject', 'no-hash')).code).toBe(2);
    expect((await run('revoke')).code).toBe(2);
    expect((await run('revoke', 'sam', '--oidc-name', 'sam')).code).toBe(2);
    expect((await run('end', 'sam')).code).toBe(2);
    expect(await revocations()).toHaveLength(count);
  });
});
