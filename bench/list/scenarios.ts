import { FLEET, needleWords, userName, type FleetSpec } from '../../tests/support/fleet';
import type { ListQuery } from '@/lib/sources/types';

// What the benchmark asks, each run a little different so that neither side
// is served from Elasticsearch's request cache (the API and the bare requests
// get the same query in each run).

export interface Scenario {
  name: string;
  /** The query of run i; `cursor` is filled in by the runner for deep pages. */
  query(i: number): ListQuery;
  /** Pages to walk before measuring (a deep page). */
  depth?: number;
}

export function scenarios(spec: FleetSpec = FLEET): Scenario[] {
  const words = needleWords();
  const size = (i: number) => 45 + (i % 11);
  return [
    {
      name: 'List, newest first (first page)',
      query: (i) => ({ sort: 'start:desc', size: size(i) }),
    },
    {
      name: 'List as the page asks it (with facets)',
      query: (i) => ({ sort: 'start:desc', size: size(i), facets: true }),
    },
    {
      name: 'List of one user',
      query: (i) => ({
        sort: 'start:desc',
        size: 50,
        user: userName(i % Math.min(spec.users, 30)),
      }),
    },
    {
      name: 'List by duration (first page)',
      query: (i) => ({ sort: 'duration:desc', size: size(i) }),
    },
    {
      name: 'List by user, grouped (first page)',
      query: (i) => ({ sort: 'user:asc', size: size(i) }),
    },
    {
      name: 'List, page 10 (cursor)',
      query: (i) => ({ sort: 'start:desc', size: size(i) }),
      depth: 9,
    },
    {
      name: 'Search a word (text search)',
      query: (i) => ({ sort: 'start:desc', size: 50, q: words[i % words.length] ?? 'burst' }),
    },
    {
      name: 'Search a common word, one user, last 14 days',
      query: (i) => ({
        sort: 'start:desc',
        size: 50,
        q: ['burst', 'quick', 'stty', 'hello'][i % 4] ?? 'burst',
        user: userName(i % 10),
        fromMs: spec.anchorMs - 14 * 86_400_000,
      }),
    },
  ];
}
