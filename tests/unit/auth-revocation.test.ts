import { appendFile, mkdir, mkdtemp, rename, rm, truncate, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildEvent, type AuditAction } from '@/lib/audit/event';
import { FileAuditSink } from '@/lib/audit/file';
import { FileRevocations, MAX_LINE_BYTES } from '@/lib/auth/revocation-file';

// Revocations as the server reads them on the files sink: real
// AUDIT_LOG_FILEs in a temp dir written by the real sink, each store reading
// them as a separate instance would (Elasticsearch: auth-revocation-es.test.ts).

const T0 = Date.parse('2026-03-01T10:00:00.000Z');
const ALICE = 'local:alice';
const OIDC_ALICE = 'oidc:https://sso.example.com/realms/ops#7f3a';

function event(action: AuditAction, id: string | null, atMs: number, name = 'alice') {
  return buildEvent({
    action,
    outcome: 'success',
    user: id ? { id, name, roles: [] } : null,
    auth: id?.startsWith('oidc:') ? 'oidc' : 'local',
    address: '192.0.2.1',
    url: '/api/auth/signout',
    now: new Date(atMs),
  });
}
const line = (e: ReturnType<typeof event>) => `${JSON.stringify(e)}\n`;

let dir: string;
let n = 0;
beforeAll(async () => {
  dir = await mkdtemp(path.join(tmpdir(), 'auditty-revoke-'));
});
afterAll(() => rm(dir, { recursive: true, force: true }));
const fresh = () => path.join(dir, `audit-${(n += 1)}.jsonl`);

describe('revocations on the files sink', () => {
  it('are read from the file, whole the first time, then only what was added', async () => {
    const file = fresh();
    const sink = new FileAuditSink(file);
    for (let i = 0; i < 200; i++) await sink.write(event('recording-view', ALICE, T0 + i));
    await sink.write(event('sign-out', ALICE, T0 + 500));
    const store = new FileRevocations(file);
    expect(await store.notBefore(ALICE)).toBe(T0 + 500);
    const whole = store.stats.bytesRead;
    // Only the revocation was parsed: the views are skipped unparsed.
    expect(store.stats.linesParsed).toBe(1);

    await sink.write(event('session-revoke', ALICE, T0 + 900));
    expect(await store.notBefore(ALICE)).toBe(T0 + 900);
    const added = store.stats.bytesRead - whole;
    expect(added).toBeLessThan(whole / 50);
    // Nothing new: nothing read but the few bytes that check the file is the same.
    const before = store.stats.bytesRead;
    await store.notBefore(ALICE);
    expect(store.stats.bytesRead).toBe(before);
  });

  it('keep identities apart: a local alice signing out leaves the OpenID Connect alice alone', async () => {
    const file = fresh();
    await writeFile(file, line(event('sign-out', ALICE, T0)));
    const store = new FileRevocations(file);
    expect(await store.notBefore(ALICE)).toBe(T0);
    expect(await store.notBefore(OIDC_ALICE)).toBe(0);
  });

  it('are seen by another instance, a fresh store over the same file', async () => {
    const file = fresh();
    const sink = new FileAuditSink(file);
    const a = new FileRevocations(file);
    const b = new FileRevocations(file);
    expect(await a.notBefore(ALICE)).toBe(0);
    expect(await b.notBefore(ALICE)).toBe(0);
    await sink.write(event('sign-out', ALICE, T0 + 10));
    expect(await a.notBefore(ALICE)).toBe(T0 + 10);
    expect(await b.notBefore(ALICE)).toBe(T0 + 10);
    expect(await new FileRevocations(file).notBefore(ALICE)).toBe(T0 + 10);
  });

  it('wait for a line still being written, and take it whole once it is', async () => {
    const file = fresh();
    const text = line(event('sign-out', ALICE, T0 + 7));
    await writeFile(file, text.slice(0, 40));
    const store = new FileRevocations(file);
    expect(await store.notBefore(ALICE)).toBe(0);
    await appendFile(file, text.slice(40));
    expect(await store.notBefore(ALICE)).toBe(T0 + 7);
  });

  it('read a truncated file again from its start, keeping what they knew', async () => {
    const file = fresh();
    await writeFile(file, line(event('sign-out', ALICE, T0)));
    const store = new FileRevocations(file, { chunkBytes: 97 });
    expect(await store.notBefore(ALICE)).toBe(T0);
    await truncate(file, 0);
    await writeFile(file, line(event('sign-out', OIDC_ALICE, T0 + 1)));
    expect(await store.notBefore(OIDC_ALICE)).toBe(T0 + 1);
    expect(await store.notBefore(ALICE)).toBe(T0);
    expect(store.stats.restarts).toBe(1);
  });

  it('notice a file truncated and grown back past where they were', async () => {
    const file = fresh();
    await writeFile(file, line(event('recording-view', ALICE, T0)));
    const store = new FileRevocations(file);
    expect(await store.notBefore(ALICE)).toBe(0);
    // copytruncate, then more events than before, before the next check.
    await truncate(file, 0);
    const grown = line(event('sign-out', ALICE, T0 + 3)) + line(event('recording-view', ALICE, T0));
    await writeFile(file, grown);
    expect(await store.notBefore(ALICE)).toBe(T0 + 3);
    expect(store.stats.restarts).toBe(1);
  });

  it('read a rotated file (a new one in its place) from its start', async () => {
    const file = fresh();
    const sink = new FileAuditSink(file);
    for (let i = 0; i < 20; i++) await sink.write(event('recording-view', ALICE, T0 + i));
    const store = new FileRevocations(file);
    await store.notBefore(ALICE);
    await rename(file, `${file}.1`);
    // Written to a new file before the store looks again: another inode, read whole.
    await sink.write(event('sign-out', ALICE, T0 + 30));
    expect(await store.notBefore(ALICE)).toBe(T0 + 30);
    expect(store.stats.restarts).toBe(1);
    // Gone for a while (renamed, not yet recreated): nothing new, and what it knew stays.
    await rename(file, `${file}.2`);
    expect(await store.notBefore(ALICE)).toBe(T0 + 30);
  });

  it('skip an overlong line without holding it, and read on past it', async () => {
    const file = fresh();
    await writeFile(file, `${'x'.repeat(MAX_LINE_BYTES + 10)}sign-out\n`);
    await appendFile(file, line(event('sign-out', ALICE, T0 + 5)));
    const store = new FileRevocations(file, { chunkBytes: 4096 });
    expect(await store.notBefore(ALICE)).toBe(T0 + 5);
  });

  it('ignore torn lines and events without an identity', async () => {
    const file = fresh();
    const torn = line(event('sign-out', ALICE, T0 + 1)).slice(0, 60);
    await writeFile(file, `${torn}\n${line(event('sign-out', null, T0 + 2))}not json sign-out\n`);
    expect(await new FileRevocations(file).notBefore(ALICE)).toBe(0);
  });

  it('drop revocations older than sessions can be, and no others', async () => {
    const file = fresh();
    const now = T0 + 10 * 3600_000;
    await writeFile(
      file,
      line(event('sign-out', 'local:old', T0)) + line(event('sign-out', ALICE, now - 60_000)),
    );
    const store = new FileRevocations(file, { retainMs: 8 * 3600_000, now: () => now });
    expect(await store.notBefore(ALICE)).toBe(now - 60_000);
    expect(await store.notBefore('local:old')).toBe(0);
    expect(store.size).toBe(1);
  });

  it('refuse to answer when the file cannot be read (fail closed)', async () => {
    const file = fresh();
    await mkdir(file);
    await expect(new FileRevocations(file).notBefore(ALICE)).rejects.toThrow(/EISDIR/);
  });

  it('count a sign-out made here at once', async () => {
    const store = new FileRevocations(fresh());
    store.revoked(ALICE, T0 + 1);
    expect(await store.notBefore(ALICE)).toBe(T0 + 1);
  });

  it('let concurrent checks share reads, without one missing a revocation appended before it began', async () => {
    const file = fresh();
    const sink = new FileAuditSink(file);
    const store = new FileRevocations(file);
    const first = store.notBefore(ALICE);
    await sink.write(event('sign-out', ALICE, T0 + 2));
    const [a, b, c] = await Promise.all([first, store.notBefore(ALICE), store.notBefore(ALICE)]);
    expect(a === 0 || a === T0 + 2).toBe(true);
    expect([b, c]).toEqual([T0 + 2, T0 + 2]);
  });
});
