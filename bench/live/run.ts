// Live follow (docs/live.md), measurement 9 of the suite (bench/run.ts):
//
// - the delay auditty adds over the source's own delivery: from the moment a
//   message is searchable in Elasticsearch (indexed with refresh=true) to its
//   text on the screen of a player following the recording in Chromium;
// - the cost of 50 followers of one recording and of 50 followers of 50
//   different recordings on one instance: the server's CPU, its memory, and
//   the searches it sends Elasticsearch, while each followed recording gets a
//   message a second.
//
//   BENCH_ES_URL=http://127.0.0.1:9290 node --import tsx bench/live/run.ts [--smoke]
//
// Needs a production build and Debian's Chromium. Writes its rows for the
// suite's table, and bench/live/RESULTS.md (a full run) or
// reports/bench-live-smoke.md.

import { readFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { Client } from '@elastic/elasticsearch';
import { chromium } from 'playwright-core';
import { fixtureLines } from '../../tests/support/fixtures';
import { startApp, treeRss } from '../lib/processes';
import {
  markdownTable,
  removeRows,
  rowsFile,
  writeMarkdown,
  writeRows,
  type Row,
} from '../lib/rows';
import { median, p95 } from '../lib/stats';

const ROOT = path.resolve(import.meta.dirname, '../..');
const smoke = process.argv.includes('--smoke');
const MODE = smoke
  ? { samples: 3, windowMs: 3_000, settleMs: 1_000 }
  : { samples: 20, windowMs: 30_000, settleMs: 2_500 };
const FOLLOWERS = 50;
const ROWS = rowsFile(ROOT, 'live', smoke);
const esUrl = process.env.BENCH_ES_URL;
if (!esUrl) throw new Error('BENCH_ES_URL is required');
const PORT = Number(process.env.BENCH_LIVE_APP_PORT ?? 3295);
const index = `tlog-bench-live-${Date.now()}`;
const client = new Client({ node: esUrl });
const template = JSON.parse(fixtureLines('colors')[0] ?? '{}') as Record<string, unknown>;
const log = (message: string) => console.log(`[bench:live] ${message}`);

/** A message of recording `rec` numbered `id`, recorded now, printing `text`. */
function message(rec: string, id: number, startMs: number, text: string) {
  const pos = Date.now() - startMs;
  return {
    ...template,
    rec,
    id,
    pos,
    time: Date.now() / 1000,
    timing: `=80x24>${text.length}`,
    in_txt: '',
    in_bin: [],
    out_txt: text,
    out_bin: [],
  };
}

/** CPU seconds a process and its children used (utime + stime of each, from /proc). */
function cpuSeconds(pid: number): number {
  const ticks = 100; // getconf CLK_TCK on Linux
  const read = (p: number) => {
    try {
      const stat = readFileSync(`/proc/${p}/stat`, 'utf8');
      const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
      return (Number(fields[11]) + Number(fields[12])) / ticks;
    } catch {
      return 0;
    }
  };
  return read(pid);
}

async function searches(): Promise<number> {
  const stats = await client.nodes.stats({ metric: 'indices', index_metric: 'search' });
  return Object.values(stats.nodes).reduce(
    (n, node) => n + (node.indices?.search?.query_total ?? 0),
    0,
  );
}

async function put(docs: object[]) {
  await client.bulk({
    refresh: true,
    operations: docs.flatMap((doc) => [{ index: { _index: index } }, doc]),
  });
}

/** Opens a live stream and counts the messages it delivers. */
function follower(rec: string, afterId: number) {
  const controller = new AbortController();
  const state = { messages: 0, done: null as Promise<void> | null };
  state.done = (async () => {
    const response = await fetch(
      `http://127.0.0.1:${PORT}/api/recordings/${rec}/live?after=${afterId}`,
      { signal: controller.signal },
    );
    if (!response.ok) throw new Error(`live ${rec}: ${response.status} ${await response.text()}`);
    const reader = response.body!.pipeThrough(new TextDecoderStream()).getReader();
    for (;;) {
      const { value, done } = await reader.read();
      if (done) return;
      for (const line of value.split('\n')) if (line.startsWith('{"ver"')) state.messages += 1;
    }
  })().catch((err: unknown) => {
    if (!controller.signal.aborted) throw err;
  });
  return { state, stop: () => controller.abort() };
}

async function main() {
  removeRows(ROWS);
  const rows: Row[] = [];
  const startMs = Date.now() - 1000;
  // 51 recordings, each begun with one message.
  const recs = Array.from({ length: FOLLOWERS + 1 }, (_, i) => `bench-live-${i}`);
  await put(recs.map((rec) => message(rec, 1, startMs, '$ ')));
  const app = await startApp(PORT, {
    ES_URL: esUrl!,
    ES_INDEX: index,
    SUMMARY_INDEX: `auditty-summaries-bench-live`,
    AUDIT_INDEX: `auditty-audit-bench-live`,
    LIVE_MAX_STREAMS: '200',
    LIVE_MAX_PER_USER: '200',
  });
  const pid = app.pid ?? 0;
  try {
    // 1. Searchable to on screen, in Chromium.
    const browser = await chromium.launch({
      executablePath: '/usr/bin/chromium',
      args: ['--no-sandbox', '--disable-gpu', '--disable-background-networking'],
    });
    const delays: number[] = [];
    try {
      const page = await browser.newPage();
      const rec = recs[FOLLOWERS]!;
      await page.goto(`http://127.0.0.1:${PORT}/recordings/${rec}?live=1`);
      await page.waitForSelector('[data-live-state="live"]', { timeout: 60_000 });
      for (let i = 0; i < MODE.samples; i++) {
        // A random phase against the server's poll.
        await new Promise((r) => setTimeout(r, 300 + Math.random() * 1000));
        const marker = `marker-${i}-${Math.random().toString(36).slice(2, 8)}`;
        await put([message(rec, i + 2, startMs, `${marker}\r\n`)]);
        const searchable = Date.now();
        await page.waitForFunction(
          (text) => document.querySelector('.xterm-rows')?.textContent?.includes(text) ?? false,
          marker,
          { polling: 10, timeout: 30_000 },
        );
        delays.push(Date.now() - searchable);
      }
    } finally {
      await browser.close();
    }
    log(`searchable to screen: ${delays.join(', ')} ms`);
    rows.push({
      measure: `Live: searchable in Elasticsearch to on screen, median / p95 of ${delays.length} (LIVE_POLL_MS 1000)`,
      value: `${median(delays)} / ${p95(delays)} ms`,
      target: '',
      pass: null,
    });

    // 2. 50 followers: of one recording, then of 50.
    const nextId = new Map(recs.map((rec) => [rec, 2]));
    for (const shape of ['one recording', `${FOLLOWERS} recordings`] as const) {
      const targets = shape === 'one recording' ? recs.slice(0, 1) : recs.slice(0, FOLLOWERS);
      const followers = Array.from({ length: FOLLOWERS }, (_, i) => {
        const rec = targets[i % targets.length]!;
        return follower(rec, nextId.get(rec)! - 1);
      });
      await new Promise((r) => setTimeout(r, MODE.settleMs));
      const [cpu0, searches0, t0] = [cpuSeconds(pid), await searches(), Date.now()];
      let written = 0;
      while (Date.now() - t0 < MODE.windowMs) {
        const docs = targets.map((rec) => {
          const id = nextId.get(rec)!;
          nextId.set(rec, id + 1);
          return message(rec, id, startMs, `line ${id}\r\n`);
        });
        await put(docs);
        written += docs.length;
        await new Promise((r) => setTimeout(r, 1000));
      }
      await new Promise((r) => setTimeout(r, MODE.settleMs));
      const seconds = (Date.now() - t0) / 1000;
      const cpu = (cpuSeconds(pid) - cpu0) / seconds;
      const searched = ((await searches()) - searches0) / seconds;
      const rss = treeRss(pid);
      const delivered = followers.reduce((n, f) => n + f.state.messages, 0);
      const expected = (written / targets.length) * FOLLOWERS;
      for (const f of followers) f.stop();
      await Promise.all(followers.map((f) => f.state.done));
      if (delivered !== expected)
        throw new Error(`${shape}: delivered ${delivered} messages, expected ${expected}`);
      log(
        `${FOLLOWERS} followers of ${shape}: ${(cpu * 100).toFixed(1)}% CPU, ${searched.toFixed(1)} searches/s, ${(rss / 2 ** 20).toFixed(0)} MiB, ${delivered} messages delivered`,
      );
      rows.push({
        measure: `Live: ${FOLLOWERS} followers of ${shape}, each recording growing 1 message/s (server CPU, searches sent to Elasticsearch, server memory)`,
        value: `${(cpu * 100).toFixed(1)}% of a core, ${searched.toFixed(1)} searches/s, ${(rss / 2 ** 20).toFixed(0)} MiB; ${delivered.toLocaleString('en')} messages delivered, none lost`,
        target: '',
        pass: null,
      });
      await new Promise((r) => setTimeout(r, MODE.settleMs));
    }
  } finally {
    app.kill('SIGTERM');
    await client.indices.delete({ index, ignore_unavailable: true }).catch(() => undefined);
  }
  writeRows(ROWS, rows);
  const text = [
    `# Live follow${smoke ? ' (smoke run: not the figures of record)' : ''}`,
    '',
    `Generated by \`bench/live/run.ts${smoke ? ' --smoke' : ''}\` on ${new Date().toISOString().slice(0, 10)}. Machine: ${os.cpus().length} × ${os.cpus()[0]?.model ?? 'unknown CPU'}; Node ${process.version}. The production build, on Elasticsearch (BENCH_ES_URL), Debian's Chromium.`,
    '',
    ...markdownTable(rows),
    '',
  ];
  await writeMarkdown(
    smoke
      ? path.join(ROOT, 'reports/bench-live-smoke.md')
      : path.join(ROOT, 'bench/live/RESULTS.md'),
    text.join('\n'),
  );
}

main().catch((err: unknown) => {
  console.error(err);
  process.exitCode = 1;
});
