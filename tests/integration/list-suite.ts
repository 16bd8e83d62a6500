import { describe, expect, it } from 'vitest';
import { AppError } from '@/lib/errors';
import { OPEN_SCOPE } from '@/lib/sources/types';
import { NO_SESSION, type FleetRecording } from '../support/fleet';
import { counts, expected, ids, sameFigures, walk, type ListContext } from './list-oracle';
import { textSuite } from './list-suite-text';

// The recordings list on a generated fleet (tests/support/fleet/index.ts), the
// same tests for each source: list-elasticsearch.test.ts and
// list-files.test.ts. The generator's own account of each recording is
// the oracle.

export type { ListContext } from './list-oracle';

export function listSuite(ctx: ListContext) {
  const byRec = () => new Map(ctx.oracle().map((r) => [r.rec, r]));

  describe('order and paging', () => {
    it('pages through every recording, newest first, with whole-recording figures', async () => {
      const { items, pages, totals } = await walk(ctx.source(), {});
      expect(ids(items)).toEqual(expected(ctx.oracle(), 'start:desc'));
      expect(pages).toBe(Math.ceil(ctx.oracle().length / 500));
      expect(totals).toEqual([ctx.oracle().length]);
      const map = byRec();
      for (const item of items) sameFigures(item, map.get(item.id));
    });

    for (const sort of [
      'start:asc',
      'duration:desc',
      'duration:asc',
      'user:asc',
      'user:desc',
      'host:asc',
      'host:desc',
    ] as const) {
      it(`sorts by ${sort} across pages`, async () => {
        const { items } = await walk(ctx.source(), {
          sort,
          size: sort.startsWith('user') ? 300 : 500,
        });
        expect(ids(items)).toEqual(expected(ctx.oracle(), sort));
      });
    }

    it('refuses a cursor that is not one, or that belongs to another order', async () => {
      const source = ctx.source();
      const first = await source.list(OPEN_SCOPE, { sort: 'start:desc', size: 5 });
      const cursor = first.nextCursor ?? '';
      await expect(
        source.list(OPEN_SCOPE, { sort: 'start:asc', size: 5, cursor }),
      ).rejects.toMatchObject({
        code: 'bad_request',
        message: expect.stringContaining('sorted by start:desc'),
      });
      for (const bad of ['nonsense', Buffer.from('{"v":2}').toString('base64url')]) {
        const error = await source
          .list(OPEN_SCOPE, { sort: 'start:desc', size: 5, cursor: bad })
          .catch((e: unknown) => e);
        expect(error).toBeInstanceOf(AppError);
        expect(error).toMatchObject({ code: 'bad_request' });
      }
    });
  });

  describe('filters', () => {
    it('by one user, several users, hosts and a session', async () => {
      const source = ctx.source();
      const oracle = ctx.oracle();
      const alice = await walk(source, { user: 'alice' });
      expect(ids(alice.items)).toEqual(expected(oracle, 'start:desc', (r) => r.user === 'alice'));
      const pair = await walk(source, {
        user: ['bob', 'carol'],
        host: ['db-1.prod.example.com', 'web-1.prod.example.com'],
        sort: 'user:asc',
        size: 7,
      });
      const inPair = (r: FleetRecording) =>
        ['bob', 'carol'].includes(r.user) &&
        ['db-1.prod.example.com', 'web-1.prod.example.com'].includes(r.host);
      expect(ids(pair.items)).toEqual(expected(oracle, 'user:asc', inPair));
      const session = oracle.find((r) => r.session !== NO_SESSION)?.session ?? 0;
      const one = await walk(source, { session });
      expect(ids(one.items)).toEqual(expected(oracle, 'start:desc', (r) => r.session === session));
      const none = await walk(source, { session: NO_SESSION, sort: 'duration:desc' });
      expect(ids(none.items)).toEqual(
        expected(oracle, 'duration:desc', (r) => r.session === NO_SESSION),
      );
    });

    it('by time: active during the range, with the start and duration of the whole recording', async () => {
      const oracle = ctx.oracle();
      // From the middle of a long recording: it must be listed, whole.
      const long = [...oracle].sort((a, b) => b.lastPos - a.lastPos)[0];
      if (!long) throw new Error('empty fleet');
      const fromMs = long.startMs + (long.times[Math.floor(long.times.length / 2)] ?? 0);
      const toMs = fromMs + 12 * 3_600_000;
      // A message at or after `from` and one at or before `to`: also a
      // recording idle through the whole range.
      const activeDuring = (from: number, to: number) => (r: FleetRecording) =>
        r.times.some((t) => r.startMs + t >= from) && r.times.some((t) => r.startMs + t <= to);
      const inRange = activeDuring(fromMs, toMs);
      for (const sort of ['start:asc', 'duration:desc'] as const) {
        const { items, totals, approximate } = await walk(ctx.source(), {
          fromMs,
          toMs,
          sort,
          size: 40,
        });
        expect(ids(items)).toEqual(expected(oracle, sort, inRange));
        // Exact, or said to be an estimate (over messages, two conditions: an upper bound).
        if (approximate) expect(totals[0]).toBeGreaterThanOrEqual(items.length);
        else expect(totals).toEqual([items.length]);
      }
      // A range inside a recording's idle pause: no message of it falls in
      // the range, and it is listed (with every other recording active then).
      const idle = oracle.flatMap((r) => {
        const i = r.times.findIndex((t, k) => k > 0 && t - (r.times[k - 1] ?? t) > 2000);
        const before = r.times[i - 1];
        const next = r.times[i];
        return i > 0 && before !== undefined && next !== undefined
          ? [{ rec: r.rec, fromMs: r.startMs + before + 1, toMs: r.startMs + next - 1 }]
          : [];
      })[0];
      if (!idle) throw new Error('no recording of the fleet pauses for 2 s');
      const through = await walk(ctx.source(), {
        fromMs: idle.fromMs,
        toMs: idle.toMs,
        sort: 'start:asc',
      });
      expect(ids(through.items)).toContain(idle.rec);
      expect(ids(through.items)).toEqual(
        expected(oracle, 'start:asc', activeDuring(idle.fromMs, idle.toMs)),
      );
      const item = (
        await ctx.source().list(OPEN_SCOPE, {
          fromMs,
          toMs,
          user: long.user,
          host: long.host,
          sort: 'start:asc',
          size: 500,
        })
      ).items.find((i) => i.id === long.rec);
      if (!item) throw new Error('the recording across the range start is missing');
      sameFigures(item, long);
      expect(Date.parse(item.start)).toBeLessThan(fromMs);
    });

    it('by minimum duration (the last message starts that late)', async () => {
      const { items } = await walk(ctx.source(), {
        minDurationMs: 120_000,
        sort: 'start:asc',
        size: 100,
      });
      expect(ids(items)).toEqual(expected(ctx.oracle(), 'start:asc', (r) => r.lastPos >= 120_000));
      for (const item of items) expect(item.durationMs).toBeGreaterThanOrEqual(120_000);
    });

    it('applies the scope inside every query', async () => {
      const scope = { hosts: ['db-*'], users: ['*'] };
      const { items } = await walk(ctx.source(), { sort: 'host:asc' }, scope);
      expect(ids(items)).toEqual(
        expected(ctx.oracle(), 'host:asc', (r) => r.host.startsWith('db-')),
      );
      const outside = ctx.oracle().find((r) => !r.host.startsWith('db-'));
      expect(await ctx.source().get(scope, outside?.rec ?? '')).toBeNull();
    });

    it('counts recordings by user and by host, each facet ignoring its own filter', async () => {
      const oracle = ctx.oracle();
      const result = await ctx
        .source()
        .list(OPEN_SCOPE, { sort: 'start:desc', size: 1, facets: true, user: 'alice' });
      expect(result.total).toBe(oracle.filter((r) => r.user === 'alice').length);
      expect(result.facets?.users).toEqual(counts(oracle, 'user'));
      expect(result.facets?.hosts).toEqual(
        counts(
          oracle.filter((r) => r.user === 'alice'),
          'host',
        ),
      );
    });
  });

  textSuite(ctx);
}
