import 'server-only';
import type { Client } from '@elastic/elasticsearch';
import { decodeCursor, encodeCursor, type ListCursor } from '../../listing/cursor';
import { sortPlan } from '../../listing/order';
import type {
  CommandMatch,
  Facets,
  ListQuery,
  ListResult,
  RecordingSummary,
  Scope,
  TextMatch,
} from '../../types';
import { countBody, EXACT_TOTAL_UP_TO, FACET_SIZE } from '../list-queries';
import { SEARCH_OPTIONS, type FieldNames } from '../queries';
import { readFacets as readMessageFacets, readTotal, toMatch } from '../reshape';
import { summaryOf, type SummaryDocument } from './document';
import {
  COMMAND_MARK,
  COMMON_BATCH,
  COMMON_MAX_BATCHES,
  firstMatchesBody,
  summaryFacetsBody,
  summaryPageBody,
  TEXT_RECORDINGS_LIMIT,
  textAmongBody,
  textCountBody,
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

/** The first command line a `cmd` search matched in a summary, from its highlight. */
function matchedCommand(
  doc: SummaryDocument,
  highlight: Record<string, string[]> | undefined,
): CommandMatch | null {
  const marked = highlight?.command_lines?.[0];
  if (marked === undefined) return null;
  const line = marked.replaceAll(COMMAND_MARK.pre, '').replaceAll(COMMAND_MARK.post, '');
  // OpenSearch trims the highlighted value (lib/sources/listing/text.ts, alignHighlight).
  const command =
    doc.commands?.find((c) => c.line === line) ??
    doc.commands?.find((c) => c.line.trim() === line.trim());
  return command ? { atMs: command.t, line: command.line, cwd: command.cwd } : null;
}

function readFacets(aggregations: unknown): Facets {
  const aggs = (aggregations ?? {}) as Record<string, { top?: { buckets: Bucket[] } }>;
  const list = (name: string) =>
    (aggs[name]?.top?.buckets ?? []).map((b) => ({ value: String(b.key), count: b.doc_count }));
  return { users: list('users'), hosts: list('hosts') };
}

/** Whether the text is in more than TEXT_RECORDINGS_LIMIT messages (a cheap, capped count). */
async function isCommon(target: SummaryTarget, scope: Scope, query: ListQuery): Promise<boolean> {
  const answer = await target.client.search({
    index: target.index,
    ...SEARCH_OPTIONS,
    ...textCountBody(target.fields, scope, query),
  });
  const total = answer.hits.total;
  return typeof total === 'object' && total.relation === 'gte';
}

/**
 * A common word, page by page: the summaries in the list's order from the
 * cursor, COMMON_BATCH at a time, each batch kept to the recordings with a
 * matching message, until the page (plus one) is full. The cost follows the
 * page (a common word fills it within a batch or two); a word that is common
 * in messages but found in few recordings gives up after COMMON_MAX_BATCHES
 * (null: the list over messages answers).
 */
async function commonWordPage(
  target: SummaryTarget,
  scope: Scope,
  query: ListQuery,
): Promise<string[] | null> {
  const plan = sortPlan(query.sort);
  const found: string[] = [];
  let cursor = query.cursor === undefined ? null : decodeCursor(query.cursor, query.sort);
  for (let batch = 0; found.length <= query.size; batch++) {
    if (batch === COMMON_MAX_BATCHES) return null;
    const page = await target.client.search<SummaryDocument>({
      index: target.summaryIndex,
      ...SEARCH_OPTIONS,
      ...summaryPageBody(target.index, scope, { ...query, size: COMMON_BATCH - 1 }, cursor),
      track_total_hits: false,
      _source: ['rec', 'first_ts', 'last_pos', 'user', 'host'],
    });
    const docs = page.hits.hits.flatMap((h) => (h._source ? [h._source] : []));
    if (docs.length === 0) break;
    const among = await target.client.search({
      index: target.index,
      ...SEARCH_OPTIONS,
      ...textAmongBody(
        target.fields,
        scope,
        query,
        docs.map((d) => d.rec),
      ),
    });
    const matching = new Set(
      ((among.aggregations?.recs as { buckets: Bucket[] } | undefined)?.buckets ?? []).map((b) =>
        String(b.key),
      ),
    );
    for (const doc of docs) if (matching.has(doc.rec)) found.push(doc.rec);
    if (docs.length < COMMON_BATCH) break;
    const last = docs[docs.length - 1] as SummaryDocument;
    cursor = {
      position: {
        ...(plan.group ? { group: last[plan.group] } : {}),
        metric: plan.metric === 'start' ? last.first_ts : last.last_pos,
        rec: last.rec,
      },
      groupDone: false,
    };
  }
  return found.slice(0, query.size + 1);
}

/** The list, or null when a text search finds too many recordings for this path. */
export async function listOnSummaries(
  target: SummaryTarget,
  scope: Scope,
  query: ListQuery,
): Promise<ListResult | null> {
  if (query.q !== undefined && (await isCommon(target, scope, query))) {
    // The total and facets from the matching messages, meanwhile (their cost follows the matches).
    const counts = target.client.search({
      index: target.index,
      ...SEARCH_OPTIONS,
      ...countBody(target.fields, scope, query, query.facets === true),
    });
    counts.catch(() => undefined);
    const recs = await commonWordPage(target, scope, query);
    if (!recs) return null;
    const aggregations = (await counts).aggregations;
    const total = readTotal(aggregations);
    return listed(target, scope, query, null, recs, {
      total,
      approximate: total > EXACT_TOTAL_UP_TO,
      facets: query.facets ? readMessageFacets(aggregations) : null,
    });
  }
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
  return listed(target, scope, query, cursor, recs, null);
}

/**
 * A page of summaries in the list's order (from the cursor; of `recs` only
 * when given), with its total and facets unless `counted` brings them.
 */
async function listed(
  target: SummaryTarget,
  scope: Scope,
  query: ListQuery,
  cursor: ListCursor | null,
  recs: string[] | null,
  counted: { total: number; approximate: boolean; facets: Facets | null } | null,
): Promise<ListResult> {
  const search = (body: Record<string, unknown>) =>
    target.client.search<SummaryDocument>({
      index: target.summaryIndex,
      ...SEARCH_OPTIONS,
      ...body,
    });
  const [page, facets] = await Promise.all([
    search(summaryPageBody(target.index, scope, query, cursor, recs)),
    query.facets && !counted
      ? search(summaryFacetsBody(target.index, scope, query, recs, FACET_SIZE))
      : null,
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
    const command = query.cmd !== undefined ? matchedCommand(doc, hit.highlight) : null;
    return { ...summary, ...(match ? { match } : {}), ...(command ? { command } : {}) };
  });
  const last = shown[shown.length - 1]?._source;
  const total = counted
    ? counted.total
    : typeof page.hits.total === 'number'
      ? page.hits.total
      : (page.hits.total?.value ?? 0);
  const facetsOut = counted ? counted.facets : facets ? readFacets(facets.aggregations) : null;
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
    ...(counted?.approximate ? { totalApproximate: true } : {}),
    ...(facetsOut ? { facets: facetsOut } : {}),
  };
}

export { TEXT_RECORDINGS_LIMIT };
