import { mkdtemp, rm, stat, utimes, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { FileCache, MTIME_GRANULARITY_MS } from '@/lib/auth/file-cache';
import { hashPassword } from '@/lib/auth/password';
import { currentUsers, writeUsersFile } from '@/lib/auth/users-file';

// The policy and the users file are read again when they change, also when
// an edit keeps their size and mtime (a coarse file system, or two edits in
// one second): real files, their times set back with utimes.

const saved = { ...process.env };
let dir: string;
let policyFile: string;

const policy = (hosts: string) =>
  JSON.stringify({ roles: { ops: { hosts: [hosts], users: ['*'] } } });

beforeAll(async () => {
  dir = await mkdtemp(path.join(tmpdir(), 'auditty-reload-'));
  policyFile = path.join(dir, 'policy.json');
  await writeInTick(policyFile, policy('web-1'));
  Object.assign(process.env, { ES_URL: '', AUTH_POLICY_FILE: policyFile });
});
afterAll(async () => {
  process.env = saved;
  await rm(dir, { recursive: true, force: true });
});

/** A whole second, as a file system with one-second times keeps them (ext3, HFS+, NFS v2). */
const TICK = new Date('2026-02-01T12:00:00.000Z');

/** Writes a file and gives it the mtime TICK: two such writes fall in one tick. */
async function writeInTick(file: string, text: string): Promise<void> {
  await writeFile(file, text);
  await utimes(file, TICK, TICK);
}

describe('configuration files', () => {
  it('reload the policy on a change of content with the same size and mtime', async () => {
    const { currentPolicy } = await import('@/lib/auth/config');
    expect((await currentPolicy()).roles.ops?.hosts).toEqual(['web-1']);
    await writeInTick(policyFile, policy('web-2'));
    const { size, mtimeMs } = await stat(policyFile);
    expect([size, mtimeMs]).toEqual([policy('web-1').length, TICK.getTime()]);
    expect((await currentPolicy()).roles.ops?.hosts).toEqual(['web-2']);
  });

  it('reload the users file on the same kind of change', async () => {
    const file = path.join(dir, 'users.json');
    const hash = await hashPassword('a passphrase', { ln: 10, r: 8, p: 1 });
    await writeUsersFile(file, { users: { alice: { password: hash, roles: ['dba1'] } } });
    await utimes(file, TICK, TICK);
    expect((await currentUsers(file)).users.alice?.roles).toEqual(['dba1']);
    await writeUsersFile(file, { users: { alice: { password: hash, roles: ['dba2'] } } });
    await utimes(file, TICK, TICK);
    expect((await stat(file)).mtimeMs).toBe(TICK.getTime());
    expect((await currentUsers(file)).users.alice?.roles).toEqual(['dba2']);
  });

  it('trust stat once the file has been still for longer than the granularity', async () => {
    const file = path.join(dir, 'still.txt');
    await writeFile(file, 'one');
    const past = new Date(Date.now() - 60_000);
    await utimes(file, past, past);
    const cache = new FileCache((text) => text);
    expect(await cache.get(file)).toBe('one');
    expect(await cache.get(file)).toBe('one');
    expect(cache.parses).toBe(1);
    // Read again (hash compared, not parsed) while the mtime is recent.
    let now = Date.now();
    const recent = new FileCache(
      (text) => text,
      () => now,
    );
    await writeFile(file, 'two');
    expect(await recent.get(file)).toBe('two');
    const { atime, mtime } = await stat(file);
    await writeFile(file, 'six');
    await utimes(file, atime, mtime);
    expect(await recent.get(file)).toBe('six');
    now += MTIME_GRANULARITY_MS + 1_000;
    expect(await recent.get(file)).toBe('six');
    expect(recent.parses).toBe(2);
  });
});
