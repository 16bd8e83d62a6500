import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { auditTemplateBody, eventSearchBody } from '@/lib/audit/elasticsearch';
import { auditEventSchema, buildEvent, type AuditEvent } from '@/lib/audit/event';
import { FileAuditSink } from '@/lib/audit/file';
import {
  compareEvents,
  encodeCursor,
  eventFilterSchema,
  matchesFilter,
  scopeFilter,
} from '@/lib/audit/query';

const base = {
  action: 'recording-view' as const,
  outcome: 'success' as const,
  user: { name: 'alice', roles: ['dba'] },
  auth: 'local' as const,
  address: '127.0.0.1',
  url: '/recordings/r1?t=0:05',
  recording: 'r1',
};

describe('audit events', () => {
  it('use Elastic Common Schema names', () => {
    const e = buildEvent({ ...base, now: new Date('2026-01-02T03:04:05.678Z') });
    expect(e['@timestamp']).toBe('2026-01-02T03:04:05.678Z');
    expect(e.event).toMatchObject({
      kind: 'event',
      action: 'recording-view',
      outcome: 'success',
      category: ['web'],
    });
    expect(e.user).toEqual({ name: 'alice', roles: ['dba'] });
    expect(e.source).toEqual({ address: '127.0.0.1', ip: '127.0.0.1' });
    expect(e.url.original).toBe('/recordings/r1?t=0:05');
    expect(e.auditty.recording).toBe('r1');
    expect(auditEventSchema.parse(e)).toEqual(e);
  });

  it('keep an address that is not an IP out of source.ip (an ip field would refuse the event)', () => {
    expect(buildEvent({ ...base, address: 'unknown' }).source).toEqual({ address: 'unknown' });
    expect(buildEvent({ ...base, address: '2001:db8::1' }).source.ip).toBe('2001:db8::1');
  });

  it('flatten and bound parameters', () => {
    const e = buildEvent({
      ...base,
      params: { user: 'root', size: 50, q: 'x'.repeat(5000), skip: undefined },
    });
    const marker = '…[truncated, was 5000 chars]';
    expect(e.auditty.params).toEqual({
      user: 'root',
      size: '50',
      q: `${'x'.repeat(1024 - marker.length)}${marker}`,
    });
  });

  it('mark sign-ins as authentication events', () => {
    const e = buildEvent({
      ...base,
      action: 'sign-in',
      outcome: 'failure',
      reason: 'wrong user name or password',
    });
    expect(e.event.category).toEqual(['authentication', 'session']);
    expect(e.event.reason).toBe('wrong user name or password');
  });
});

describe('access log filters', () => {
  const events: AuditEvent[] = [
    '2026-01-01T00:00:01.000Z',
    '2026-01-01T00:00:02.000Z',
    '2026-01-01T00:00:02.000Z',
  ]
    .map((t, i) =>
      buildEvent({
        ...base,
        now: new Date(t),
        recording: `r${i}`,
        user: { name: i ? 'bob' : 'alice', roles: [] },
      }),
    )
    .sort(compareEvents);

  it('parse from the query string', () => {
    const parsed = eventFilterSchema.parse({
      user: 'bob',
      action: 'recording-view',
      recording: 'r1',
      from: 'now-1d',
      size: '10',
    });
    expect(parsed).toMatchObject({
      user: 'bob',
      actions: ['recording-view'],
      recording: 'r1',
      size: 10,
    });
    expect(parsed.fromMs).toBeLessThan(Date.now());
    expect(eventFilterSchema.safeParse({ action: 'rm -rf' }).success).toBe(false);
    expect(eventFilterSchema.safeParse({ size: '1000' }).success).toBe(false);
    expect(eventFilterSchema.safeParse({ cursor: 'garbage' }).success).toBe(false);
  });

  it('page with cursors without skipping events of the same millisecond', () => {
    const first = events[0]!;
    const after = eventFilterSchema.parse({ cursor: encodeCursor(first) });
    const rest = events.filter((e) => matchesFilter(e, after));
    expect(rest).toEqual(events.slice(1));
  });

  it('become the same Elasticsearch filters: user by name or identity key', () => {
    const body = eventSearchBody(
      eventFilterSchema.parse({ user: 'bob', recording: 'r1', size: '5' }),
    );
    expect(body.size).toBe(6);
    expect(body.query.bool.filter).toEqual([
      {
        bool: {
          should: [{ term: { 'user.name': 'bob' } }, { term: { 'user.id': 'bob' } }],
          minimum_should_match: 1,
        },
      },
      { term: { 'auditty.recording': 'r1' } },
    ]);
    expect(body.sort).toEqual([
      { '@timestamp': { order: 'desc' } },
      { 'event.id': { order: 'desc' } },
    ]);
  });
});

describe('whose events a caller sees', () => {
  const LOCAL = 'local:alice';
  const OIDC = 'oidc:https://sso.example.com/realms/ops#7f3a';
  const of = (id: string | undefined, name = 'alice', i = 0) =>
    buildEvent({
      ...base,
      user: { ...(id ? { id } : {}), name, roles: [] },
      auth: id?.startsWith('oidc:') ? 'oidc' : 'local',
      now: new Date(Date.parse('2026-01-01T00:00:00.000Z') + i),
    });

  it('carry the identity key in user.id, beside the name, and the index maps it', () => {
    const event = of(OIDC);
    expect(event.user).toEqual({ id: OIDC, name: 'alice', roles: [] });
    expect(auditEventSchema.parse(event)).toEqual(event);
    const mapping = auditTemplateBody('auditty-audit').template.mappings.properties.user;
    expect(mapping.properties.id).toEqual({ type: 'keyword' });
  });

  it('hold non-admins to their identity, not their name: a local alice never sees the OpenID alice', () => {
    const asked = eventFilterSchema.parse({ user: 'bob', size: '50' });
    const scoped = scopeFilter({ admin: false, id: LOCAL }, asked);
    expect(scoped).toEqual({ size: 50, userId: LOCAL });
    expect(matchesFilter(of(LOCAL), scoped)).toBe(true);
    expect(matchesFilter(of(OIDC), scoped)).toBe(false);
    // Events from before user.id: nobody's own, for admins only.
    expect(matchesFilter(of(undefined), scoped)).toBe(false);
    expect(eventSearchBody(scoped).query.bool.filter).toEqual([{ term: { 'user.id': LOCAL } }]);
  });

  it('let admins filter by name (both people called alice) or by identity key', () => {
    expect(scopeFilter({ admin: true, id: 'local:ada' }, { size: 5, user: 'alice' })).toEqual({
      size: 5,
      user: 'alice',
    });
    const byName = { size: 5, user: 'alice' };
    expect([of(LOCAL), of(OIDC), of(undefined)].map((e) => matchesFilter(e, byName))).toEqual([
      true,
      true,
      true,
    ]);
    const byId = { size: 5, user: OIDC };
    expect([of(LOCAL), of(OIDC)].map((e) => matchesFilter(e, byId))).toEqual([false, true]);
  });

  it('are scoped the same way on the files sink, over a real file', async () => {
    const dir = await mkdtemp(path.join(tmpdir(), 'auditty-scope-'));
    try {
      const sink = new FileAuditSink(path.join(dir, 'audit.jsonl'));
      for (const [i, id] of [LOCAL, OIDC, LOCAL, OIDC].entries())
        await sink.write(of(id, 'alice', i));
      const mine = await sink.search(scopeFilter({ admin: false, id: LOCAL }, { size: 50 }));
      expect(mine.items.map((e) => e.user?.id)).toEqual([LOCAL, LOCAL]);
      const theirs = await sink.search(scopeFilter({ admin: false, id: OIDC }, { size: 50 }));
      expect(theirs.items.map((e) => e.user?.id)).toEqual([OIDC, OIDC]);
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });
});
