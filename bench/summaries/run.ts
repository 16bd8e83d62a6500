// The recordings list on the summaries index (issue 15), on a large fleet
// and on one 40 times smaller, in the same run; the backfill's throughput;
// and the summarizer's lag under a steady feed.
//
//   node --conditions=react-server --import tsx bench/summaries/run.ts [--smoke]
//
// Writes bench/summaries/RESULTS.md (full) or reports/bench-summaries-smoke.md,
// and its figures as rows for the suite's table (bench/run.ts runs it):
// bench/data/summaries-rows.json or summaries-rows-smoke.json, also when it
// fails part way. See bench/summaries/README.md.

import os from 'node:os';
import path from 'node:path';
import type { ChildProcess } from 'node:child_process';
import { Client } from '@elastic/elasticsearch';
import { ElasticsearchSource } from '@/lib/sources/elasticsearch';
import { summaryId, type SummaryDocument } from '@/lib/sources/elasticsearch/summaries/document';
import type { ListQuery } from '@/lib/sources/types';
import { ensureFleetIndex, fleetIndexName } from '../../tests/support/fleet/load';
import { FLEET, needleWords, userName, type FleetSpec } from '../../tests/support/fleet';
import { fixtureLines } from '../../tests/support/fixtures';
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

const smoke = process.argv.includes('--smoke');
/** At least 200,000 recordings and 8,000,000 messages (issue 15); the smoke run, a sketch of it. */
const LARGE: FleetSpec = smoke
  ? { ...FLEET, seed: 15, hosts: 20, users: 60, recordings: 480, messages: 19_200 }
  : { ...FLEET, seed: 15, hosts: 300, users: 1000, recordings: 200_000, messages: 8_000_000 };
const SMALL: FleetSpec = {
  ...LARGE,
  recordings: LARGE.recordings / 40,
  messages: LARGE.messages / 40,
};
const RUNS = Number(process.env.BENCH_RUNS ?? (smoke ? 3 : 25));
const ES_PORT = Number(process.env.BENCH_SUMMARIES_ES_PORT ?? 9292);
const APP_PORT = Number(process.env.BENCH_SUMMARIES_APP_PORT ?? 3292);
const TARGET_P95 = 150;
const TARGET_RATIO = 1.5;
/** The freshness bound the README states. */
const FRESHNESS_MS = 10_000;
const FEED_SECONDS = smoke ? 3 : 60;
const FEED_RECORDINGS = 20;
const ROWS = rowsFile(ROOT, 'summaries', smoke);
const rows: Row[] = [];
const notes: string[] = [];

function log(text: string) {
  console.log(`[bench:summaries] ${text}`);
}

interface Call {
  name: string;
  query(i: number): ListQuery;
  /** Pages walked (untimed) before the timed one. */
  depth?: number;
  /** Exempt from the large/small ratio (issue 15: its cost grows with the matches). */
  common?: boolean;
}

function calls(spec: FleetSpec): Call[] {
  const words = needleWords();
  const size = (i: number) => 45 + (i % 11);
  return [
    {
      name: 'List as the page asks it (with facets), newest first',
      query: (i) => ({ sort: 'start:desc', size: size(i), facets: true }),
    },
    { name: 'List by duration', query: (i) => ({ sort: 'duration:desc', size: size(i) }) },
    {
      name: 'List of one user',
      query: (i) => ({
        sort: 'start:desc',
        size: 50,
        user: userName(i % Math.min(spec.users, 30)),
      }),
    },
    {
      name: 'List, page 10 (cursor)',
      // Ten pages must exist: on the smoke run's 50 recordings they are smaller.
      query: (i) => ({
        sort: 'start:desc',
        size: Math.min(size(i), Math.floor(spec.recordings / 12)),
      }),
      depth: 9,
    },
    {
      name: 'Search a rare word',
      query: (i) => ({ sort: 'start:desc', size: 50, q: words[i % words.length] ?? 'zebra' }),
    },
    {
      name: 'Search a common word',
      query: (i) => ({
        sort: 'start:desc',
        size: 50,
        q: ['burst', 'quick', 'hello'][i % 3] ?? 'hello',
      }),
      common: true,
    },
  ];
}

function search(query: ListQuery): string {
  const params = new URLSearchParams({ sort: query.sort, size: String(query.size) });
  for (const user of ([] as string[]).concat(query.user ?? [])) params.append('user', user);
  if (query.q) params.set('q', query.q);
  if (query.cursor) params.set('cursor', query.cursor);
  if (query.facets) params.set('facets', '1');
  return params.toString();
}

interface Answer {
  ms: number;
  total: number;
  approximate: boolean;
  nextCursor: string | null;
  notices: string[];
}

async function api(appUrl: string, query: ListQuery): Promise<Answer> {
  const started = performance.now();
  const response = await fetch(`${appUrl}/api/recordings?${search(query)}`);
  const body = (await response.json()) as {
    items?: unknown[];
    total?: number;
    totalApproximate?: boolean;
    nextCursor?: string | null;
    notices?: string[];
  };
  const ms = performance.now() - started;
  if (!response.ok || !body.items)
    throw new Error(`API answered ${response.status}: ${JSON.stringify(body).slice(0, 300)}`);
  return {
    ms,
    total: body.total ?? -1,
    approximate: body.totalApproximate === true,
    nextCursor: body.nextCursor ?? null,
    notices: body.notices ?? [],
  };
}

interface Fleet {
  label: 'large' | 'small';
  spec: FleetSpec;
  index: string;
  pattern: string;
  summaryIndex: string;
}

/** Loads the fleet (once: later runs reuse it) and backfills its summaries from nothing. */
async function prepare(client: Client, label: Fleet['label'], spec: FleetSpec): Promise<Fleet> {
  const index = fleetIndexName(spec);
  const fleet: Fleet = {
    label,
    spec,
    index,
    pattern: `${index}*`,
    summaryIndex: `auditty-summaries-bench-${label}`,
  };
  log(`${label}: loading ${spec.messages.toLocaleString('en')} messages (or reusing ${index})`);
  const load = await ensureFleetIndex(client, spec, index);
  notes.push(
    load.loaded
      ? `The ${label} fleet (${spec.messages.toLocaleString('en')} messages) was generated and loaded into ${index} in ${round(load.ms / 1000)} s.`
      : `The ${label} fleet's index ${index} was already loaded, and reused.`,
  );
  await client.indices.delete({ index: `${index}-feed`, ignore_unavailable: true });
  await client.indices.delete({ index: fleet.summaryIndex, ignore_unavailable: true });

  const source = new ElasticsearchSource(client, fleet.pattern, {
    summaryIndex: fleet.summaryIndex,
  });
  const summaries = source.summaries;
  if (!summaries) throw new Error('no summaries');
  await summaries.store.ensureIndex();
  const summarizer = summaries.newSummarizer({
    // Between backfill slices: the pause of the first round (the checkpoints' refresh hold).
    intervalMs: 100,
    leaseMs: 120_000,
    backfillSliceMs: 5000,
  });
  const started = performance.now();
  const progress = setInterval(() => {
    const state = summarizer.state;
    if (state.phase === 'backfill') log(`${label}: backfill ${state.percent}%`);
  }, 30_000);
  const state = await summarizer.untilCurrent(3_600_000).finally(() => clearInterval(progress));
  if (state.phase !== 'current') throw new Error(`backfill: ${JSON.stringify(state)}`);
  const seconds = (performance.now() - started) / 1000;
  await summarizer.stop();
  await client.indices.refresh({ index: fleet.summaryIndex });
  const count = await client.count({
    index: fleet.summaryIndex,
    query: { term: { kind: 'summary' } },
  });
  if (count.count !== spec.recordings)
    throw new Error(`${label}: ${count.count} summaries for ${spec.recordings} recordings`);
  rows.push({
    measure: `Backfill from nothing, ${label} fleet (${spec.recordings.toLocaleString('en')} recordings; includes the 1.5 s refresh hold)`,
    value: `${round(seconds)} s: ${Math.round(spec.messages / seconds).toLocaleString('en')} messages/s, ${Math.round(spec.recordings / seconds).toLocaleString('en')} recordings/s`,
    target: '',
    pass: null,
  });
  log(rows[rows.length - 1]?.value ?? '');
  return fleet;
}

/** Times each call on a server whose list comes from the fleet's summaries. */
async function measure(appUrl: string, fleet: Fleet): Promise<Map<string, number[]>> {
  const times = new Map<string, number[]>();
  // The page itself must come from the summaries, exact: once the server's
  // summarizer has taken the lease over and written its first round.
  let first = await api(appUrl, { sort: 'start:desc', size: 50, facets: true });
  for (let i = 0; i < 120 && first.notices.length > 0; i++) {
    await new Promise((r) => setTimeout(r, 500));
    first = await api(appUrl, { sort: 'start:desc', size: 50, facets: true });
  }
  if (first.notices.length > 0)
    throw new Error(`${fleet.label}: the list is not on the summaries: ${first.notices.join(' ')}`);
  if (first.approximate || first.total !== fleet.spec.recordings)
    throw new Error(
      `${fleet.label}: total ${first.total}${first.approximate ? ' (approximate)' : ''}, expected exactly ${fleet.spec.recordings}`,
    );
  for (const call of calls(fleet.spec)) {
    const ms: number[] = [];
    for (let i = -2; i < RUNS; i++) {
      const query = call.query(Math.abs(i) + (i < 0 ? 1000 : 0));
      for (let d = 0; d < (call.depth ?? 0); d++) {
        const page = await api(appUrl, query);
        if (!page.nextCursor) throw new Error(`${call.name}: only ${d + 1} pages`);
        query.cursor = page.nextCursor;
      }
      const answer = await api(appUrl, query);
      if (answer.notices.length > 0)
        throw new Error(`${call.name}: not on the summaries: ${answer.notices.join(' ')}`);
      if (i >= 0) ms.push(answer.ms);
    }
    times.set(call.name, ms);
    log(`${fleet.label}: ${call.name}: median ${round(median(ms))} ms, p95 ${round(p95(ms))} ms`);
  }
  return times;
}

type Message = Record<string, unknown>;

/**
 * Feeds FEED_RECORDINGS recordings, a message each every 500 ms, into an index
 * of the fleet's pattern while the server's summarizer runs, and measures how
 * long each message takes to reach its recording's summary (a realtime GET of
 * the summary: no refresh of the summaries index is waited for).
 */
async function lag(client: Client, fleet: Fleet): Promise<number[]> {
  const template = JSON.parse(fixtureLines('colors')[0] ?? '{}') as Message;
  const feedIndex = `${fleet.index}-feed`;
  const indexedAt = new Map<string, number[]>(); // rec -> time each id was indexed
  const lags: number[] = [];
  const seen = new Map<string, number>();
  const recs = Array.from({ length: FEED_RECORDINGS }, (_, r) => `feed-${Date.now()}-${r}`);
  const startedAt = Date.now();
  let feeding = true;
  const feeder = (async () => {
    for (let tick = 1; Date.now() - startedAt < FEED_SECONDS * 1000; tick++) {
      const now = Date.now();
      const operations = recs.flatMap((rec) => [
        { create: { _index: feedIndex } },
        {
          ...template,
          rec,
          host: 'feed-host',
          user: 'feeder',
          id: tick,
          pos: tick * 500,
          time: now / 1000,
          timestamp: new Date(now).toISOString(),
        },
      ]);
      const result = await client.bulk({ operations });
      if (result.errors) throw new Error('feed: bulk refused a message');
      const at = Date.now();
      for (const rec of recs) (indexedAt.get(rec) ?? indexedAt.set(rec, []).get(rec))?.push(at);
      await new Promise((r) => setTimeout(r, Math.max(0, 500 - (Date.now() - now))));
    }
    feeding = false;
  })();
  const watcher = (async () => {
    // Until every message fed is in its summary, or nothing changed for three freshness bounds.
    let lastChange = Date.now();
    for (;;) {
      for (const rec of recs) {
        const doc = await client
          .get<SummaryDocument>({ index: fleet.summaryIndex, id: summaryId(fleet.pattern, rec) })
          .then((r) => r._source ?? null)
          .catch(() => null);
        const lastId = doc?.last_id ?? 0;
        const before = seen.get(rec) ?? 0;
        if (lastId > before) {
          const now = Date.now();
          const times = indexedAt.get(rec) ?? [];
          for (let id = before + 1; id <= lastId; id++) lags.push(now - (times[id - 1] ?? now));
          seen.set(rec, lastId);
          lastChange = now;
        }
      }
      const fed = indexedAt.get(recs[0] ?? '')?.length ?? 0;
      if (!feeding && recs.every((rec) => (seen.get(rec) ?? 0) >= fed)) break;
      if (Date.now() - lastChange > FRESHNESS_MS * 3) break;
      await new Promise((r) => setTimeout(r, 100));
    }
  })();
  await feeder;
  await watcher;
  const fed = recs.length * (indexedAt.get(recs[0] ?? '')?.length ?? 0);
  if (lags.length !== fed)
    throw new Error(`lag: ${lags.length} of ${fed} messages reached their summaries`);
  await client.indices.delete({ index: feedIndex, ignore_unavailable: true });
  return lags;
}

async function main() {
  removeRows(ROWS);
  ensureBuild();
  const external = process.env.BENCH_ES_URL;
  const esUrl = external ?? startElasticsearch(ES_PORT);
  const client = new Client({ node: esUrl, requestTimeout: 600_000 });
  const esVersion = await elasticsearchVersion(esUrl);
  let app: ChildProcess | null = null;
  const results = new Map<Fleet['label'], Map<string, number[]>>();
  try {
    for (const [label, spec] of [
      ['small', SMALL],
      ['large', LARGE],
    ] as const) {
      const fleet = await prepare(client, label, spec);
      // Neither the messages nor the summaries answered from the request cache.
      for (const index of [fleet.index, fleet.summaryIndex])
        await client.indices.putSettings({
          index,
          settings: { 'index.requests.cache.enable': false },
        });
      app = await startApp(APP_PORT, {
        ES_URL: esUrl,
        ES_INDEX: fleet.pattern,
        SUMMARY_INDEX: fleet.summaryIndex,
        RECORDINGS_DIR: '',
      });
      const appUrl = `http://127.0.0.1:${APP_PORT}`;
      results.set(fleet.label, await measure(appUrl, fleet));
      if (fleet.label === 'large') {
        log(`large: feeding ${FEED_RECORDINGS} recordings for ${FEED_SECONDS} s`);
        const lags = await lag(client, fleet);
        rows.push({
          measure: `Summarizer lag under a steady feed (${FEED_RECORDINGS} recordings, ${FEED_RECORDINGS * 2} messages/s for ${FEED_SECONDS} s; median / p95 / max)`,
          value: `${round(median(lags) / 1000, 2)} / ${round(p95(lags) / 1000, 2)} / ${round(Math.max(...lags) / 1000, 2)} s`,
          target: `max ≤ ${FRESHNESS_MS / 1000} s`,
          pass: Math.max(...lags) <= FRESHNESS_MS,
        });
        log(rows[rows.length - 1]?.value ?? '');
      }
      app.kill('SIGTERM');
      app = null;
      for (const index of [fleet.index, fleet.summaryIndex])
        await client.indices.putSettings({
          index,
          settings: { 'index.requests.cache.enable': true },
        });
    }
    const large = results.get('large');
    const small = results.get('small');
    for (const call of calls(LARGE)) {
      const l = large?.get(call.name) ?? [];
      const s = small?.get(call.name) ?? [];
      const ratio = median(l) / median(s);
      const ok = p95(l) < TARGET_P95 && (call.common === true || ratio <= TARGET_RATIO);
      rows.push({
        measure: `${call.name}: large / small fleet (median / p95)`,
        value: `${round(median(l))} / ${round(p95(l))} ms, small ${round(median(s))} / ${round(p95(s))} ms: ${round(ratio, 2)}x`,
        target: call.common
          ? `large p95 < ${TARGET_P95} ms`
          : `large p95 < ${TARGET_P95} ms, ≤ ${TARGET_RATIO}x small`,
        pass: ok,
      });
    }
  } catch (err) {
    rows.push({
      measure: 'Recording summaries',
      value: err instanceof Error ? err.message : String(err),
      target: 'runs to the end',
      pass: false,
      failed: true,
    });
    throw err;
  } finally {
    app?.kill('SIGTERM');
    writeRows(ROWS, rows);
    await client.close();
    if (!external && !process.env.BENCH_KEEP_ES) stopElasticsearch(ES_PORT);
    const cpu = os.cpus()[0]?.model ?? 'unknown CPU';
    const load = os
      .loadavg()
      .map((l) => round(l, 1))
      .join(', ');
    const fleetText = (label: string, spec: FleetSpec) =>
      `${label}: ${spec.hosts} hosts, ${spec.users} users, ${spec.recordings.toLocaleString('en')} recordings, ${spec.messages.toLocaleString('en')} messages`;
    const text = [
      `# Recordings list on the summaries index${smoke ? ' (smoke run: small data, not the figures of record)' : ''}`,
      '',
      `Generated by \`node --conditions=react-server --import tsx bench/summaries/run.ts${smoke ? ' --smoke' : ''}\` on ${new Date().toISOString().slice(0, 16).replace('T', ' ')} UTC.`,
      `Machine: ${os.cpus().length} × ${cpu}, ${round(os.totalmem() / 1024 ** 3)} GiB, load average at the end ${load}; Node ${process.version}; Elasticsearch ${esVersion} (integ-test distribution, 1 GiB heap, one node).`,
      `Fleets (tests/support/fleet/, rsyslog's dynamic mapping): ${fleetText('large', LARGE)}; ${fleetText('small', SMALL)}. ${RUNS} measured runs per call after 2 warm-up runs, request cache off.`,
      '',
      "API: `GET /api/recordings` on the production server (scripts/server.mjs) with its summarizer running, wall time. Every answer was checked to come from the summaries (no notice), and the first page's total to be exact.",
      '',
      '| measure | value | target | result |',
      '|---|---|---|---|',
      ...rows.map(
        (r) =>
          `| ${r.measure} | ${r.value} | ${r.target || '–'} | ${r.failed ? '**FAILED**' : r.pass === null ? '–' : r.pass ? 'pass' : '**miss**'} |`,
      ),
      '',
      ...notes.map((n) => `- ${n}`),
      '',
    ].join('\n');
    await writeMarkdown(
      smoke
        ? path.join(ROOT, 'reports/bench-summaries-smoke.md')
        : path.join(ROOT, 'bench/summaries/RESULTS.md'),
      text,
    );
  }
  const missed = rows.some((r) => r.pass === false);
  process.exit(missed && !smoke ? 2 : 0);
}

main().catch((err: unknown) => {
  console.error(err);
  process.exit(1);
});
