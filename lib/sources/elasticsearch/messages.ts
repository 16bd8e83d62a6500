import 'server-only';
import type { Readable } from 'node:stream';
import { errors, type Client } from '@elastic/elasticsearch';
import type { TransportResult } from '@elastic/transport';
import { closePit, openPit } from './backend';
import { readRawHits, type RawHits } from './raw-hits';
import { ndjsonChunks } from '../ndjson';
import type { IdRange, MessageStream, Scope } from '../types';
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
//
// A page is read as bytes and cut at hit boundaries (raw-hits.ts): each
// stored document is passed through as it came, not parsed into objects and
// written again (docs/architecture.md, "Reading a recording raw").

const FILTER_PATH = ['pit_id', 'hits.hits._source', 'hits.hits.sort'];
const NO_SOURCE = Buffer.from('null');

export async function readMessages(
  client: Client,
  index: string,
  fields: FieldNames,
  scope: Scope,
  id: string,
  onError: (err: unknown) => Error,
  signal?: AbortSignal,
  range?: IdRange,
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
  const search = async (after: unknown[] | undefined, size: number): Promise<RawHits> => {
    const body = messagesPageBody(fields, scope, id, pit, after, size, range);
    const answer = (await client.search(
      {
        ...body,
        // Without a point in time the search names the indices itself.
        ...(pit === null ? { index, ...SEARCH_OPTIONS } : {}),
        filter_path: FILTER_PATH,
      },
      { signal, asStream: true, meta: true },
    )) as unknown as TransportResult<Readable>;
    const page = await rawPage(answer);
    if (pit !== null) pit = page.pitId ?? pit;
    return page;
  };
  let first: RawHits;
  try {
    first = await search(undefined, FIRST_PAGE_SIZE);
  } catch (err) {
    await close();
    throw onError(err);
  }
  if (first.hits.length === 0) {
    await close();
    return null;
  }

  // The kept messages of each page, as views into its bytes.
  async function* pages(): AsyncGenerator<Buffer[]> {
    let page = first;
    let size = FIRST_PAGE_SIZE;
    let lastId: number | undefined;
    try {
      for (;;) {
        const { hits } = page;
        // The next page is asked for before this one is written out, so that
        // Elasticsearch works while the response is written (at most two
        // pages are held). A failure surfaces when it is awaited.
        const after = page.lastSort;
        const more = after !== undefined && hits.length >= size;
        size = PAGE_SIZE;
        const next = more ? search(after, size) : null;
        next?.catch(() => undefined);
        const kept: Buffer[] = [];
        for (const hit of hits) {
          // Duplicates (an rsyslog retry indexed a message twice): keep the first.
          if (hit.id !== undefined && hit.id === lastId) continue;
          if (hit.id !== undefined) lastId = hit.id;
          // A hit without a source (a mapping that stores none) is a line
          // the player reports as malformed, not a message lost in silence.
          kept.push(hit.source ?? NO_SOURCE);
        }
        yield kept;
        if (!next) break;
        page = await next;
      }
    } catch (err) {
      throw onError(err);
    } finally {
      await close();
    }
  }
  const read = pages();
  async function* strings(): AsyncGenerator<string> {
    for await (const page of read) for (const source of page) yield source.toString('utf8');
  }
  async function* ndjson(): AsyncGenerator<Uint8Array> {
    for await (const page of read) yield* ndjsonChunks(page);
  }
  return {
    [Symbol.asyncIterator]: strings,
    ndjson,
    close: async () => {
      await read.return(undefined);
      await close();
    },
  };
}

/**
 * A search answer read whole and cut into hits. Asked for as a
 * stream, the client hands over every status: a refusal is thrown here as
 * the client's own ResponseError, so it maps to the same API error.
 */
async function rawPage(answer: TransportResult<Readable>): Promise<RawHits> {
  const chunks: Buffer[] = [];
  try {
    for await (const chunk of answer.body) chunks.push(chunk as Buffer);
  } catch (err) {
    // As the client words a body that stalls or is cut (undici's errors).
    const code = (err as { code?: unknown }).code;
    if (code === 'UND_ERR_BODY_TIMEOUT') throw new errors.TimeoutError('Request timed out', answer);
    if (code === 'UND_ERR_ABORTED' || (err as Error).name === 'AbortError')
      throw new errors.RequestAbortedError('Request has been aborted by the user', answer);
    throw new errors.ConnectionError(err instanceof Error ? err.message : String(err), answer);
  }
  const bytes = Buffer.concat(chunks);
  if (answer.statusCode !== null && answer.statusCode >= 400) {
    const text = bytes.toString('utf8');
    let body: unknown = text;
    try {
      body = JSON.parse(text);
    } catch {
      // A proxy's page, not JSON: kept as text for the log.
    }
    throw new errors.ResponseError({ ...answer, body });
  }
  return readRawHits(bytes);
}
