import { spawnSync } from 'node:child_process';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { AppError } from '@/lib/errors';
import { createClient, ElasticsearchSource } from '@/lib/sources/elasticsearch';
import { OPEN_SCOPE } from '@/lib/sources/types';
import { esUrl, secured, testClient } from '../support/es';
import { fixtureNames, fixturePath } from '../support/fixtures';

// Auth and TLS against a cluster with security on (scripts/test-all.sh runs
// Elasticsearch 9 that way): the documented read-only role is enough, and it
// is all auditty can do; wrong credentials and an untrusted certificate get
// errors that say so. The role comes from scripts/es.sh (file realm): the
// integ-test distribution cannot create API keys, so the ApiKey header path is
// exercised only as far as the client goes.

const ES_URL = esUrl();
const index = `tlog-sec-${Date.now()}`;
const admin = testClient();
const config = {
  ES_URL,
  ES_REQUEST_TIMEOUT_MS: 10_000,
  ES_CA_FILE: process.env.ES_CA_FILE,
};
const list = { sort: 'start:desc', size: 50 } as const;
const reader = { ES_USERNAME: 'auditty-reader', ES_PASSWORD: 'auditty-reader-password' };
const server = { ES_USERNAME: 'auditty-server', ES_PASSWORD: 'auditty-server-password' };
/** Matches the documented role's auditty-summaries*. */
const summaryIndex = `auditty-summaries-sec-${Date.now()}`;

async function failure(promise: Promise<unknown>): Promise<AppError> {
  const error = await promise.then(
    () => null,
    (e: unknown) => e,
  );
  if (!(error instanceof AppError)) throw new Error(`expected an AppError, got ${String(error)}`);
  return error;
}

describe.runIf(secured)('Elasticsearch with security on', () => {
  beforeAll(async () => {
    const result = spawnSync(
      process.execPath,
      [
        path.resolve(import.meta.dirname, '../../bin/auditty.mjs'),
        'import',
        '--index',
        index,
        ...fixtureNames().map(fixturePath),
      ],
      { env: { ...process.env }, encoding: 'utf8', timeout: 120_000 },
    );
    expect(result.status, result.stderr).toBe(0);
  }, 180_000);

  afterAll(async () => {
    await admin.indices.delete({ index: [index, summaryIndex], ignore_unavailable: true });
    await admin.indices.deleteIndexTemplate({ name: summaryIndex }).catch(() => undefined);
    await admin.close();
  });

  it("keeps the summaries with the server's role, and the list comes from them", async () => {
    const client = createClient({ ...config, ...server });
    const source = new ElasticsearchSource(client, `${index}*`, { summaryIndex });
    const overMessages = await new ElasticsearchSource(client, `${index}*`).list(OPEN_SCOPE, list);
    const summaries = source.summaries;
    if (!summaries) throw new Error('no summaries');
    // The role has no manage_index_templates: the index is made with its mapping all the same.
    await summaries.store.ensureIndex();
    const summarizer = summaries.newSummarizer();
    expect((await summarizer.untilCurrent(60_000)).phase).toBe('current');
    await summarizer.stop();
    await summaries.store.refresh();
    const mapping = await admin.indices.getMapping({ index: summaryIndex });
    expect(mapping[summaryIndex]?.mappings.properties?.rec).toEqual({ type: 'keyword' });
    const health = await source.health();
    expect(health.summaries?.mode).toBe('ready');
    const fromSummaries = await source.list(OPEN_SCOPE, list);
    expect(fromSummaries.notices).toBeUndefined();
    expect(fromSummaries.items).toEqual(overMessages.items);
    expect(fromSummaries.total).toBe(fixtureNames().length);
  });

  it('with the read-only role, lists from the messages and says why the summaries are missing', async () => {
    const client = createClient({ ...config, ...reader });
    const pattern = `${index}*`;
    const source = new ElasticsearchSource(client, pattern, {
      summaryIndex: `auditty-summaries-ro-${Date.now()}`,
    });
    const summaries = source.summaries;
    if (!summaries) throw new Error('no summaries');
    summaries.start({ intervalMs: 200, leaseMs: 1500, backfillSliceMs: 5000 });
    try {
      await expect.poll(() => summaries.summarizerState?.phase, { timeout: 10_000 }).toBe('failed');
      const result = await source.list(OPEN_SCOPE, list);
      expect(result.total).toBe(fixtureNames().length);
      expect(result.notices).toEqual([
        'The list is computed from the messages, which is slow on large indices: the recording summaries are not available (an admin finds why in /api/health).',
      ]);
      const health = await source.health();
      expect(health.summaries).toMatchObject({
        mode: 'unavailable',
        summarizer: {
          phase: 'failed',
          error: expect.stringMatching(
            /^the credentials may not see auditty-summaries-ro-\d+ \(the summarizer needs view_index_metadata, read, write, create_index and maintenance on it\)$/,
          ),
        },
      });
      expect(health.summaries?.reason).toMatch(
        /^the credentials may not read auditty-summaries-ro-\d+; README, "Recording summaries", lists the privileges$/,
      );
    } finally {
      await summaries.stop();
    }
  });

  it('reads everything with only read and view_index_metadata', async () => {
    const source = new ElasticsearchSource(createClient({ ...config, ...reader }), `${index}*`);
    const result = await source.list(OPEN_SCOPE, list);
    expect(result.total).toBe(fixtureNames().length);
    const first = result.items[0];
    if (!first) throw new Error('no recordings');
    let read = 0;
    for await (const _line of (await source.messages(OPEN_SCOPE, first.id)) ?? []) read += 1;
    expect(read).toBe(first.messages);
    // Without the monitor privilege the cluster status is unknown, not an outage.
    const health = await source.health();
    expect(health).toMatchObject({
      reachable: true,
      detail: `${index}*: 1 indices (0 with auditty's template, 1 with dynamic mapping)`,
    });
    expect(health.cluster).toBeUndefined();
  });

  it('cannot write with that role', async () => {
    const client = createClient({ ...config, ...reader });
    await expect(client.index({ index, document: { id: 1 } })).rejects.toMatchObject({
      statusCode: 403,
    });
  });

  it('says when the credentials are wrong', async () => {
    const source = new ElasticsearchSource(
      createClient({ ...config, ES_USERNAME: 'auditty-admin', ES_PASSWORD: 'wrong' }),
      `${index}*`,
    );
    const error = await failure(source.list(OPEN_SCOPE, list));
    expect(error).toMatchObject({
      status: 503,
      message:
        "Elasticsearch rejected auditty's credentials (check ES_API_KEY or ES_USERNAME/ES_PASSWORD)",
    });
  });

  it('says when the role may not read the index', async () => {
    const source = new ElasticsearchSource(createClient({ ...config, ...reader }), 'other-index');
    // Searches skip what the role may not read: an empty list...
    expect((await source.list(OPEN_SCOPE, list)).total).toBe(0);
    // ...that health explains.
    expect(await source.health()).toMatchObject({
      reachable: true,
      detail:
        'other-index: no index matches yet; the credentials lack read and view_index_metadata on other-index',
    });
    const fine = new ElasticsearchSource(createClient({ ...config, ...reader }), `${index}*`);
    expect((await fine.health()).detail).not.toContain('lack');
  });

  it('refuses a certificate it cannot trust, and says how to fix it', async () => {
    const source = new ElasticsearchSource(
      createClient({ ES_URL, ES_REQUEST_TIMEOUT_MS: 10_000, ...reader }),
      `${index}*`,
    );
    const error = await failure(source.list(OPEN_SCOPE, list));
    expect(error.message).toBe(
      "Elasticsearch's TLS certificate is not trusted (set ES_CA_FILE to its CA)",
    );
  });
});

describe.runIf(!secured)('Elasticsearch without security', () => {
  it('is the plain-http run; the secured run covers auth and TLS', () => {
    expect(ES_URL.startsWith('http:')).toBe(true);
  });
});
