// List and search latency on the generated fleet: each API call next to the
// same Elasticsearch requests sent bare, alternating, in the same run.
//
//   node --conditions=react-server --import tsx bench/list/run.ts [--smoke]
//
// Writes bench/list/RESULTS.md (full) or reports/bench-list-smoke.md, and its
// figures as rows for the suite's table (bench/run.ts runs it):
// bench/data/list-rows.json or list-rows-smoke.json, also when it fails part
// way (with the figures it got). See bench/list/README.md.

import os from 'node:os';
import path from 'node:path';
import { Client } from '@elastic/elasticsearch';
import type { ListQuery } from '@/lib/sources/types';
import { ensureFleetIndex } from '../../tests/support/fleet/load';
import {
  elasticsearchVersion,
  ensureBuild,
  ROOT,
  startApp,
  startElasticsearch,
  stopElasticsearch,
} from '../lib/processes';
import { removeRows, rowsFile, writeMarkdown, writeRows, type Row } from '../lib/rows';
import { median, p95, round } from '../lib/stats';
import { FLEET, SMALL_FLEET } from '../../tests/support/fleet';
import { rawList } from './raw';
import { scenarios } from './scenarios';

const smoke = process.argv.includes('--smoke');
const spec = smoke ? SMALL_FLEET : FLEET;
const RUNS = Number(process.env.BENCH_RUNS ?? (smoke ? 3 : 25));
const ES_PORT = Number(process.env.BENCH_LIST_ES_PORT ?? 9291);
const APP_PORT = Number(process.env.BENCH_LIST_APP_PORT ?? 3291);
const TARGET_RATIO = 1.3;
const TARGET_P95 = 300;
const ROWS = rowsFile(ROOT, 'list', smoke);
/** The rows for the suite's table, as they are measured. */
const summary: Row[] = [];

function search(query: ListQuery): string {
  const params = new URLSearchParams({ sort: query.sort, size: String(query.size) });
  for (const user of ([] as string[]).concat(query.user ?? [])) params.append('user', user);
  for (const host of ([] as string[]).concat(query.host ?? [])) params.append('host', host);
  if (query.q) params.set('q', query.q);
  if (query.fromMs !== undefined) params.set('from', new Date(query.fromMs).toISOString());
  if (query.toMs !== undefined) params.set('to', new Date(query.toMs).toISOString());
  if (query.cursor) params.set('cursor', query.cursor);
  if (query.facets) params.set('facets', '1');
  return params.toString();
}

async function api(appUrl: string, query: ListQuery): Promise<{ ms: number; ids: string[] }> {
  const started = performance.now();
  const response = await fetch(`${appUrl}/api/recordings?${search(query)}`);
  const body = (await response.json()) as { items?: { id: string }[] };
  const ms = performance.now() - started;
  if (!response.ok || !body.items)
    throw new Error(`API answered ${response.status}: ${JSON.stringify(body)}`);
  return { ms, ids: body.items.map((i) => i.id) };
}

async function main() {
  removeRows(ROWS);
  ensureBuild();
  const external = process.env.BENCH_ES_URL;
  const esUrl = external ?? startElasticsearch(ES_PORT);
  const client = new Client({ node: esUrl, requestTimeout: 300_000 });
  const notes: string[] = [];
  const rows: string[] = [];
  let esVersion = 'unknown';
  const app = await (async () => {
    const load = await ensureFleetIndex(client, spec);
    notes.push(
      load.loaded
        ? `The fleet (${spec.messages.toLocaleString('en')} messages) was generated and loaded into ${load.index} in ${round(load.ms / 1000)} s.`
        : `The fleet index ${load.index} was already loaded, and reused.`,
    );
    esVersion = await elasticsearchVersion(esUrl);
    summary.push({
      measure: 'Fleet',
      value: `${spec.hosts} hosts, ${spec.users} users, ${spec.recordings.toLocaleString('en')} recordings, ${spec.messages.toLocaleString('en')} messages; ${RUNS} runs per call`,
      target: '',
      pass: null,
    });
    return {
      process: await startApp(APP_PORT, {
        ES_URL: esUrl,
        ES_INDEX: load.index,
        RECORDINGS_DIR: '',
        // This measures the list over the messages (the fallback path, and
        // what the summaries are built with): bench/summaries measures the
        // list on the summaries index.
        SUMMARIZER: 'off',
        SUMMARY_INDEX: 'auditty-summaries-bench-none',
      }),
      index: load.index,
    };
  })();
  const appUrl = `http://127.0.0.1:${APP_PORT}`;
  let pass = true;
  // Both sides send the same requests: without this, whichever goes second
  // would be answered from the shard request cache.
  await client.indices.putSettings({
    index: app.index,
    settings: { 'index.requests.cache.enable': false },
  });
  try {
    // The floor of any request to this server: a static file, no Elasticsearch.
    const floor: number[] = [];
    for (let i = 0; i < RUNS + 2; i++) {
      const started = performance.now();
      await (await fetch(`${appUrl}/icon.svg`)).arrayBuffer();
      if (i >= 2) floor.push(performance.now() - started);
    }
    summary.push({
      measure: 'A static file from the same server, no Elasticsearch (median / p95)',
      value: `${round(median(floor))} / ${round(p95(floor))} ms`,
      target: '',
      pass: null,
    });
    notes.push(
      `A static file from the same server (no Elasticsearch) takes ${round(median(floor))} ms (median; p95 ${round(p95(floor))} ms): Next.js and its request proxy (sign-in, security headers) cost that much on any request, which is most of what the API adds to a fast query.`,
    );
    for (const scenario of scenarios(spec)) {
      const raw: number[] = [];
      const took: number[] = [];
      const viaApi: number[] = [];
      for (let i = -2; i < RUNS; i++) {
        const query = scenario.query(Math.abs(i) + 1000 * (i < 0 ? 1 : 0));
        for (let d = 0; d < (scenario.depth ?? 0); d++) {
          const step = await rawList(esUrl, app.index, query);
          if (!step.nextCursor) break;
          query.cursor = step.nextCursor;
        }
        // Alternate which goes first, so that neither always meets warm caches.
        const first = i % 2 === 0 ? 'raw' : 'api';
        const a = first === 'api' ? await api(appUrl, query) : null;
        const r = await rawList(esUrl, app.index, query);
        const b = a ?? (await api(appUrl, query));
        if (b.ids.join() !== r.ids.join())
          throw new Error(`${scenario.name}: the API and the bare requests disagree`);
        if (i < 0) continue; // warm-up
        raw.push(r.ms);
        took.push(r.tookMs);
        viaApi.push(b.ms);
      }
      const ratio = median(viaApi) / median(raw);
      const ok = ratio <= TARGET_RATIO && p95(viaApi) < TARGET_P95;
      pass &&= ok;
      rows.push(
        `| ${scenario.name} | ${round(median(took))} | ${round(median(raw))} / ${round(p95(raw))} | ${round(median(viaApi))} / ${round(p95(viaApi))} | ${round(ratio, 2)}x | ${ok ? 'pass' : '**miss**'} |`,
      );
      console.log(rows[rows.length - 1]);
      summary.push({
        measure: `${scenario.name}: API vs bare (median / p95)`,
        value: `API ${round(median(viaApi))} / ${round(p95(viaApi))} ms, bare ${round(median(raw))} / ${round(p95(raw))} ms (ES took ${round(median(took))} ms): ${round(ratio, 2)}x`,
        target: `API ≤ ${TARGET_RATIO}x bare (medians), API p95 < ${TARGET_P95} ms`,
        pass: ok,
      });
    }
  } finally {
    await client.indices.putSettings({
      index: app.index,
      settings: { 'index.requests.cache.enable': true },
    });
    app.process.kill('SIGTERM');
    await client.close();
    if (!external && !process.env.BENCH_KEEP_ES) stopElasticsearch(ES_PORT);
  }

  const cpu = os.cpus()[0]?.model ?? 'unknown CPU';
  const load = os
    .loadavg()
    .map((l) => round(l, 1))
    .join(', ');
  const text = [
    `# Recordings list and search latency${smoke ? ' (smoke run: small data, not the figures of record)' : ''}`,
    '',
    `Generated by \`node --conditions=react-server --import tsx bench/list/run.ts${smoke ? ' --smoke' : ''}\` on ${new Date().toISOString().slice(0, 16).replace('T', ' ')} UTC.`,
    `Machine: ${os.cpus().length} × ${cpu}, ${round(os.totalmem() / 1024 ** 3)} GiB, load average at the end ${load}; Node ${process.version}; Elasticsearch ${esVersion} (integ-test distribution).`,
    `Fleet: ${spec.hosts} hosts, ${spec.users} users, ${spec.recordings.toLocaleString('en')} recordings, ${spec.messages.toLocaleString('en')} messages (tests/support/fleet/), rsyslog's dynamic mapping. ${RUNS} measured runs per line after 2 warm-up runs.`,
    '',
    "Bare: the same Elasticsearch requests the API makes, sent with fetch from the benchmark (wall time; `took` is Elasticsearch's own). The shard request cache is off on the fleet index during the run, so that neither side is answered from the other's cached result; each run changes the query a little (page size, user, word).",
    'Where the API misses the ratio, Elasticsearch answers in under 20 ms and the fixed cost of any request to the server (the static file below) is most of the difference.',
    'API: `GET /api/recordings` on the production server (`scripts/server.mjs`, as `npm start` serves it), wall time. Targets: API median at most 1.3× bare, API p95 under 300 ms.',
    '',
    '| call | ES took, median (ms) | bare, median / p95 (ms) | API, median / p95 (ms) | API / bare | result |',
    '|---|---|---|---|---|---|',
    ...rows,
    '',
    ...notes.map((n) => `- ${n}`),
    '',
  ].join('\n');
  const out = smoke
    ? path.join(ROOT, 'reports/bench-list-smoke.md')
    : path.join(ROOT, 'bench/list/RESULTS.md');
  await writeMarkdown(out, text);
  writeRows(ROWS, summary);
  console.log(
    `\nwrote ${path.relative(ROOT, out)} and ${path.relative(ROOT, ROWS)}${pass ? '' : ' (some targets missed)'}`,
  );
}

main().catch((err: unknown) => {
  console.error(err);
  writeRows(ROWS, summary);
  console.error(`failed; the figures it got are in ${path.relative(ROOT, ROWS)}`);
  process.exitCode = 1;
});
