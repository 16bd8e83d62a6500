import { createServer, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { AppError } from '@/lib/errors';
import { createClient, sourceError } from '@/lib/sources/elasticsearch/client';
import { readMessages } from '@/lib/sources/elasticsearch/messages';
import { DYNAMIC_FIELDS } from '@/lib/sources/elasticsearch/queries';
import { OPEN_SCOPE } from '@/lib/sources/types';

// The messages reader takes each page as a raw stream (raw-hits.ts), so the
// client no longer turns a bad answer into its error by itself: a page that
// stalls, is cut, or is refused must still become the API error it was.
// These are network failures a real cluster cannot be made to show on cue:
// an HTTP server on 127.0.0.1 answers the point in time and then fails the
// page. The real clusters' paging is in the integration suite.

let server: Server | null = null;

afterEach(async () => {
  await new Promise<void>((resolve) => (server ? server.close(() => resolve()) : resolve()));
  server = null;
});

/** A cluster whose point in time opens, and whose searches `page` answers. */
async function cluster(page: (response: ServerResponse) => void): Promise<string> {
  server = createServer((request, response) => {
    request.resume();
    request.on('end', () => {
      if (request.url?.includes('_pit')) {
        response.writeHead(200, { 'content-type': 'application/json' });
        response.end('{"id":"pit-1"}');
      } else if (request.method === 'DELETE') {
        response.writeHead(200, { 'content-type': 'application/json' });
        response.end('{"succeeded":true}');
      } else {
        page(response);
      }
    });
  });
  await new Promise<void>((resolve) => server?.listen(0, '127.0.0.1', resolve));
  return `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
}

async function failureOf(url: string): Promise<AppError> {
  const client = createClient({
    ES_URL: url,
    ES_REQUEST_TIMEOUT_MS: 500,
    ES_BACKEND: 'elasticsearch',
  });
  try {
    const outcome = await readMessages(client, 'tlog', DYNAMIC_FIELDS, OPEN_SCOPE, 'r1', (err) =>
      sourceError(err),
    ).then(
      () => null,
      (err: unknown) => err,
    );
    if (!(outcome instanceof AppError))
      throw new Error(`expected an AppError, got ${String(outcome)}`);
    return outcome;
  } finally {
    await client.close();
  }
}

const HEAD = { 'content-type': 'application/json', 'x-elastic-product': 'Elasticsearch' };

describe('reading a page of messages raw', () => {
  it('answers 504 when the page starts and then stalls', async () => {
    const url = await cluster((response) => {
      response.writeHead(200, HEAD);
      response.write('{"pit_id":"pit-1","hits":{"hits":[{"_source":{"id":1');
    });
    const started = Date.now();
    expect(await failureOf(url)).toMatchObject({ code: 'source_timeout', status: 504 });
    expect(Date.now() - started).toBeLessThan(3000);
  });

  it('answers 503 when the page is cut off', async () => {
    const url = await cluster((response) => {
      response.writeHead(200, { ...HEAD, 'content-length': '1000' });
      response.write('{"pit_id":"pit-1","hits":{"hits":[{"_source":{"id":1');
      setTimeout(() => response.socket?.destroy(), 50);
    });
    expect(await failureOf(url)).toMatchObject({ code: 'source_unavailable', status: 503 });
  });

  it('maps a refused page by its status, as the client does', async () => {
    const url = await cluster((response) => {
      response.writeHead(403, HEAD);
      response.end('{"error":{"type":"security_exception","reason":"no"},"status":403}');
    });
    expect(await failureOf(url)).toMatchObject({
      code: 'source_unavailable',
      message:
        'Elasticsearch denied access (auditty needs read and view_index_metadata on ES_INDEX)',
    });
  });

  it('refuses a page that is not a search answer, instead of passing it on', async () => {
    const url = await cluster((response) => {
      response.writeHead(200, HEAD);
      response.end('{"hits":{"hits":[{"_source":"not an object"}]}}');
    });
    expect(await failureOf(url)).toMatchObject({ code: 'source_unavailable', status: 503 });
  });
});
