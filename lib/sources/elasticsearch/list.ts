import 'server-only';
import type { Client } from '@elastic/elasticsearch';
import type { ListQuery, ListResult, RecordingSummary, Scope } from '../types';
import { decodeCursor, encodeCursor } from '../listing/cursor';
import { countBody, EXACT_TOTAL_UP_TO, firstMatchAgg, recordingsPageBody } from './list-queries';
import { SEARCH_OPTIONS, summariesBody, type FieldNames } from './queries';
import {
  hasDuplicates,
  readFacets,
  readPage,
  readTotal,
  toSummary,
  type RecordingBucket,
} from './reshape';

// The list in three requests: facets (when asked) run beside phase one,
// which picks the page's recordings in order; phase two then summarizes
// those recordings over all their messages.

export interface Target {
  client: Client;
  index: string;
  fields: FieldNames;
}

async function summarize(
  target: Target,
  scope: Scope,
  ids: string[],
  extra: Record<string, unknown>,
  exact: boolean,
) {
  const response = await target.client.search({
    index: target.index,
    ...SEARCH_OPTIONS,
    ...summariesBody(target.fields, scope, ids, extra, exact),
  });
  const aggs = response.aggregations as { recs?: { buckets: RecordingBucket[] } } | undefined;
  return aggs?.recs?.buckets ?? [];
}

/**
 * Summaries of the given recordings, in the given order. Messages are counted
 * as documents first; a recording with more documents than message ids holds
 * duplicates (an rsyslog retry) and is counted again exactly. A recording
 * with both duplicates and as many missing messages shows here fewer gaps
 * than it has; `get` (its own page) is always exact.
 */
export async function fetchSummaries(
  target: Target,
  scope: Scope,
  ids: string[],
  query?: ListQuery,
): Promise<RecordingSummary[]> {
  if (ids.length === 0) return [];
  const match = query ? firstMatchAgg(query) : null;
  const extra = match ? { hit: match } : {};
  const exact = ids.length === 1;
  const buckets = await summarize(target, scope, ids, extra, exact);
  const doubled = exact ? [] : buckets.filter((b) => hasDuplicates(b)).map((b) => String(b.key));
  if (doubled.length > 0) {
    const again = new Map(
      (await summarize(target, scope, doubled, extra, true)).map((b) => [String(b.key), b]),
    );
    buckets.forEach((b, i) => {
      const fixed = again.get(String(b.key));
      if (fixed) buckets[i] = fixed;
    });
  }
  const now = Date.now();
  const summaries = buckets.map((b) => toSummary(b, now)).filter((s) => s !== null);
  const order = new Map(ids.map((id, i) => [id, i]));
  return summaries.sort((a, b) => (order.get(a.id) ?? 0) - (order.get(b.id) ?? 0));
}

export async function listRecordings(
  target: Target,
  scope: Scope,
  query: ListQuery,
): Promise<ListResult> {
  const cursor = query.cursor === undefined ? null : decodeCursor(query.cursor, query.sort);
  const page = recordingsPageBody(target.fields, scope, query, cursor);
  const search = (body: Record<string, unknown>) =>
    target.client.search({ index: target.index, ...SEARCH_OPTIONS, ...body });
  const [answer, counts] = await Promise.all([
    search(page.body),
    query.facets || page.prunes
      ? search(countBody(target.fields, scope, query, query.facets === true))
      : null,
  ]);
  const read = readPage(page, answer.aggregations, query.size);
  const total = readTotal(page.prunes ? counts?.aggregations : answer.aggregations);
  const items = await fetchSummaries(
    target,
    scope,
    read.entries.map((e) => e.id),
    query,
  );
  return {
    items,
    nextCursor: read.next
      ? encodeCursor(query.sort, read.next.position, read.next.groupDone)
      : null,
    total,
    ...(page.approximateTotal || total > EXACT_TOTAL_UP_TO ? { totalApproximate: true } : {}),
    ...(query.facets && counts ? { facets: readFacets(counts.aggregations) } : {}),
  };
}
