import 'server-only';
import type { Client } from '@elastic/elasticsearch';
import type { Scope, TailMessage, TailRequest } from '../types';
import { SEARCH_OPTIONS, tailBody, type FieldNames } from './queries';

// One poll of a followed recording (lib/live): a single search, sorted by id,
// for what is above the last id delivered and for the ids still missing.

interface TailPage {
  hits?: { hits?: { _source?: unknown }[] };
}

export async function readTail(
  client: Client,
  index: string,
  fields: FieldNames,
  scope: Scope,
  id: string,
  request: TailRequest,
  signal?: AbortSignal,
): Promise<TailMessage[]> {
  const page: TailPage = await client.search(
    {
      index,
      ...SEARCH_OPTIONS,
      ...tailBody(fields, scope, id, request.afterId, request.missing, request.limit),
      filter_path: ['hits.hits._source'],
    },
    { signal },
  );
  const found: TailMessage[] = [];
  for (const hit of page.hits?.hits ?? []) {
    const message = tailMessage(hit._source);
    if (message) found.push(message);
  }
  return found;
}

/** The fields live follow needs, or null for a document that is not a tlog message. */
export function tailMessage(source: unknown): TailMessage | null {
  if (typeof source !== 'object' || source === null) return null;
  const { id, host, user, time } = source as Record<string, unknown>;
  if (typeof id !== 'number' || !Number.isSafeInteger(id) || id < 1) return null;
  return {
    id,
    host: typeof host === 'string' ? host : '',
    user: typeof user === 'string' ? user : '',
    timeMs: typeof time === 'number' && Number.isFinite(time) ? Math.round(time * 1000) : null,
    line: JSON.stringify(source),
  };
}
