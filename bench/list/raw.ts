import { encodeCursor } from '@/lib/sources/listing/cursor';
import { decodeCursor } from '@/lib/sources/listing/cursor';
import {
  countBody,
  firstMatchAgg,
  recordingsPageBody,
} from '@/lib/sources/elasticsearch/list-queries';
import { DYNAMIC_FIELDS, summariesBody } from '@/lib/sources/elasticsearch/queries';
import { readPage } from '@/lib/sources/elasticsearch/reshape';
import { OPEN_SCOPE, type ListQuery } from '@/lib/sources/types';

// The Elasticsearch requests of one list call, sent bare (fetch, no client,
// no app): the same bodies, in the same order and parallelism as
// lib/sources/elasticsearch/list.ts. What Elasticsearch spends on a list.

export interface RawResult {
  ms: number;
  /** Sum of Elasticsearch's own `took` over the requests. */
  tookMs: number;
  ids: string[];
  nextCursor: string | null;
}

async function search(
  esUrl: string,
  index: string,
  body: unknown,
): Promise<{ took: number; aggregations?: unknown }> {
  const response = await fetch(
    `${esUrl}/${index}/_search?ignore_unavailable=true&allow_no_indices=true`,
    {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify(body),
    },
  );
  if (!response.ok)
    throw new Error(`Elasticsearch answered ${response.status}: ${await response.text()}`);
  return (await response.json()) as { took: number; aggregations?: unknown };
}

export async function rawList(esUrl: string, index: string, query: ListQuery): Promise<RawResult> {
  const started = performance.now();
  const cursor = query.cursor ? decodeCursor(query.cursor, query.sort) : null;
  const page = recordingsPageBody(DYNAMIC_FIELDS, OPEN_SCOPE, query, cursor);
  const [answer, counts] = await Promise.all([
    search(esUrl, index, page.body),
    query.facets || page.prunes
      ? search(esUrl, index, countBody(DYNAMIC_FIELDS, OPEN_SCOPE, query, query.facets === true))
      : null,
  ]);
  const read = readPage(page, answer.aggregations, query.size);
  const ids = read.entries.map((e) => e.id);
  let took = answer.took + (counts?.took ?? 0);
  if (ids.length > 0) {
    const match = firstMatchAgg(query);
    const summaries = await search(
      esUrl,
      index,
      summariesBody(DYNAMIC_FIELDS, OPEN_SCOPE, ids, match ? { hit: match } : {}, false),
    );
    took += summaries.took;
  }
  return {
    ms: performance.now() - started,
    tookMs: took,
    ids,
    nextCursor: read.next
      ? encodeCursor(query.sort, read.next.position, read.next.groupDone)
      : null,
  };
}
