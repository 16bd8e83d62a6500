import { describe, expect, it } from 'vitest';
import { revocationSearchBody } from '@/lib/audit/elasticsearch';
import { CACHE_MS, CachedRevocations } from '@/lib/auth/revocation';

// Revocations on Elasticsearch: the query (the cluster itself is in
// tests/integration/session-revocation.test.ts) and the cache in front of it,
// with a clock the test moves.

const T0 = Date.parse('2026-03-01T10:00:00.000Z');
const ALICE = 'local:alice';
const OIDC_ALICE = 'oidc:https://sso.example.com/realms/ops#7f3a';

describe('revocations on Elasticsearch', () => {
  it('are one term query on user.id for the latest sign-out or session-revoke', () => {
    expect(revocationSearchBody(OIDC_ALICE)).toEqual({
      size: 1,
      track_total_hits: false,
      _source: false,
      query: {
        bool: {
          filter: [
            { term: { 'user.id': OIDC_ALICE } },
            { terms: { 'event.action': ['sign-out', 'session-revoke'] } },
          ],
        },
      },
      sort: [{ '@timestamp': { order: 'desc' } }],
    });
  });

  function counted(answer: () => number | null) {
    let now = T0;
    const asked: string[] = [];
    const store = new CachedRevocations(
      async (id) => {
        asked.push(id);
        return answer();
      },
      { now: () => now },
    );
    return { store, asked, advance: (ms: number) => (now += ms) };
  }

  it('are cached per identity for at most CACHE_MS', async () => {
    let latest: number | null = null;
    const { store, asked, advance } = counted(() => latest);
    expect(CACHE_MS).toBe(5_000);
    expect(await store.notBefore(ALICE)).toBe(0);
    latest = T0 + 1; // Another instance signs alice out.
    advance(CACHE_MS - 1);
    expect(await store.notBefore(ALICE)).toBe(0);
    advance(1);
    expect(await store.notBefore(ALICE)).toBe(T0 + 1);
    expect(asked).toEqual([ALICE, ALICE]);
    // Another identity has its own entry.
    await store.notBefore(OIDC_ALICE);
    expect(asked).toEqual([ALICE, ALICE, OIDC_ALICE]);
  });

  it('count a sign-out made here at once, whatever the cache holds', async () => {
    const { store } = counted(() => null);
    expect(await store.notBefore(ALICE)).toBe(0);
    store.revoked(ALICE, T0 + 2);
    expect(await store.notBefore(ALICE)).toBe(T0 + 2);
  });

  it('ask once for concurrent checks of one identity, and not cache a failure', async () => {
    let fail = true;
    const { store, asked } = counted(() => {
      if (fail) throw new Error('cluster down');
      return T0;
    });
    await expect(store.notBefore(ALICE)).rejects.toThrow('cluster down');
    fail = false;
    const answers = await Promise.all([store.notBefore(ALICE), store.notBefore(ALICE)]);
    expect(answers).toEqual([T0, T0]);
    expect(asked).toHaveLength(2);
  });
});
