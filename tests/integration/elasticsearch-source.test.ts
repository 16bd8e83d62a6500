import { spawnSync } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { Client } from '@elastic/elasticsearch';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { AppError } from '@/lib/errors';
import { ElasticsearchSource } from '@/lib/sources/elasticsearch';
import { FilesSource } from '@/lib/sources/files';
import { FIRST_PAGE_SIZE, PAGE_SIZE } from '@/lib/sources/elasticsearch/queries';
import { OPEN_SCOPE, type RecordingSummary } from '@/lib/sources/types';
import { backendUnderTest, clusterHasPit, esUrl, testClient } from '../support/es';
import { FIXTURES_DIR, fixtureLines, fixtureNames, fixturePath } from '../support/fixtures';

// Against a real Elasticsearch (scripts/with-es.sh starts one): fixtures are
// imported with the real CLI into a fresh index, then read back.

const ES_URL = esUrl();

const ROOT = path.resolve(import.meta.dirname, '../..');
const index = `tlog-it-${Date.now()}`;
/** Outside the source's pattern (`${index}*`): what the line test imports is not listed. */
const lineIndex = `tlog-it-line-${Date.now()}`;
const client = testClient();
const source = new ElasticsearchSource(client, `${index}*`);
const files = new FilesSource(FIXTURES_DIR);
/**
 * The largest fixture: more messages than Elasticsearch's 10,000-hit window,
 * read in four pages (FIRST_PAGE_SIZE, then PAGE_SIZE). A 30,000-message
 * copy imported beside it took 15 s to load for the same pages.
 */
const BIG_REC = String((JSON.parse(fixtureLines('big')[0] ?? '{}') as { rec?: string }).rec);
const BIG_MESSAGES = fixtureLines('big').length;

function cli(args: string[], env: Record<string, string> = {}) {
  return spawnSync(process.execPath, [path.join(ROOT, 'bin/auditty.mjs'), ...args], {
    env: { ...process.env, ES_URL, ES_INDEX: `${index}*`, ...env },
    encoding: 'utf8',
    timeout: 120_000,
  });
}

async function collect(iterable: AsyncIterable<string> | null): Promise<string[]> {
  if (!iterable) throw new Error('expected messages');
  const out: string[] = [];
  for await (const line of iterable) out.push(line);
  return out;
}

/** A stored document without rsyslog's (or the importer's) `timestamp`. */
function withoutTimestamp(line: string): unknown {
  const { timestamp: _timestamp, ...message } = JSON.parse(line) as Record<string, unknown>;
  return message;
}

beforeAll(async () => {
  const fixtures = fixtureNames().map(fixturePath);
  const result = cli(['import', '--index', index, ...fixtures]);
  expect(result.stderr).toBe('');
  expect(result.status).toBe(0);
  const total = fixtureNames().reduce((n, name) => n + fixtureLines(name).length, 0);
  expect(result.stdout).toContain(`imported ${total} messages`);
  expect(BIG_MESSAGES).toBeGreaterThan(Math.max(10_000, FIRST_PAGE_SIZE + 2 * PAGE_SIZE));
}, 300_000);

afterAll(async () => {
  await client.indices.delete({
    index: [index, `${index}-dup`, lineIndex],
    ignore_unavailable: true,
  });
  await client.close();
});

describe('auditty import', () => {
  it('refuses malformed lines with their numbers and still loads the valid ones', () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'auditty-it-'));
    const file = path.join(dir, 'mixed.tlog');
    const [first, second] = fixtureLines('resize');
    writeFileSync(file, `${first}\n{"ver":"2.3"\n${second}\n{"ver":"9.0"}\n`);
    const result = cli(['import', '--index', index, file]);
    expect(result.status).toBe(1);
    expect(result.stderr).toContain(`${file}:2: line is not valid JSON`);
    expect(result.stderr).toContain(`${file}:4: unsupported format version "9.0"`);
    // Both valid lines were already imported with the fixtures: nothing is indexed twice.
    expect(result.stdout).toContain('imported 0 messages of 1 recordings');
    expect(result.stdout).toContain('(2 already there, 2 lines refused, 0 failed)');
  });

  it('stores each line as written, with the timestamp added: a whole second stays 1790000000.000', async () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'auditty-it-'));
    const file = path.join(dir, 'whole-second.tlog');
    const [first] = fixtureLines('resize');
    const line = (first ?? '')
      .replace(/"rec":"[^"]*"/, '"rec":"import-whole-second"')
      .replace(/"time":[^,]*/, '"time":1790000000.000');
    expect(line).toContain('"time":1790000000.000');
    writeFileSync(file, `${line}\n`);
    const result = cli(['import', '--index', lineIndex, file]);
    expect(result.stderr).toBe('');
    expect(result.status).toBe(0);
    // The stored _source, as bytes (a parsed answer would not show the number's text).
    const response = await client.get(
      { index: lineIndex, id: 'import-whole-second:1' },
      { asStream: true },
    );
    let text = '';
    for await (const chunk of response as unknown as AsyncIterable<Buffer>)
      text += chunk.toString();
    expect(text).toContain(
      `"_source":${line.slice(0, -1)},"timestamp":"2026-09-21T14:13:20.000Z"}`,
    );
  });

  it('gives each message its timestamp from the message time', async () => {
    const response = await client.search<Record<string, unknown>>({
      index,
      size: 1,
      query: { term: { id: 1 } },
    });
    const doc = response.hits.hits[0]?._source;
    expect(typeof doc?.timestamp).toBe('string');
    expect(Date.parse(String(doc?.timestamp))).toBe(Math.round(Number(doc?.time) * 1000));
  });
});

describe('ElasticsearchSource on rsyslog-style dynamic mapping', () => {
  it('lists every fixture with the same summary the files source computes', async () => {
    const expected = (await files.list(OPEN_SCOPE, { sort: 'start:desc', size: 500 })).items;
    const result = await source.list(OPEN_SCOPE, { sort: 'start:desc', size: 500 });
    expect(result.items).toEqual(expected);
    expect(result.total).toBe(expected.length);
    expect(expected.length).toBe(fixtureNames().length);
  });

  it('reports gaps, input and sizes as recorded', async () => {
    const byFile = new Map<string, RecordingSummary>();
    for (const name of fixtureNames()) {
      const rec = String((JSON.parse(fixtureLines(name)[0] ?? '{}') as { rec?: string }).rec);
      const summary = await source.get(OPEN_SCOPE, rec);
      if (!summary) throw new Error(`${name} not found`);
      byFile.set(name, summary);
    }
    expect(byFile.get('gap')?.gaps).toBeGreaterThan(0);
    expect(byFile.get('colors')?.gaps).toBe(0);
    expect(byFile.get('input')?.hasInput).toBe(true);
    expect(byFile.get('colors')?.hasInput).toBe(false);
    expect(byFile.get('big')?.messages).toBe(fixtureLines('big').length);
  });

  it('reads each recording back identical and in id order', async () => {
    for (const name of fixtureNames()) {
      const lines = fixtureLines(name);
      const rec = String((JSON.parse(lines[0] ?? '{}') as { rec?: string }).rec);
      const got = await collect(await source.messages(OPEN_SCOPE, rec));
      expect(got.map(withoutTimestamp), name).toEqual(lines.map((l) => JSON.parse(l)));
    }
  });

  it('sends the same messages as NDJSON chunks (the messages API) as one by one', async () => {
    for (const rec of [
      BIG_REC,
      ...fixtureNames().map((n) =>
        String((JSON.parse(fixtureLines(n)[0] ?? '{}') as { rec?: string }).rec),
      ),
    ]) {
      const one = await collect(await source.messages(OPEN_SCOPE, rec));
      const chunks: Buffer[] = [];
      for await (const chunk of (await source.messages(OPEN_SCOPE, rec))?.ndjson() ?? []) {
        chunks.push(Buffer.from(chunk));
      }
      const text = Buffer.concat(chunks).toString('utf8');
      expect(text.endsWith('\n'), rec).toBe(true);
      expect(
        text
          .slice(0, -1)
          .split('\n')
          .map((l) => JSON.parse(l)),
        rec,
      ).toEqual(one.map((l) => JSON.parse(l)));
      // Chunks of about 64 KiB, not one per message nor one per recording.
      if (rec === BIG_REC) expect(chunks.length).toBeGreaterThan(text.length / (128 * 1024));
    }
  });

  it(`streams a recording of ${BIG_MESSAGES} messages past the 10,000-hit window`, async () => {
    const summary = await source.get(OPEN_SCOPE, BIG_REC);
    expect(summary?.messages).toBe(BIG_MESSAGES);
    let expectedId = 1;
    for await (const line of (await source.messages(OPEN_SCOPE, BIG_REC)) ?? []) {
      const id = (JSON.parse(line) as { id: number }).id;
      // The fixture's ids run 1..N without gaps.
      expect(id).toBe(expectedId);
      expectedId += 1;
    }
    expect(expectedId - 1).toBe(BIG_MESSAGES);
  });

  it('closes its point in time when the stream is closed, read or not (none where there is none)', async () => {
    // Elasticsearch counts a point in time as an open search context.
    // OpenSearch before 2.4 has no point in time: the read pages with
    // search_after alone and holds no context between pages (the tests
    // above read every recording back whole there too).
    const pit = await clusterHasPit(client);
    const openContexts = async () => {
      const stats = await client.nodes.stats({ metric: 'indices', index_metric: 'search' });
      return Object.values(stats.nodes).reduce(
        (n, node) => n + (node.indices?.search?.open_contexts ?? 0),
        0,
      );
    };
    // A search in flight (the next page, asked for ahead) holds a context
    // for a moment too; a point in time left open holds one for its whole
    // keep-alive (2 minutes): waiting 5 s tells them apart.
    const settles = (want: number) =>
      expect.poll(openContexts, { timeout: 5_000, interval: 100 }).toBe(want);
    const before = await openContexts();
    const unread = await source.messages(OPEN_SCOPE, BIG_REC);
    if (pit) expect(await openContexts()).toBeGreaterThan(before);
    else await settles(before);
    // What the messages route does when the audit event cannot be written.
    await unread?.close();
    await settles(before);
    const partly = await source.messages(OPEN_SCOPE, BIG_REC);
    const iterator = partly?.[Symbol.asyncIterator]();
    await iterator?.next();
    await partly?.close();
    await settles(before);
    const bytes = await source.messages(OPEN_SCOPE, BIG_REC);
    await bytes?.ndjson()[Symbol.asyncIterator]().next();
    await bytes?.close();
    await settles(before);
  });

  it('drops a duplicate message (an rsyslog retry), keeping the first', async () => {
    const lines = fixtureLines('resize');
    const duplicate = {
      ...(JSON.parse(lines[1] ?? '{}') as object),
      timestamp: new Date().toISOString(),
    };
    await client.index({ index: `${index}-dup`, document: duplicate, refresh: true });
    const rec = String((duplicate as { rec?: string }).rec);
    const got = await collect(await source.messages(OPEN_SCOPE, rec));
    expect(got.map(withoutTimestamp)).toEqual(lines.map((l) => JSON.parse(l)));
    expect((await source.get(OPEN_SCOPE, rec))?.messages).toBe(lines.length);
    await client.indices.delete({ index: `${index}-dup` });
  });

  it('applies the scope inside the query: outside it, a recording does not exist', async () => {
    const rec = String((JSON.parse(fixtureLines('colors')[0] ?? '{}') as { rec?: string }).rec);
    const scope = { hosts: ['no-such-host-*'], users: ['*'] };
    expect((await source.list(scope, { sort: 'start:desc', size: 50 })).items).toEqual([]);
    expect(await source.get(scope, rec)).toBeNull();
    expect(await source.messages(scope, rec)).toBeNull();
    expect(await source.get(OPEN_SCOPE, 'no-such-recording')).toBeNull();
  });

  it('filters by user, host and time', async () => {
    const all = (await source.list(OPEN_SCOPE, { sort: 'start:asc', size: 500 })).items;
    const first = all[0];
    if (!first) throw new Error('no recordings');
    expect(all.map((r) => r.start)).toEqual([...all.map((r) => r.start)].sort());
    const byHost = await source.list(OPEN_SCOPE, {
      sort: 'start:desc',
      size: 500,
      host: first.host,
    });
    expect(byHost.items.length).toBe(all.length);
    const none = await source.list(OPEN_SCOPE, {
      sort: 'start:desc',
      size: 500,
      user: 'nobody-here',
    });
    expect(none.items).toEqual([]);
    const future = await source.list(OPEN_SCOPE, {
      sort: 'start:desc',
      size: 500,
      fromMs: Date.now() + 86_400_000,
    });
    expect(future.total).toBe(0);
  });

  it('answers an empty list for an index pattern that matches nothing', async () => {
    const empty = new ElasticsearchSource(client, 'no-such-index-*');
    expect(await empty.list(OPEN_SCOPE, { sort: 'start:desc', size: 10 })).toEqual({
      items: [],
      nextCursor: null,
      total: 0,
    });
  });

  it('says in its health which backend it reads, asked of the cluster', async () => {
    const health = await source.health();
    expect(health).toMatchObject({
      kind: 'elasticsearch',
      reachable: true,
      backend: backendUnderTest,
    });
    if (backendUnderTest === 'opensearch') {
      const root = await client.info();
      expect(health.backendVersion).toBe(root.version.number);
    }
  });

  it('says the cluster is unreachable when it is', async () => {
    const dead = new ElasticsearchSource(
      new Client({ node: 'http://127.0.0.1:9', requestTimeout: 2000, maxRetries: 0 }),
      'tlog-*',
    );
    const error = await dead
      .list(OPEN_SCOPE, { sort: 'start:desc', size: 10 })
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(AppError);
    expect(error).toMatchObject({ code: 'source_unavailable', status: 503 });
    expect(await dead.health()).toMatchObject({ kind: 'elasticsearch', reachable: false });
  });
});
