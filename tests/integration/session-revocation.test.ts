import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { NextRequest } from 'next/server';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { ElasticsearchAuditSink } from '@/lib/audit/elasticsearch';
import { buildEvent, type AuditAction } from '@/lib/audit/event';
import { hashPassword } from '@/lib/auth/password';
import { CACHE_MS, CachedRevocations } from '@/lib/auth/revocation';
import { openSession, sealSession } from '@/lib/auth/session';
import { writeUsersFile } from '@/lib/auth/users-file';
import { esUrl, testClient } from '../support/es';

// Revocations on a real Elasticsearch: sign-outs and session-revokes written
// by the audit sink to a fresh AUDIT_INDEX, looked up by identity key by
// stores that stand for separate auditty instances, and a sealed session
// signed out through the real sign-out route, refused afterwards.

// What next/headers answers inside the sign-out route: the request's headers and its cookie.
const request = vi.hoisted(() => ({ headers: new Headers(), cookie: '' }));
vi.mock('next/headers', () => ({
  headers: async () => request.headers,
  cookies: async () => ({
    get: (name: string) =>
      name === 'auditty_session' && request.cookie ? { name, value: request.cookie } : undefined,
  }),
}));

const stamp = Date.now();
const index = `auditty-audit-rev-${stamp}`;
const oldIndex = `auditty-rev-old-${stamp}`;
const textIndex = `auditty-rev-text-${stamp}`;
const SECRET = 'revocation-integration-secret-0123456789';
const ISSUER = 'http://127.0.0.1:3997';
const ALICE = 'local:alice';
const OIDC_ALICE = `oidc:${ISSUER}#a-1`;
const client = testClient();
const saved = { ...process.env };
let dir: string;

function event(action: AuditAction, id: string, atMs: number, name = 'alice') {
  return buildEvent({
    action,
    outcome: 'success',
    user: { id, name, roles: [] },
    auth: id.startsWith('oidc:') ? 'oidc' : 'local',
    address: '192.0.2.1',
    url: '/api/auth/signout',
    now: new Date(atMs),
  });
}

/** A store of another instance: its own sink and client, and a clock the test moves. */
function instance(name = index) {
  let now = Date.now();
  const sink = new ElasticsearchAuditSink(testClient(), name);
  const store = new CachedRevocations((id) => sink.latestRevocation(id), { now: () => now });
  return { sink, store, advance: (ms: number) => (now += ms) };
}

beforeAll(async () => {
  dir = await mkdtemp(path.join(tmpdir(), 'auditty-rev-it-'));
});

afterAll(async () => {
  process.env = saved;
  await client.indices
    .delete({ index: `${index}*,${oldIndex}*,${textIndex}*`, ignore_unavailable: true })
    .catch(() => undefined);
  for (const name of [index, oldIndex, textIndex])
    await client.indices.deleteIndexTemplate({ name }).catch(() => undefined);
  await rm(dir, { recursive: true, force: true });
});

describe('revocations in the audit index', () => {
  it('are none before the index exists', async () => {
    expect(await instance().store.notBefore(ALICE)).toBe(0);
  });

  it('are found by identity key as soon as written, by every instance within CACHE_MS', async () => {
    const a = instance();
    const b = instance();
    expect(await a.store.notBefore(ALICE)).toBe(0);
    const t = Date.now() - 1_000;
    await b.sink.write(event('sign-out', ALICE, t));
    // Written with refresh=wait_for: a fresh instance sees it at once.
    expect(await instance().store.notBefore(ALICE)).toBe(t);
    // One that asked before answers from its cache until CACHE_MS has passed.
    a.advance(CACHE_MS - 1);
    expect(await a.store.notBefore(ALICE)).toBe(0);
    a.advance(1);
    expect(await a.store.notBefore(ALICE)).toBe(t);
    // The OpenID Connect alice is someone else.
    expect(await a.store.notBefore(OIDC_ALICE)).toBe(0);
  });

  it('are the latest sign-out or session-revoke, whatever came after', async () => {
    const { sink } = instance();
    const t = Date.now();
    await sink.write(event('session-revoke', OIDC_ALICE, t - 500));
    await sink.write(event('sign-out', OIDC_ALICE, t - 200));
    await sink.write(event('recording-view', OIDC_ALICE, t));
    await sink.write(event('sign-in', OIDC_ALICE, t));
    await client.indices.refresh({ index });
    expect(await instance().store.notBefore(OIDC_ALICE)).toBe(t - 200);
  });

  it('are in a template that maps user.id as a keyword', async () => {
    const mapping = await client.indices.getFieldMapping({ index, fields: 'user.id' });
    expect(mapping[index]?.mappings['user.id']?.mapping).toEqual({ id: { type: 'keyword' } });
  });

  it('work on an index made by an older auditty, without user.id: it is added', async () => {
    await client.indices.create({
      index: oldIndex,
      mappings: {
        dynamic: false,
        properties: {
          '@timestamp': { type: 'date' },
          event: { properties: { action: { type: 'keyword' }, id: { type: 'keyword' } } },
          user: { properties: { name: { type: 'keyword' } } },
        },
      },
    });
    const { sink, store } = instance(oldIndex);
    expect(await store.notBefore(ALICE)).toBe(0);
    const t = Date.now();
    await sink.write(event('sign-out', ALICE, t));
    expect(await instance(oldIndex).store.notBefore(ALICE)).toBe(t);
  });

  it('refuse to answer where user.id is not a keyword (fail closed)', async () => {
    await client.indices.create({
      index: textIndex,
      mappings: { properties: { user: { properties: { id: { type: 'text' } } } } },
    });
    await expect(instance(textIndex).store.notBefore(ALICE)).rejects.toThrow(
      /user\.id is a text field, so sign-outs cannot be looked up/,
    );
  });
});

describe('a session on the Elasticsearch audit trail', () => {
  it('issued before a sign-out is refused afterwards, here and on another instance', async () => {
    const usersFile = path.join(dir, 'users.json');
    const password = await hashPassword('bob-password', { ln: 10, r: 8, p: 1 });
    await writeUsersFile(usersFile, { users: { bob: { password, roles: [] } } });
    const policyFile = path.join(dir, 'policy.json');
    await writeFile(policyFile, JSON.stringify({ roles: { none: { hosts: [], users: [] } } }));
    Object.assign(process.env, {
      ES_URL: esUrl(),
      AUTH_SECRET: SECRET,
      AUTH_USERS_FILE: usersFile,
      AUTH_POLICY_FILE: policyFile,
      AUDIT_INDEX: index,
      AUDIT_LOG_FILE: '',
    });
    const { checkSession, passwordStamp } = await import('@/lib/access');
    const { POST: signOut } = await import('@/app/api/auth/signout/route');
    const issue = async (at: number) => {
      const token = await sealSession(
        { via: 'local', name: 'bob', stamp: passwordStamp(password) },
        SECRET,
        3600,
        at,
      );
      const session = await openSession(token, SECRET);
      if (!session) throw new Error('the session did not open');
      return { token, session };
    };
    const copied = await issue(Date.now() - 5_000);
    const other = instance();
    // Both instances have looked bob up (and cached the answer) before he signs out.
    expect((await checkSession(copied.session)).ok).toBe(true);
    expect((await checkSession(copied.session, other.store)).ok).toBe(true);

    // bob signs out in another browser, with another session.
    const browser = await issue(Date.now() - 4_000);
    request.headers = new Headers({
      'x-auditty-ip': '192.0.2.1',
      'x-auditty-url': '/api/auth/signout',
    });
    request.cookie = browser.token;
    const response = await signOut(
      new NextRequest('http://127.0.0.1:3000/api/auth/signout', { method: 'POST' }),
    );
    expect(response.status).toBe(303);
    expect(response.headers.get('location')).toBe('/signin');
    await client.indices.refresh({ index });
    const { hits } = await client.search({
      index,
      query: { bool: { filter: [{ term: { 'user.id': 'local:bob' } }] } },
    });
    expect(hits.hits.map((h) => (h._source as { event: { action: string } }).event.action)).toEqual(
      ['sign-out'],
    );

    // Here at once (the route noted it); on the other instance once its cache has expired.
    const here = await checkSession(copied.session);
    expect(!here.ok && here.refusal.code).toBe('revoked');
    other.advance(CACHE_MS);
    const there = await checkSession(copied.session, other.store);
    expect(!there.ok && there.refusal.code).toBe('revoked');
    // A session issued after the sign-out counts.
    expect((await checkSession((await issue(Date.now() + 1)).session, other.store)).ok).toBe(true);
  });
});
