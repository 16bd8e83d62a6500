import { describe, expect, it } from 'vitest';
import { OPEN_SCOPE } from '@/lib/sources/types';
import { fixtureLines } from '../support/fixtures';
import { needleWords, type FleetRecording } from '../support/fleet';
import { expected, ids, liveLines, sameFigures, walk, type ListContext } from './list-oracle';

// Text search and live recordings, part of listSuite (list-suite.ts).

export function textSuite(ctx: ListContext) {
  const byRec = () => new Map(ctx.oracle().map((r) => [r.rec, r]));

  describe('text search', () => {
    it('finds every recording that printed a word, with a snippet and the moment it appeared', async () => {
      const oracle = ctx.oracle();
      for (const word of needleWords().slice(0, 3)) {
        const want = oracle.filter((r) => r.found[word] !== undefined);
        expect(want.length).toBeGreaterThan(3);
        const { items, totals } = await walk(ctx.source(), { q: word, size: 10 });
        expect(ids(items)).toEqual(
          expected(oracle, 'start:desc', (r) => r.found[word] !== undefined),
        );
        expect(totals).toEqual([want.length]);
        const map = byRec();
        for (const item of items) {
          sameFigures(item, map.get(item.id));
          expect(item.match?.atMs, item.id).toBe(map.get(item.id)?.found[word]);
          const hits = item.match?.snippet.filter((p) => p.hit).map((p) => p.text.toLowerCase());
          expect(hits).toContain(word);
        }
      }
    });

    it('combines text with users, time, phrases and minimum duration', async () => {
      const oracle = ctx.oracle();
      const burst = (r: FleetRecording) => r.found.burst !== undefined;
      const phrase = await walk(ctx.source(), {
        q: '"before the burst"',
        sort: 'start:asc',
        size: 100,
      });
      expect(ids(phrase.items)).toEqual(expected(oracle, 'start:asc', burst));
      const users = await walk(ctx.source(), { q: 'burst', user: ['alice', 'bob'] });
      expect(ids(users.items)).toEqual(
        expected(oracle, 'start:desc', (r) => burst(r) && ['alice', 'bob'].includes(r.user)),
      );
      const hosts = ['db-1.prod.example.com', 'web-2.prod.example.com', 'cache-3.prod.example.com'];
      const either = await walk(ctx.source(), {
        q: 'stty | quick',
        host: hosts,
        sort: 'duration:desc',
        size: 60,
      });
      expect(ids(either.items)).toEqual(
        expected(
          oracle,
          'duration:desc',
          (r) =>
            hosts.includes(r.host) && (r.found.stty !== undefined || r.found.quick !== undefined),
        ),
      );
      const long = await walk(ctx.source(), { q: 'quick', minDurationMs: 60_000, size: 100 });
      expect(ids(long.items)).toEqual(
        expected(oracle, 'start:desc', (r) => r.found.quick !== undefined && r.lastPos >= 60_000),
      );
      const timed = oracle.filter(burst)[0];
      if (!timed) throw new Error('no burst');
      const at = timed.startMs + (timed.found.burst ?? 0);
      const window = await ctx.source().list(OPEN_SCOPE, {
        q: 'burst',
        fromMs: at - 60_000,
        toMs: at + 60_000,
        sort: 'start:desc',
        size: 500,
      });
      expect(ids(window.items)).toContain(timed.rec);
      const nothing = await ctx
        .source()
        .list(OPEN_SCOPE, { q: 'qqqzzzxx', sort: 'start:desc', size: 10 });
      expect(nothing).toMatchObject({ items: [], nextCursor: null, total: 0 });
    });

    const { tiny } = ctx;
    it.runIf(tiny)('pages past 10,000 recordings and 10,000 hits', async () => {
      const { source, count } = tiny!();
      expect(count).toBeGreaterThan(10_000);
      const all = await walk(source, { q: 'stty', sort: 'start:asc' });
      expect(all.items.length).toBe(count);
      // Elasticsearch's count is an estimate this high (within 0.1%), and says so.
      expect(all.totals.length).toBe(1);
      expect(Math.abs((all.totals[0] ?? 0) - count)).toBeLessThanOrEqual(count / 1000);
      const first = await source.list(OPEN_SCOPE, { sort: 'start:asc', size: 1, q: 'stty' });
      if (first.total !== count) expect(first.totalApproximate).toBe(true);
      expect(all.items.map((i) => i.id)).toEqual([...all.items.map((i) => i.id)].sort());
    });
  });

  describe('live recordings', () => {
    it('are marked in progress, and their duration grows as messages arrive', async () => {
      const { source, append } = ctx.live();
      // colors lasts 44 s: started a minute ago, its last message is recent.
      const lines = liveLines(fixtureLines('colors'), `live-${Date.now()}`, 60_000);
      await append(lines.slice(0, 4));
      const first = (await source.list(OPEN_SCOPE, { sort: 'start:desc', size: 10 })).items[0];
      expect(first?.live).toBe(true);
      await append(lines.slice(4));
      const later = (await source.list(OPEN_SCOPE, { sort: 'start:desc', size: 10 })).items[0];
      expect(later?.id).toBe(first?.id);
      expect(later?.durationMs).toBeGreaterThan(first?.durationMs ?? Infinity);
      expect(later?.messages).toBe(lines.length);
    });
  });
}
