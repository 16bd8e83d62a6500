import { expect } from 'vitest';
import { compareKeys } from '@/lib/sources/listing/order';
import {
  OPEN_SCOPE,
  type ListQuery,
  type RecordingSource,
  type RecordingSummary,
  type Scope,
  type Sort,
} from '@/lib/sources/types';
import type { FleetRecording } from '../support/fleet';

// What the list suites (list-suite*.ts) share: the context each source
// provides, a walk through every page, and the fleet oracle's orders.

export interface ListContext {
  source(): RecordingSource;
  oracle(): FleetRecording[];
  /**
   * Many one-message recordings showing `stty`; null where the run leaves the
   * 10,000-recording test to another cluster (LIST_TINY=off).
   */
  tiny: (() => { source: RecordingSource; count: number }) | null;
  /** A recording being written now: add its next messages. */
  live(): { source: RecordingSource; append(lines: string[]): Promise<void> };
}

type Query = Omit<ListQuery, 'size' | 'sort'> & { size?: number; sort?: Sort };

/** Every page from the first to the end; checks that pages neither repeat nor skip. */
export async function walk(source: RecordingSource, query: Query, scope: Scope = OPEN_SCOPE) {
  const items: RecordingSummary[] = [];
  const totals = new Set<number>();
  let approximate = false;
  let cursor: string | undefined;
  let pages = 0;
  for (;;) {
    const page = await source.list(scope, {
      sort: 'start:desc',
      size: 500,
      ...query,
      ...(cursor ? { cursor } : {}),
    });
    pages += 1;
    totals.add(page.total);
    approximate ||= page.totalApproximate === true;
    items.push(...page.items);
    if (!page.nextCursor) break;
    // Grouped orders may end a page early at a group boundary; others fill it.
    const grouped = /^(user|host):/.test(query.sort ?? '');
    if (grouped) expect(page.items.length).toBeGreaterThan(0);
    else expect(page.items.length, 'a page with a next page is full').toBe(query.size ?? 500);
    cursor = page.nextCursor;
    if (pages > 100) throw new Error('too many pages');
  }
  expect(new Set(items.map((i) => i.id)).size, 'no recording twice').toBe(items.length);
  return { items, pages, totals: [...totals], approximate };
}

export const desc = (d: number) => -d;
export const ORDERS: Record<Sort, (a: FleetRecording, b: FleetRecording) => number> = {
  'start:desc': (a, b) => desc(a.startMs - b.startMs || compareKeys(a.rec, b.rec)),
  'start:asc': (a, b) => a.startMs - b.startMs || compareKeys(a.rec, b.rec),
  'duration:desc': (a, b) => desc(a.lastPos - b.lastPos || compareKeys(a.rec, b.rec)),
  'duration:asc': (a, b) => a.lastPos - b.lastPos || compareKeys(a.rec, b.rec),
  'user:asc': (a, b) => compareKeys(a.user, b.user) || ORDERS['start:desc'](a, b),
  'user:desc': (a, b) => desc(compareKeys(a.user, b.user)) || ORDERS['start:desc'](a, b),
  'host:asc': (a, b) => compareKeys(a.host, b.host) || ORDERS['start:desc'](a, b),
  'host:desc': (a, b) => desc(compareKeys(a.host, b.host)) || ORDERS['start:desc'](a, b),
};

export const ids = (list: { id?: string; rec?: string }[]) => list.map((r) => r.id ?? r.rec);
export const expected = (
  oracle: FleetRecording[],
  sort: Sort,
  keep: (r: FleetRecording) => boolean = () => true,
) =>
  oracle
    .filter(keep)
    .sort(ORDERS[sort])
    .map((r) => r.rec);

export function sameFigures(item: RecordingSummary, r: FleetRecording | undefined) {
  expect(r, item.id).toBeDefined();
  if (!r) return;
  expect(item).toMatchObject({
    host: r.host,
    user: r.user,
    session: r.session,
    start: new Date(r.startMs).toISOString(),
    durationMs: r.durationMs,
    messages: r.messages,
    gaps: r.gaps,
    hasInput: r.hasInput,
  });
  expect(item.live).toBeUndefined();
}

export function counts(list: FleetRecording[], key: 'user' | 'host') {
  const map = new Map<string, number>();
  for (const r of list) map.set(r[key], (map.get(r[key]) ?? 0) + 1);
  return [...map]
    .map(([value, count]) => ({ value, count }))
    .sort((a, b) => b.count - a.count || compareKeys(a.value, b.value))
    .slice(0, 12);
}

/** Fixture lines re-timed to have started `agoMs` ago, as one recording `rec`. */
export function liveLines(lines: string[], rec: string, agoMs: number): string[] {
  const first = JSON.parse(lines[0] ?? '{}') as { time: number; pos: number };
  const shift = Date.now() - agoMs - (first.time * 1000 - first.pos);
  return lines.map((line) => {
    const m = JSON.parse(line) as { time: number };
    return JSON.stringify({ ...m, rec, time: Math.round(m.time * 1000 + shift) / 1000 });
  });
}
