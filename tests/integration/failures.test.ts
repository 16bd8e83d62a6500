import { spawnSync } from 'node:child_process';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { AppError } from '@/lib/errors';
import { createClient, ElasticsearchSource } from '@/lib/sources/elasticsearch';
import { FIRST_PAGE_SIZE } from '@/lib/sources/elasticsearch/queries';
import { OPEN_SCOPE } from '@/lib/sources/types';
import { backendUnderTest, esUrl, product, testClient } from '../support/es';
import { fixtureLines, fixturePath } from '../support/fixtures';
import { TcpProxy } from '../support/tcp-proxy';

// How the Elasticsearch source behaves when the cluster misbehaves, with real
// network failures between it and a real cluster.

const ES_URL = esUrl();

const index = `tlog-fail-${Date.now()}`;
const admin = testClient();
const proxy = new TcpProxy(
  Number(new URL(ES_URL).port),
  ES_URL.startsWith('https:') ? 'https' : 'http',
);
const bigRec = String((JSON.parse(fixtureLines('big')[0] ?? '{}') as { rec?: string }).rec);
const list = { sort: 'start:desc', size: 50 } as const;

function sourceVia(url: string, requestTimeout = 5000, pattern = index) {
  return new ElasticsearchSource(testClient({ node: url, requestTimeout, maxRetries: 1 }), pattern);
}

async function failure(promise: Promise<unknown>): Promise<AppError> {
  const error = await promise.then(
    () => null,
    (e: unknown) => e,
  );
  if (!(error instanceof AppError)) throw new Error(`expected an AppError, got ${String(error)}`);
  return error;
}

beforeAll(async () => {
  const result = spawnSync(
    process.execPath,
    [
      path.resolve(import.meta.dirname, '../../bin/auditty.mjs'),
      'import',
      '--index',
      index,
      fixturePath('big'),
      fixturePath('colors'),
    ],
    { env: { ...process.env, ES_URL }, encoding: 'utf8', timeout: 120_000 },
  );
  expect(result.status, result.stderr).toBe(0);
  await proxy.start();
}, 180_000);

afterAll(async () => {
  await proxy.stop();
  await admin.indices.delete({ index: [index, `${index}-conflict`], ignore_unavailable: true });
  await admin.close();
});

describe('when Elasticsearch fails', () => {
  it('answers 503 while the cluster is down, and works again when it is back', async () => {
    const source = sourceVia(proxy.url);
    expect((await source.list(OPEN_SCOPE, list)).total).toBe(2);
    proxy.cut();
    const error = await failure(source.list(OPEN_SCOPE, list));
    expect(error).toMatchObject({
      code: 'source_unavailable',
      status: 503,
      message: `${product} is unreachable`,
    });
    expect(await source.health()).toMatchObject({
      reachable: false,
      detail: `${product} is unreachable`,
    });
    proxy.restore();
    expect((await source.list(OPEN_SCOPE, list)).total).toBe(2);
  });

  it('ends a stream that loses the cluster with an error, not a hang', async () => {
    const source = sourceVia(proxy.url);
    const messages = await source.messages(OPEN_SCOPE, bigRec);
    if (!messages) throw new Error('big recording missing');
    const iterator = messages[Symbol.asyncIterator]();
    expect((await iterator.next()).done).toBe(false);
    proxy.cut();
    const started = Date.now();
    let read = 1;
    const error = await (async () => {
      try {
        for (;;) {
          const next = await iterator.next();
          if (next.done) return null;
          read += 1;
        }
      } catch (e) {
        return e;
      }
    })();
    proxy.restore();
    expect(error).toBeInstanceOf(AppError);
    expect(error).toMatchObject({ code: 'source_unavailable' });
    // The first page had arrived; the rest could not.
    expect(read).toBe(FIRST_PAGE_SIZE);
    expect(Date.now() - started).toBeLessThan(10_000);
  });

  it('answers 504 when the cluster is slower than the timeout', async () => {
    const source = new ElasticsearchSource(
      createClient({
        ES_URL: proxy.url,
        // Its first request times out: only ES_BACKEND can name the product then.
        ES_BACKEND: backendUnderTest,
        ES_REQUEST_TIMEOUT_MS: 1000,
        ES_CA_FILE: process.env.ES_CA_FILE,
        ES_USERNAME: process.env.ES_USERNAME,
        ES_PASSWORD: process.env.ES_PASSWORD,
      }),
      index,
    );
    proxy.delayMs = 3000;
    const started = Date.now();
    try {
      const error = await failure(source.list(OPEN_SCOPE, list));
      expect(error).toMatchObject({
        code: 'source_timeout',
        status: 504,
        message: `${product} did not answer in time`,
      });
      // Two attempts (one retry), each bounded by the timeout for connecting and
      // again for answering, with undici's coarse timers (about a second late
      // at worst): the caller hears back within six seconds, never hangs.
      expect(Date.now() - started).toBeLessThan(6000);
    } finally {
      proxy.delayMs = 0;
    }
  });

  it('lists nothing, and says so in health, for an index that does not exist', async () => {
    const source = sourceVia(ES_URL, 5000, 'no-such-tlog-index');
    expect(await source.list(OPEN_SCOPE, list)).toEqual({ items: [], nextCursor: null, total: 0 });
    expect(await source.health()).toMatchObject({
      reachable: true,
      messages: 0,
      detail: 'no-such-tlog-index: no index matches yet',
    });
  });

  it('names the conflicting field and indices when mappings disagree', async () => {
    await admin.indices.create({
      index: `${index}-conflict`,
      mappings: { properties: { id: { type: 'keyword' }, rec: { type: 'keyword' } } },
    });
    await admin.index({
      index: `${index}-conflict`,
      document: { id: 'one', rec: 'x' },
      refresh: true,
    });
    const source = sourceVia(ES_URL, 5000, `${index}*`);
    const error = await failure(source.list(OPEN_SCOPE, list));
    expect(error.status).toBe(503);
    expect(error.message).toBe(
      `Mapping conflict: field "id" must be numeric, but is keyword in ${index}-conflict`,
    );
  });
});
