import 'server-only';
import type { Client } from '@elastic/elasticsearch';
import { closePit, openPit } from './backend';
import type { MessageStream, Scope } from '../types';
import {
  FIRST_PAGE_SIZE,
  messagesPageBody,
  PAGE_SIZE,
  SEARCH_OPTIONS,
  type FieldNames,
} from './queries';

// A recording's messages in id order: search_after on `id` inside a point in
// time (so pages stay consistent and duplicates page correctly), or alone
// where the cluster has no point in time (OpenSearch before 2.4), never
// from/size; each page is requested while the one before is written out. The
// first page is read before answering, so that a missing or out-of-scope
// recording is known (null) without a separate query, and it is small, so
// that the first bytes leave quickly. The point in time is closed when the
// stream ends, fails, or is closed, also if it is closed before it was read
// (an audit write that fails, a client that leaves at once).

interface Page {
  pit_id?: string;
  hits: { hits: { _source?: unknown; sort?: unknown[] }[] };
}

const FILTER_PATH = ['pit_id', 'hits.hits._source', 'hits.hits.sort'];

export async function readMessages(
  client: Client,
  index: string,
  fields: FieldNames,
  scope: Scope,
  id: string,
  onError: (err: unknown) => Error,
  signal?: AbortSignal,
): Promise<MessageStream | null> {
  let pit: string | null;
  try {
    pit = await openPit(client, { index, keepAlive: '2m', signal });
  } catch (err) {
    throw onError(err);
  }
  let closed: Promise<void> | null = null;
  const close = () =>
    (closed ??= pit === null ? Promise.resolve() : closePit(client, pit).catch(() => undefined));
  const search = async (after: unknown[] | undefined, size: number): Promise<Page> => {
    const body = messagesPageBody(fields, scope, id, pit, after, size);
    const page: Page = await client.search(
      {
        ...body,
        // Without a point in time the search names the indices itself.
        ...(pit === null ? { index, ...SEARCH_OPTIONS } : {}),
        filter_path: FILTER_PATH,
      },
      { signal },
    );
    if (pit !== null) pit = page.pit_id ?? pit;
    return page;
  };
  let first: Page;
  try {
    first = await search(undefined, FIRST_PAGE_SIZE);
  } catch (err) {
    await close();
    throw onError(err);
  }
  if ((first.hits?.hits ?? []).length === 0) {
    await close();
    return null;
  }

  async function* lines(): AsyncGenerator<string> {
    let page = first;
    let size = FIRST_PAGE_SIZE;
    let lastId: number | undefined;
    try {
      for (;;) {
        const hits = page.hits?.hits ?? [];
        // The next page is asked for before this one is written out, so that
        // Elasticsearch works while the response is written (at most two
        // pages are held). A failure surfaces when it is awaited.
        const last = hits[hits.length - 1];
        const more = last?.sort !== undefined && hits.length >= size;
        size = PAGE_SIZE;
        const next = more ? search(last.sort, size) : null;
        next?.catch(() => undefined);
        for (const hit of hits) {
          const source = hit._source;
          const messageId =
            typeof source === 'object' && source !== null && 'id' in source ? source.id : undefined;
          // Duplicates (an rsyslog retry indexed a message twice): keep the first.
          if (typeof messageId === 'number' && messageId === lastId) continue;
          if (typeof messageId === 'number') lastId = messageId;
          yield JSON.stringify(source);
        }
        if (!next) break;
        page = await next;
      }
    } catch (err) {
      throw onError(err);
    } finally {
      await close();
    }
  }
  const generator = lines();
  return {
    [Symbol.asyncIterator]: () => generator,
    close: async () => {
      await generator.return(undefined);
      await close();
    },
  };
}
