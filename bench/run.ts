// The benchmark suite: `npm run bench` (full, writes bench/RESULTS.md) or
// `npm run bench -- --smoke` (small data, writes reports/bench-smoke.md; CI
// runs it so the suite does not rot). One table of every figure of issue 7,
// numbered as bench/README.md numbers them: 1, 2 and 4 are measured here, 3
// (the player, bench/player/run.ts) and 5 (the list, bench/list/run.ts) in
// child processes whose rows (bench/data/*-rows*.json) join the table.
//
// `--only=1,4` (or BENCH_ONLY=1,4) runs some of the measurements. A
// measurement that breaks is a row marked failed, the others still run, the
// table is still written, and the suite exits 1. Missed targets are reported,
// not failed. See bench/README.md.

import { mkdirSync, statSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { once } from 'node:events';
import { setTimeout as sleep } from 'node:timers/promises';
import { spawnSync, type ChildProcess } from 'node:child_process';
import { Client } from '@elastic/elasticsearch';
import { decodeFile, xtermWrite } from './decoder';
import { generateRecording } from './lib/generate';
import {
  ensureBuild,
  importFile,
  ROOT,
  startApp,
  startElasticsearch,
  stopElasticsearch,
} from './lib/processes';
import { markdownTable, readRows, removeRows, rowsFile, writeMarkdown, type Row } from './lib/rows';
import { median, p95, round } from './lib/stats';
import { apiStream, bareSearchAfter, runTlogPlay, tlogPlayEs } from './streaming';

const args = process.argv.slice(2);
const smoke = args.includes('--smoke');
const ES_PORT = Number(process.env.BENCH_ES_PORT ?? 9290);
const APP_PORT = Number(process.env.BENCH_APP_PORT ?? 3290);
const RUNS = smoke ? 2 : 5;
const size = smoke
  ? { messages: 2_000, output: 1_000_000 }
  : { messages: 100_000, output: 100 * 1024 * 1024 };
const dataDir = path.join(ROOT, 'bench/data');
const MB = 1024 * 1024;
const label = smoke ? 'smoke' : 'full';

const ALL = [1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11];
const onlyOption =
  args.find((a) => a.startsWith('--only='))?.slice('--only='.length) ?? process.env.BENCH_ONLY;
const only = onlyOption ? onlyOption.split(',').map((s) => Number(s.trim())) : ALL;
if (only.length === 0 || only.some((n) => !ALL.includes(n))) {
  console.error(
    `--only / BENCH_ONLY takes measurement numbers 1 to 11, e.g. 1,4; got "${onlyOption}"`,
  );
  process.exit(2);
}
const partial = ALL.some((n) => !only.includes(n));
const runs = (...ns: number[]) => ns.some((n) => only.includes(n));

/** The table's rows, each with the number of its measurement (bench/README.md). */
const rows: { n: number; row: Row }[] = [];
const notes: string[] = [];
const failures: string[] = [];
function row(n: number, measure: string, value: string, target = '', pass: boolean | null = null) {
  rows.push({ n, row: { measure: `${n}. ${measure}`, value, target, pass } });
  console.log(
    `${n}. ${measure}: ${value}${target ? ` (target ${target}: ${pass ? 'pass' : 'MISS'})` : ''}`,
  );
}

/** Runs measurement n unless --only leaves it out; a failure becomes a row, and the suite goes on. */
async function part(n: number, name: string, measure: () => Promise<void>): Promise<void> {
  if (!only.includes(n)) return;
  console.log(`\n== ${n}. ${name}`);
  try {
    await measure();
  } catch (err) {
    console.error(err);
    const message = err instanceof Error ? err.message : String(err);
    failures.push(`${n}. ${name}: ${message}`);
    const measure = `${n}. ${name}`;
    const value = message.split('\n')[0] ?? '';
    rows.push({ n, row: { measure, value, target: 'runs to the end', pass: false, failed: true } });
    console.log(`${measure}: FAILED: ${value}`);
  }
}

function memo<T>(f: () => Promise<T>): () => Promise<T> {
  let result: Promise<T> | undefined;
  return () => (result ??= f());
}

async function stop(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return;
  const exited = once(child, 'exit');
  child.kill('SIGTERM');
  await Promise.race([exited, sleep(10_000, undefined, { ref: false })]);
  if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
}

async function ensureData(name: string, messages: number, output: number, seed: number) {
  mkdirSync(dataDir, { recursive: true });
  const file = path.join(dataDir, `${name}.tlog`);
  const rec = `bench-${name}-${seed}`;
  return generateRecording({ file, rec, minMessages: messages, minOutputBytes: output, seed });
}

async function ensureIndexed(
  client: Client,
  esUrl: string,
  index: string,
  file: string,
  messages: number,
) {
  const count = await client
    .count({ index })
    .then((r) => r.count)
    .catch(() => -1);
  if (count === messages) return;
  await client.indices.delete({ index, ignore_unavailable: true });
  const started = performance.now();
  importFile(esUrl, index, file);
  notes.push(
    `Importing ${messages.toLocaleString('en')} messages into ${index} took ${round((performance.now() - started) / 1000)} s.`,
  );
}

/**
 * Runs bench/<name>/run.ts in the same mode as a child process and adds the
 * rows it wrote, numbered n, to the table: also when it failed part way, and
 * then throws. Exit code 2 is a full run that missed a target: its rows say so.
 */
function childBench(n: number, name: string, nodeArgs: string[], env: Record<string, string>) {
  const file = rowsFile(ROOT, name, smoke);
  removeRows(file);
  const script = `bench/${name}/run.ts`;
  const started = performance.now();
  const result = spawnSync(
    process.execPath,
    [...nodeArgs, '--import', 'tsx', script, ...(smoke ? ['--smoke'] : [])],
    { cwd: ROOT, env: { ...process.env, ...env }, stdio: 'inherit' },
  );
  const got = readRows(file);
  for (const r of got ?? []) rows.push({ n, row: { ...r, measure: `${n}. ${r.measure}` } });
  console.log(
    `${script}: exit ${result.status ?? result.signal}, ${got?.length ?? 0} rows, ${round((performance.now() - started) / 1000)} s`,
  );
  const how = result.error
    ? `did not start (${result.error.message})`
    : result.status === 0 || result.status === 2
      ? null
      : `exited with ${result.status ?? result.signal}`;
  if (how) throw new Error(`${script} ${how}; see its output above`);
  if (!got || got.length === 0) throw new Error(`${script} wrote no rows to ${file}`);
}

async function main() {
  if (runs(1, 3, 5, 7, 9, 10, 11)) ensureBuild();

  // What the measurements share, made when the first one asks for it.
  const recordings = memo(async () => {
    const big = await ensureData(`${label}-big`, size.messages, size.output, 1);
    const small = await ensureData(
      `${label}-small`,
      Math.ceil(size.messages / 10),
      Math.ceil(size.output / 10),
      2,
    );
    row(
      1,
      'Recording (the data of 1, 2 and 4)',
      `${big.messages.toLocaleString('en')} messages, ${round(big.outputBytes / MB)} MB of output, ${round(big.fileBytes / MB)} MB of tlog JSON`,
    );
    return { big, small };
  });
  let esState: 'down' | 'up' | 'stopped' = 'down';
  const elasticsearch = memo(async () => {
    const url = startElasticsearch(ES_PORT);
    esState = 'up';
    return { url, client: new Client({ node: url, requestTimeout: 120_000 }) };
  });
  const indexed = memo(async () => {
    const { big, small } = await recordings();
    const { url, client } = await elasticsearch();
    await ensureIndexed(client, url, `bench-${label}-big`, big.file, big.messages);
    await ensureIndexed(client, url, `bench-${label}-small`, small.file, small.messages);
    return { big, small, url, client };
  });
  const stopEs = async () => {
    if (esState !== 'up') return;
    esState = 'stopped';
    await (await elasticsearch()).client.close();
    if (!process.env.BENCH_KEEP_ES) stopElasticsearch(ES_PORT);
  };

  try {
    await part(1, 'Streaming API', async () => {
      const { big, small, url: esUrl, client } = await indexed();
      const app = await startApp(APP_PORT, {
        ES_URL: esUrl,
        ES_INDEX: `bench-${label}-*`,
        RECORDINGS_DIR: '',
      });
      try {
        const appUrl = `http://127.0.0.1:${APP_PORT}`;
        const pid = app.pid ?? 0;

        // API vs bare search_after, alternating in the same run.
        const bare: number[] = [];
        const api: number[] = [];
        const ttfb: number[] = [];
        let peakBig = 0;
        await apiStream(appUrl, big.rec, pid); // warm-up: caches, JIT, connections
        for (let i = 0; i < RUNS; i++) {
          const b = await bareSearchAfter(client, `bench-${label}-big`, big.rec);
          const a = await apiStream(appUrl, big.rec, pid);
          if (a.messages !== big.messages || b.messages !== big.messages) {
            throw new Error(
              `read ${a.messages} (API) and ${b.messages} (bare) of ${big.messages} messages`,
            );
          }
          bare.push(b.ms);
          api.push(a.ms);
          ttfb.push(a.ttfbMs);
          peakBig = Math.max(peakBig, a.peakRss);
        }
        const ratio = median(api) / median(bare);
        row(
          1,
          'Bare search_after loop (median / p95)',
          `${round(median(bare))} / ${round(p95(bare))} ms`,
        );
        row(
          1,
          'GET /messages, whole recording (median / p95)',
          `${round(median(api))} / ${round(p95(api))} ms`,
        );
        row(1, 'API / bare ratio (medians)', `${round(ratio, 2)}x`, '≤ 1.2x', ratio <= 1.2);
        row(
          1,
          'Time to first byte (median / p95)',
          `${round(median(ttfb))} / ${round(p95(ttfb))} ms`,
          '< 300 ms (p95)',
          p95(ttfb) < 300,
        );

        let peakSmall = 0;
        for (let i = 0; i < RUNS; i++) {
          peakSmall = Math.max(peakSmall, (await apiStream(appUrl, small.rec, pid)).peakRss);
        }
        row(
          1,
          'Server peak RSS, default V8 heap sizing',
          `${round(peakSmall / MB)} MB (${small.messages.toLocaleString('en')} msgs) → ${round(peakBig / MB)} MB (${big.messages.toLocaleString('en')} msgs)`,
        );
      } finally {
        await stop(app);
      }
      // V8 grows its heap lazily with the volume allocated, so the figures above
      // move with GC heuristics. Under a fixed old-space cap the same streams
      // show whether memory really depends on the recording's size.
      const capped = await startApp(APP_PORT + 1, {
        ES_URL: esUrl,
        ES_INDEX: `bench-${label}-*`,
        NODE_OPTIONS: '--max-old-space-size=192',
      });
      try {
        const cappedUrl = `http://127.0.0.1:${APP_PORT + 1}`;
        const cpid = capped.pid ?? 0;
        let small192 = 0;
        let big192 = 0;
        for (let i = 0; i < Math.min(RUNS, 3); i++) {
          small192 = Math.max(small192, (await apiStream(cappedUrl, small.rec, cpid)).peakRss);
          const b = await apiStream(cappedUrl, big.rec, cpid);
          if (b.messages !== big.messages) {
            throw new Error(`capped server streamed ${b.messages} messages`);
          }
          big192 = Math.max(big192, b.peakRss);
        }
        const growth = big192 / small192;
        row(
          1,
          'Server peak RSS, old space capped at 192 MB',
          `${round(small192 / MB)} MB (${small.messages.toLocaleString('en')} msgs) → ${round(big192 / MB)} MB (${big.messages.toLocaleString('en')} msgs): ${round(growth, 2)}x`,
          'no growth with size (≤ 1.2x)',
          growth <= 1.2,
        );
      } finally {
        await stop(capped);
      }
    });

    await part(2, "tlog-play's Elasticsearch reader", async () => {
      const { big, url } = await indexed();
      const tp = tlogPlayEs(url, `bench-${label}-big`, big.rec, smoke ? 10 : 60);
      row(2, 'tlog-play -r es on the same recording', tp.outcome);
    });

    await part(4, 'Decoder vs terminal', async () => {
      const { big } = await recordings();
      const decode: number[] = [];
      const write: number[] = [];
      let decoded = decodeFile(big.file);
      for (let i = 0; i < Math.min(RUNS, 3); i++) {
        decoded = decodeFile(big.file);
        decode.push(decoded.ms);
        write.push((await xtermWrite(decoded.output)).ms);
      }
      // tlog-play on the same file in the same run: --goto=end reads and
      // decodes every message and writes all the output at once, to a pty.
      const play: number[] = [];
      let playOutcome = '';
      for (let i = 0; i < 2; i++) {
        const tp = runTlogPlay(
          `exec tlog-play -r file -i '${big.file}' --goto=end`,
          smoke ? 60 : 300,
        );
        playOutcome = tp.outcome;
        if (tp.status !== 0) break;
        play.push(tp.ms);
      }
      const decodeMBs = decoded.inputBytes / MB / (median(decode) / 1000);
      const decodeOutMBs = decoded.outputBytes / MB / (median(decode) / 1000);
      const writeMBs = decoded.outputBytes / MB / (median(write) / 1000);
      row(
        4,
        'Decoder: tlog JSON → events (median)',
        `${round(median(decode))} ms: ${round(decodeMBs)} MB/s of JSON, ${round(decodeOutMBs)} MB/s of output`,
        '≥ 100 MB/s of JSON',
        decodeMBs >= 100,
      );
      if (play.length === 2) {
        const playMBs = decoded.inputBytes / MB / (median(play) / 1000);
        row(
          4,
          'tlog-play -r file --goto=end on the same file (its output to a pty; median of 2)',
          `${round(median(play))} ms: ${round(playMBs)} MB/s of JSON`,
        );
        row(4, 'Decoder / tlog-play throughput', `${round(decodeMBs / playMBs, 1)}x`);
      } else {
        row(4, 'tlog-play -r file --goto=end on the same file', playOutcome);
      }
      row(
        4,
        '@xterm/headless write of the same output (median)',
        `${round(median(write))} ms: ${round(writeMBs)} MB/s`,
      );
      row(
        4,
        'Decoder / terminal throughput',
        `${round(decodeOutMBs / writeMBs, 1)}x`,
        'decoder faster than the terminal (> 1x)',
        decodeOutMBs > writeMBs,
      );
    });

    // 5 uses the suite's Elasticsearch, which then stops before 3 (which needs none).
    await part(5, 'List and search latency', async () => {
      const { url } = await elasticsearch();
      childBench(5, 'list', ['--conditions=react-server'], {
        BENCH_ES_URL: url,
        BENCH_LIST_APP_PORT: process.env.BENCH_LIST_APP_PORT ?? String(APP_PORT + 2),
      });
    });

    // 7, on the same Elasticsearch: the list on the summaries index (5 measures the fallback).
    await part(7, 'Recording summaries', async () => {
      const { url } = await elasticsearch();
      childBench(7, 'summaries', ['--conditions=react-server'], {
        BENCH_ES_URL: url,
        BENCH_SUMMARIES_APP_PORT: process.env.BENCH_SUMMARIES_APP_PORT ?? String(APP_PORT + 3),
      });
    });
    // 9, on the same Elasticsearch: live follow (bench/live).
    await part(9, 'Live follow', async () => {
      const { url } = await elasticsearch();
      childBench(9, 'live', [], {
        BENCH_ES_URL: url,
        BENCH_LIVE_APP_PORT: process.env.BENCH_LIVE_APP_PORT ?? String(APP_PORT + 5),
      });
    });
    await stopEs();

    await part(3, 'Player', async () => {
      // The 1 GB recording is generated in memory first (bench/player/make-recording.ts).
      childBench(3, 'player', ['--max-old-space-size=12288'], {});
    });

    await part(6, 'Text export of hostile output', async () => {
      childBench(6, 'export', ['--conditions=react-server'], {});
    });

    await part(8, 'Find in a recording', async () => {
      childBench(8, 'find', ['--expose-gc', '--max-old-space-size=8000'], {});
    });

    await part(10, 'Page JS per route', async () => {
      childBench(10, 'bundle', [], {});
    });

    await part(11, 'First text on screen, a small recording', async () => {
      childBench(11, 'first-frame', [], {});
    });
  } finally {
    await stopEs();
  }

  const cpu = os.cpus()[0]?.model ?? 'unknown CPU';
  const command = `npm run bench${smoke || partial ? ' --' : ''}${smoke ? ' --smoke' : ''}${partial ? ` --only=${only.join(',')}` : ''}`;
  const details = [
    runs(3) &&
      `3: ${smoke ? 'bench/data/player-smoke-results.md' : 'bench/player/RESULTS.md'} (bench/player/README.md)`,
    runs(5) &&
      `5: ${smoke ? 'reports/bench-list-smoke.md' : 'bench/list/RESULTS.md'} (bench/list/README.md)`,
    runs(7) &&
      `7: ${smoke ? 'reports/bench-summaries-smoke.md' : 'bench/summaries/RESULTS.md'} (bench/summaries/README.md)`,
    runs(8) &&
      `8: ${smoke ? 'reports/bench-find-smoke.md' : 'bench/find/RESULTS.md'} (bench/find/README.md)`,
    runs(9) && `9: ${smoke ? 'reports/bench-live-smoke.md' : 'bench/live/RESULTS.md'}`,
  ].filter(Boolean);
  const missed = rows.filter((r) => r.row.pass === false && !r.row.failed).length;
  const text = [
    `# auditty benchmarks${smoke ? ' (smoke run, small data: not the figures of record)' : ''}`,
    '',
    `Generated by \`${command}\` on ${new Date().toISOString().slice(0, 10)}${partial ? `: measurements ${only.join(', ')} only` : ''}.`,
    `Machine: ${os.cpus().length} × ${cpu}, ${round(os.totalmem() / 1024 ** 3)} GiB; Node ${process.version}; Elasticsearch 8.19.9 (integ-test distribution, 1 GiB heap).`,
    `Measurements 1 and 4: ${RUNS} runs each. Numbers as in bench/README.md.${details.length ? ` Details of ${details.join('; ')}.` : ''}`,
    '',
    ...markdownTable(rows.sort((a, b) => a.n - b.n).map((r) => r.row)),
    '',
    ...notes.map((n) => `- ${n}`),
    '',
  ];
  const out = smoke
    ? path.join(ROOT, 'reports/bench-smoke.md')
    : path.join(ROOT, 'bench/RESULTS.md');
  await writeMarkdown(out, text.join('\n'));
  console.log(`\n${markdownTable(rows.map((r) => r.row)).join('\n')}`);
  console.log(
    `\nwrote ${path.relative(ROOT, out)} (${statSync(out).size} bytes): ${rows.length} rows, ${missed} missed target(s), ${failures.length} failed measurement(s)`,
  );
  if (failures.length > 0) {
    console.error(`\nbench: ${failures.length} measurement(s) FAILED:\n  ${failures.join('\n  ')}`);
    process.exitCode = 1;
  }
}

main().catch((err: unknown) => {
  console.error(err);
  process.exitCode = 1;
});
