import { mkdtempSync, readFileSync, writeFileSync, existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { ElasticsearchSource } from '@/lib/sources/elasticsearch';
import { OPEN_SCOPE } from '@/lib/sources/types';
import { esUrl, testClient } from '../support/es';
import { recordShell, rsyslogConfig, startRsyslog } from '../support/pipeline';

// The real chain, end to end: tlog-rec (Debian's tlog) -> rsyslog
// omelasticsearch with the documented config -> Elasticsearch -> auditty.

const ES_URL = esUrl();

const client = testClient();
const index = `oplog-tlog-pipeline-${Date.now()}`;
const dir = mkdtempSync(path.join(tmpdir(), 'auditty-pipeline-'));
let rsyslog: ReturnType<typeof startRsyslog> | undefined;

/** A secured test cluster: rsyslog speaks https, with the CA and a user, as documented. */
function secureOptions() {
  const { ES_CA_FILE, ES_USERNAME, ES_PASSWORD } = process.env;
  if (!ES_URL.startsWith('https:')) return undefined;
  if (!ES_CA_FILE || !ES_USERNAME || !ES_PASSWORD)
    throw new Error('a secured ES_URL needs ES_CA_FILE, ES_USERNAME and ES_PASSWORD');
  return { caFile: ES_CA_FILE, user: ES_USERNAME, password: ES_PASSWORD };
}

afterAll(async () => {
  await rsyslog?.stop();
  await client.indices.delete({ index, ignore_unavailable: true });
  await client.close();
});

describe('tlog-rec -> rsyslog omelasticsearch -> Elasticsearch -> auditty', () => {
  it('lists the recording and reads back exactly what tlog wrote', async () => {
    const tlogFile = path.join(dir, 'session.tlog');
    writeFileSync(tlogFile, '');
    const errorFile = path.join(dir, 'es-errors.json');
    const configFile = path.join(dir, 'rsyslog.conf');
    writeFileSync(
      configFile,
      rsyslogConfig({
        workDir: dir,
        tlogFile,
        esPort: Number(new URL(ES_URL).port),
        index,
        errorFile,
        tls: secureOptions(),
      }),
    );
    rsyslog = startRsyslog(
      configFile,
      path.join(dir, 'rsyslog.pid'),
      path.join(dir, 'rsyslog.log'),
    );

    await recordShell(tlogFile, [
      'echo pipeline-marker $((6 * 7))',
      "printf '\\e[1;32mgreen\\e[0m caf\\xc3\\xa9 \\xf0\\x9f\\x91\\x8d\\n'",
      'seq 1 300',
    ]);
    const lines = readFileSync(tlogFile, 'utf8')
      .split('\n')
      .filter((l) => l !== '');
    expect(lines.length).toBeGreaterThan(1);
    const rec = String(JSON.parse(lines[0] ?? '{}').rec);

    const deadline = Date.now() + 60_000;
    let count = 0;
    while (Date.now() < deadline) {
      count = await client
        .count({ index, ignore_unavailable: true })
        .then((r) => r.count)
        .catch(() => 0);
      if (count >= lines.length) break;
      await new Promise((r) => setTimeout(r, 500));
    }
    expect(existsSync(errorFile) ? readFileSync(errorFile, 'utf8') : '').toBe('');
    expect(count).toBe(lines.length);

    // rsyslog's dynamic mapping, exactly as the seed's clusters have it.
    const mapping = await client.indices.getMapping({ index });
    const properties = mapping[index]?.mappings.properties ?? {};
    expect(properties.rec).toMatchObject({
      type: 'text',
      fields: { keyword: { type: 'keyword' } },
    });
    expect(properties.time).toMatchObject({ type: 'float' });
    expect(properties.timestamp).toMatchObject({ type: 'date' });

    const source = new ElasticsearchSource(client, 'oplog-tlog-pipeline-*');
    const listed = await source.list(OPEN_SCOPE, { sort: 'start:desc', size: 50 });
    const summary = listed.items.find((item) => item.id === rec);
    expect(summary).toMatchObject({
      messages: lines.length,
      gaps: 0,
      hasInput: false,
      term: 'xterm-256color',
    });

    const stored: unknown[] = [];
    for await (const line of (await source.messages(OPEN_SCOPE, rec)) ?? []) {
      const { timestamp, ...message } = JSON.parse(line);
      expect(typeof timestamp).toBe('string');
      stored.push(message);
    }
    expect(stored).toEqual(lines.map((l) => JSON.parse(l)));
  }, 120_000);
});
