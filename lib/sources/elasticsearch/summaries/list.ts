import 'server-only';
import type { Client } from '@elastic/elasticsearch';
import { decodeCursor, encodeCursor } from '../../listing/cursor';
import { sortPlan } from '../../listing/order';
import type {
  Facets,
  ListQuery,
  ListResult,
  RecordingSummary,
  Scope,
  TextMatch,
} from '../../types';
import { FACET_SIZE } from '../list-queries';
import { SEARCH_OPTIONS, type FieldNames } from '../queries';
import { toMatch } from '../reshape';
import { summaryOf, type SummaryDocument } from './document';
import {
  firstMatchesBody,
  summaryFacetsBody,
  summaryPageBody,
  TEXT_RECORDINGS_LIMIT,
  textRecordingsBody,
} from './queries';

// The list on the summaries index: one sorted search with search_after and
// an exact total, facets as terms on summary fields; a text search first
// finds its recordings from the matching messages, then lists their
// summaries. Same answers as the list over messages (list.ts), for a cost
// that follows the page, not the index.

export interface SummaryTarget {
  client: Client;
  /** ES_INDEX: the messages, and the key of this deployment's summaries. */
  index: string;
  summaryIndex: string;
  fields: FieldNames;
}

interface Bucket {
  key: string;
  doc_count: number;
}

/**
 * The recordings a text search finds, or `null` when there are more than
 * TEXT_RECORDINGS_LIMIT (the list over messages answers those).
 */
async function textRecordings(target: SummaryTarget, scope: Scope, query: ListQuery) {
  const answer = await target.client.search({
    index: target.index,
    ...SEARCH_OPTIONS,
    ...textRecordingsBody(target.fields, scope, query),
  });
  const aggs = answer.aggregations as
    | { n?: { value: number }; recs?: { buckets: Bucket[]; sum_other_doc_count?: number } }
    | undefined;
  if ((aggs?.recs?.sum_other_doc_count ?? 0) > 0) return null;
  return (aggs?.recs?.buckets ?? []).map((b) => String(b.key));
}

async function firstMatches(
  target: SummaryTarget,
  scope: Scope,
  recs: string[],
  query: ListQuery,
): Promise<Map<string, TextMatch>> {
  if (recs.length === 0 || query.q === undefined) return new Map();
  const answer = await target.client.search({
    index: target.index,
    ...SEARCH_OPTIONS,
    ...firstMatchesBody(target.fields, scope, recs, query),
  });
  const buckets =
    (answer.aggregations?.recs as { buckets: (Bucket & { hit?: { first?: never } })[] } | undefined)
      ?.buckets ?? [];
  const matches = new Map<string, TextMatch>();
  for (const bucket of buckets) {
    const match = toMatch(bucket.hit?.first);
    if (match) matches.set(String(bucket.key), match);
  }
  return matches;
}

function readFacets(aggregations: unknown): Facets {
  const aggs = (aggregations ?? {}) as Record<string, { top?: { buckets: Bucket[] } }>;
  const list = (name: string) =>
    (aggs[name]?.top?.buckets ?? []).map((b) => ({ value: String(b.key), count: b.doc_count }));
  return { users: list('users'), hosts: list('hosts') };
}

/** The list, or null when a text search finds too many recordings for this path. */
export async function listOnSummaries(
  target: SummaryTarget,
  scope: Scope,
  query: ListQuery,
): Promise<ListResult | null> {
  const cursor = query.cursor === undefined ? null : decodeCursor(query.cursor, query.sort);
  const recs = query.q !== undefined ? await textRecordings(target, scope, query) : null;
  if (query.q !== undefined && recs === null) return null;
  if (recs !== null && recs.length === 0) {
    return {
      items: [],
      nextCursor: null,
      total: 0,
      ...(query.facets ? { facets: { users: [], hosts: [] } } : {}),
    };
  }
  const search = (body: Record<string, unknown>) =>
    target.client.search<SummaryDocument>({
      index: target.summaryIndex,
      ...SEARCH_OPTIONS,
      ...body,
    });
  const [page, facets] = await Promise.all([
    search(summaryPageBody(target.index, scope, query, cursor, recs)),
    query.facets ? search(summaryFacetsBody(target.index, scope, query, recs, FACET_SIZE)) : null,
  ]);
  const plan = sortPlan(query.sort);
  const hits = page.hits.hits.filter((h) => h._source);
  const shown = hits.slice(0, query.size);
  const matches = await firstMatches(
    target,
    scope,
    shown.map((h) => h._source?.rec ?? ''),
    query,
  );
  const now = Date.now();
  const items = shown.map((hit): RecordingSummary => {
    const doc = hit._source as SummaryDocument;
    const summary = summaryOf(doc, now);
    const match = matches.get(doc.rec);
    return match ? { ...summary, match } : summary;
  });
  const last = shown[shown.length - 1]?._source;
  const total =
    typeof page.hits.total === 'number' ? page.hits.total : (page.hits.total?.value ?? 0);
  return {
    items,
    nextCursor:
      hits.length > query.size && last
        ? encodeCursor(query.sort, {
            ...(plan.group ? { group: last[plan.group] } : {}),
            metric: plan.metric === 'start' ? last.first_ts : last.last_pos,
            rec: last.rec,
          })
        : null,
    total,
    ...(facets ? { facets: readFacets(facets.aggregations) } : {}),
  };
}

export { TEXT_RECORDINGS_LIMIT };
