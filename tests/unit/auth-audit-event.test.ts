import { describe, expect, it } from 'vitest';
import { eventSearchBody } from '@/lib/audit/elasticsearch';
import { auditEventSchema, buildEvent, type AuditEvent } from '@/lib/audit/event';
import { compareEvents, encodeCursor, eventFilterSchema, matchesFilter } from '@/lib/audit/query';

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

  it('become the same Elasticsearch filters', () => {
    const body = eventSearchBody(
      eventFilterSchema.parse({ user: 'bob', recording: 'r1', size: '5' }),
    );
    expect(body.size).toBe(6);
    expect(body.query.bool.filter).toEqual([
      { term: { 'user.name': 'bob' } },
      { term: { 'auditty.recording': 'r1' } },
    ]);
    expect(body.sort).toEqual([
      { '@timestamp': { order: 'desc' } },
      { 'event.id': { order: 'desc' } },
    ]);
  });
});
