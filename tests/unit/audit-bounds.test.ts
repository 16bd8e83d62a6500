import { describe, expect, it } from 'vitest';
import {
  bounded,
  MAX_ADDRESS,
  MAX_NAME,
  MAX_PARAM,
  MAX_PARAM_KEY,
  MAX_PARAMS,
  MAX_REASON,
  MAX_RECORDING,
  MAX_ROLE,
  MAX_ROLES,
  MAX_URL,
  truncatedMarker,
} from '@/lib/audit/bounds';
import { auditEventSchema, buildEvent } from '@/lib/audit/event';

const base = {
  action: 'access-denied' as const,
  outcome: 'failure' as const,
  user: null,
  auth: 'anonymous' as const,
  address: '203.0.113.7',
  url: '/api/recordings',
};

describe('audit event bounds', () => {
  it('store an 8,000-character URL truncated to MAX_URL, with a marker saying so', () => {
    const url = `/api/recordings?q=${'a'.repeat(8000 - 18)}`;
    expect(url).toHaveLength(8000);
    const stored = buildEvent({ ...base, url }).url.original;
    expect(MAX_URL).toBe(2048);
    expect(stored).toHaveLength(MAX_URL);
    expect(stored.endsWith(truncatedMarker(8000))).toBe(true);
    expect(stored).toContain('[truncated, was 8000 chars]');
    expect(url.startsWith(stored.slice(0, MAX_URL - truncatedMarker(8000).length))).toBe(true);
  });

  it('leave values within their bounds as they are', () => {
    const e = buildEvent({ ...base, url: '/api/recordings?size=5', reason: 'no session' });
    expect(e.url.original).toBe('/api/recordings?size=5');
    expect(e.event.reason).toBe('no session');
    expect(bounded('x'.repeat(MAX_URL), MAX_URL)).toBe('x'.repeat(MAX_URL));
  });

  it('bound every other stored string: reason, address, name, roles, recording, parameters', () => {
    const long = 'z'.repeat(100_000);
    const roles = Array.from({ length: 1000 }, (_, i) => `role-${i}-${long}`);
    const params = Object.fromEntries(
      Array.from({ length: 500 }, (_, i) => [`${i}-${long}`, long]),
    );
    const e = buildEvent({
      ...base,
      action: 'sign-in',
      reason: long,
      address: long,
      user: { name: long, roles },
      recording: long,
      params,
      url: long,
    });
    expect(e.event.reason).toHaveLength(MAX_REASON);
    expect(e.source.address).toHaveLength(MAX_ADDRESS);
    expect(e.source.ip).toBeUndefined();
    expect(e.user?.name).toHaveLength(MAX_NAME);
    expect(e.user?.roles).toHaveLength(MAX_ROLES);
    for (const role of e.user!.roles.slice(0, -1))
      expect(role.length).toBeLessThanOrEqual(MAX_ROLE);
    expect(e.user?.roles.at(-1)).toBe(`…[${1000 - MAX_ROLES + 1} more]`);
    expect(e.auditty.recording).toHaveLength(MAX_RECORDING);
    const stored = Object.entries(e.auditty.params ?? {});
    expect(stored).toHaveLength(MAX_PARAMS);
    for (const [key, value] of stored) {
      expect(key.length).toBeLessThanOrEqual(MAX_PARAM_KEY);
      expect(value.length).toBeLessThanOrEqual(MAX_PARAM);
    }
    expect(e.auditty.params?.['…']).toBe(`${500 - MAX_PARAMS + 1} more parameters`);
    for (const text of [e.event.reason, e.source.address, e.user?.name, e.auditty.recording])
      expect(text).toContain('…[truncated, was 100000 chars]');
    // The whole event stays small, whatever came in.
    expect(JSON.stringify(e).length).toBeLessThan(48_000);
    expect(auditEventSchema.parse(e)).toEqual(e);
  });

  it('never split a surrogate pair at the cut', () => {
    // The cut falls right after the high half of the first emoji.
    const marker = truncatedMarker(6000);
    const text = `${'a'.repeat(MAX_URL - marker.length - 1)}${'😀'.repeat(2000)}`;
    expect(String(text.length)).toHaveLength(4); // as long a marker as 6000's
    const stored = bounded(text, MAX_URL);
    expect(stored.length).toBeLessThanOrEqual(MAX_URL);
    expect(stored.endsWith(truncatedMarker(text.length))).toBe(true);
    expect(stored).not.toMatch(/[\ud800-\udbff](?![\udc00-\udfff])/);
    expect(Buffer.from(stored, 'utf8').toString('utf8')).toBe(stored);
  });
});
