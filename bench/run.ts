// The benchmark suite: `npm run bench` (full, writes bench/RESULTS.md) or
// `npm run bench -- --smoke` (small data, writes reports/bench-smoke.md; CI
// runs it so the suite does not rot). See bench/README.md.

import { existsSync, mkdirSync, statSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { spawnSync } from 'node:child_process';
import { Client } from '@elastic/elasticsearch';
import { decodeFile, xtermWrite } from './decoder';
import { generateRecording } from './lib/generate';
import { importFile, ROOT, startApp, startElasticsearch, stopElasticsearch } from './lib/processes';
import { median, p95, round } from './lib/stats';
import { apiStream, bareSearchAfter, tlogPlayEs } from './streaming';

const smoke = process.argv.includes('--smoke');
const ES_PORT = Number(process.env.BENCH_ES_PORT ?? 9290);
const APP_PORT = Number(process.env.BENCH_APP_PORT ?? 3290);
const RUNS = smoke ? 2 : 5;
const size = smoke
  ? { messages: 2_000, output: 1_000_000 }
  : { messages: 100_000, output: 100 * 1024 * 1024 };
const dataDir = path.join(ROOT, 'bench/data');
const MB = 1024 * 1024;

interface Row {
  measure: string;
  value: string;
  target: string;
  pass: boolean | null;
}
const rows: Row[] = [];
const notes: string[] = [];
function row(measure: string, value: string, target = '', pass: boolean | null = null) {
  rows.push({ measure, value, target, pass });
  console.log(`${measure}: ${value}${target ? ` (target ${target}: ${pass ? 'pass' : 'MISS'})` : ''}`);
}

async function ensureData(name: string, messages: number, output: number, seed: number) {
  mkdirSync(dataDir, { recursive: true });
  const file = path.join(dataDir, `${name}.tlog`);
  const rec = `bench-${name}-${seed}`;
  const info = await generateRecording({ file, rec, minMessages: messages, minOutputBytes: output, seed });
  return info;
}

async function ensureIndexed(client: Client, esUrl: string, index: string, file: string, messages: number) {
  const count = await client
    .count({ index })
    .then((r) => r.count)
    .catch(() => -1);
  if (count === messages) return;
  await client.indices.delete({ index, ignore_unavailable: true });
  const started = performance.now();
  importFile(esUrl, index, file);
  notes.push(`Importing ${messages.toLocaleString('en')} messages into ${index} took ${round((performance.now() - started) / 1000)} s.`);
}

async function main() {
  if (!existsSync(path.join(ROOT, '.next/BUILD_ID'))) {
    const build = spawnSync(process.execPath, [path.join(ROOT, 'node_modules/next/dist/bin/next'), 'build'], { cwd: ROOT, stdio: 'inherit' });
    if (build.status !== 0) throw new Error('next build failed');
  }
  const label = smoke ? 'smoke' : 'full';
  const big = await ensureData(`${label}-big`, size.messages, size.output, 1);
  const small = await ensureData(`${label}-small`, Math.ceil(size.messages / 10), Math.ceil(size.output / 10), 2);
  row('Recording', `${big.messages.toLocaleString('en')} messages, ${round(big.outputBytes / MB)} MB of output, ${round(big.fileBytes / MB)} MB of tlog JSON`);

  const esUrl = startElasticsearch(ES_PORT);
  const client = new Client({ node: esUrl, requestTimeout: 120_000 });
  const app = await startApp(APP_PORT, { ES_URL: esUrl, ES_INDEX: `bench-${label}-*`, RECORDINGS_DIR: '' });
  try {
    await ensureIndexed(client, esUrl, `bench-${label}-big`, big.file, big.messages);
    await ensureIndexed(client, esUrl, `bench-${label}-small`, small.file, small.messages);
    const appUrl = `http://127.0.0.1:${APP_PORT}`;
    const pid = app.pid ?? 0;

    // 1. API vs bare search_after, alternating in the same run.
    const bare: number[] = [];
    const api: number[] = [];
    const ttfb: number[] = [];
    let peakBig = 0;
    await apiStream(appUrl, big.rec, pid); // warm-up: caches, JIT, connections
    for (let i = 0; i < RUNS; i++) {
      const b = await bareSearchAfter(client, `bench-${label}-big`, big.rec);
      const a = await apiStream(appUrl, big.rec, pid);
      if (a.messages !== big.messages || b.messages !== big.messages) {
        throw new Error(`read ${a.messages} (API) and ${b.messages} (bare) of ${big.messages} messages`);
      }
      bare.push(b.ms);
      api.push(a.ms);
      ttfb.push(a.ttfbMs);
      peakBig = Math.max(peakBig, a.peakRss);
    }
    const ratio = median(api) / median(bare);
    row('Bare search_after loop (median / p95)', `${round(median(bare))} / ${round(p95(bare))} ms`);
    row('GET /messages, whole recording (median / p95)', `${round(median(api))} / ${round(p95(api))} ms`);
    row('API / bare ratio (medians)', `${round(ratio, 2)}x`, '≤ 1.3x', ratio <= 1.3);
    row('Time to first byte (median / p95)', `${round(median(ttfb))} / ${round(p95(ttfb))} ms`, '< 300 ms (p95)', p95(ttfb) < 300);

    let peakSmall = 0;
    for (let i = 0; i < RUNS; i++) peakSmall = Math.max(peakSmall, (await apiStream(appUrl, small.rec, pid)).peakRss);
    row(
      'Server peak RSS, default V8 heap sizing',
      `${round(peakSmall / MB)} MB (${small.messages.toLocaleString('en')} msgs) → ${round(peakBig / MB)} MB (${big.messages.toLocaleString('en')} msgs)`,
    );
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
        if (b.messages !== big.messages) throw new Error(`capped server streamed ${b.messages} messages`);
        big192 = Math.max(big192, b.peakRss);
      }
      const growth = big192 / small192;
      row(
        'Server peak RSS, old space capped at 192 MB',
        `${round(small192 / MB)} MB (${small.messages.toLocaleString('en')} msgs) → ${round(big192 / MB)} MB (${big.messages.toLocaleString('en')} msgs): ${round(growth, 2)}x`,
        'no growth with size (≤ 1.2x)',
        growth <= 1.2,
      );
    } finally {
      capped.kill('SIGTERM');
    }

    // 2. tlog-play's own Elasticsearch reader.
    const tp = tlogPlayEs(esUrl, `bench-${label}-big`, big.rec, smoke ? 10 : 60);
    row('tlog-play -r es on the same recording', tp.outcome);

    // 4. Decoder vs xterm.js's parser on the same bytes.
    const decode: number[] = [];
    const write: number[] = [];
    let decoded = decodeFile(big.file);
    for (let i = 0; i < Math.min(RUNS, 3); i++) {
      decoded = decodeFile(big.file);
      decode.push(decoded.ms);
      write.push((await xtermWrite(decoded.output)).ms);
    }
    const decodeMBs = decoded.inputBytes / MB / (median(decode) / 1000);
    const decodeOutMBs = decoded.outputBytes / MB / (median(decode) / 1000);
    const writeMBs = decoded.outputBytes / MB / (median(write) / 1000);
    row('Decoder: tlog JSON → events (median)', `${round(median(decode))} ms: ${round(decodeMBs)} MB/s of JSON, ${round(decodeOutMBs)} MB/s of output`);
    row('@xterm/headless write of the same output (median)', `${round(median(write))} ms: ${round(writeMBs)} MB/s`);
    row('Decoder / terminal throughput', `${round(decodeOutMBs / writeMBs, 1)}x`, 'decoder faster than the terminal (> 1x)', decodeOutMBs > writeMBs);
  } finally {
    app.kill('SIGTERM');
    await client.close();
    if (!process.env.BENCH_KEEP_ES) stopElasticsearch(ES_PORT);
  }

  const cpu = os.cpus()[0]?.model ?? 'unknown CPU';
  const header = [
    `# auditty benchmarks${smoke ? ' (smoke run, small data: not the figures of record)' : ''}`,
    '',
    `Generated by \`npm run bench${smoke ? ' -- --smoke' : ''}\` on ${new Date().toISOString().slice(0, 10)}.`,
    `Machine: ${os.cpus().length} × ${cpu}, ${round(os.totalmem() / 1024 ** 3)} GiB; Node ${process.version}; Elasticsearch 8.19.9 (integ-test distribution, 1 GiB heap); ${RUNS} runs each.`,
    '',
    '| measure | value | target | result |',
    '|---|---|---|---|',
    ...rows.map((r) => `| ${r.measure} | ${r.value} | ${r.target || '–'} | ${r.pass === null ? '–' : r.pass ? 'pass' : '**miss**'} |`),
    '',
    ...notes.map((n) => `- ${n}`),
    '',
  ];
  const out = smoke ? path.join(ROOT, 'reports/bench-smoke.md') : path.join(ROOT, 'bench/RESULTS.md');
  mkdirSync(path.dirname(out), { recursive: true });
  writeFileSync(out, header.join('\n'));
  console.log(`\nwrote ${path.relative(ROOT, out)} (${statSync(out).size} bytes)`);
}

main().catch((err: unknown) => {
  console.error(err);
  process.exitCode = 1;
});
