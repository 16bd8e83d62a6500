// Find in a recording (docs/find.md): the screen text index's build time and
// memory, and search times, on the player benchmark's recording (bench/player:
// real fixtures played one after another to 105 MB of output).
//
//   node --expose-gc --import tsx bench/find/run.ts           # 105 MB, writes bench/find/RESULTS.md
//   node --expose-gc --import tsx bench/find/run.ts --smoke   # 2 MB, for CI
//
// In-process, the code the keyframe worker runs (V8, as in Chromium): the
// keyframe build with and without the index, the index's heap (measured, with
// a GC before each reading), and each search the way the worker runs it.
// Writes its rows for the suite's table (bench/run.ts, measurement 8).

import os from 'node:os';
import path from 'node:path';
import { CommandTracker } from '../../lib/replay/adapters/xterm-commands';
import { HeadlessShadow } from '../../lib/replay/adapters/xterm-headless-shadow';
import { compileQuery, EMPTY_QUERY, type FindQuery } from '../../lib/replay/find';
import { DEFAULT_POLICY, KeyframeBuilder } from '../../lib/replay/keyframes';
import { ScreenTextIndex } from '../../lib/replay/screen-text';
import { assembleTimeline, type TimelineEvent } from '../../lib/tlog/index';
import { messagesOfFile } from '../../tests/support/fixtures';
import { MAX_HITS, TEXT_INDEX_BUDGET } from '../../components/player/worker-protocol';
import { generateRecording } from '../player/make-recording';
import {
  markdownTable,
  removeRows,
  rowsFile,
  writeMarkdown,
  writeRows,
  type Row,
} from '../lib/rows';
import { median, percentile } from '../lib/stats';

const ROOT = path.resolve(import.meta.dirname, '../..');
const smoke = process.argv.includes('--smoke');
const MODE = smoke
  ? { name: 'smoke', bytes: 2_000_000, seed: 7, runs: 5 }
  : { name: 'full', bytes: 105_000_000, seed: 42, runs: 20 };
const ROWS = rowsFile(ROOT, 'find', smoke);
const MB = 1_000_000;
const SEARCH_TARGET_MS = 200;
const MEMORY_TARGET = 0.25;

const gc = (globalThis as { gc?: () => void }).gc;
if (!gc) throw new Error('run with node --expose-gc');

const round = (n: number, digits = 1) => Number(n.toFixed(digits)).toLocaleString('en');
const heap = () => {
  gc();
  gc();
  const m = process.memoryUsage();
  return m.heapUsed + m.arrayBuffers;
};

function log(message: string): void {
  console.log(`[bench:find] ${message}`);
}

const events = (file: string): readonly TimelineEvent[] =>
  assembleTimeline(messagesOfFile(file)).events;

/**
 * The keyframe build as the worker runs it, in batches of 2,000 events; with
 * the index or not. `grew`: the heap after it (the index still held) less
 * the heap before it, both after GC.
 */
async function build(
  all: readonly TimelineEvent[],
  withIndex: boolean,
  budget = Infinity,
  withCommands = false,
) {
  const before = heap();
  const shadow = new HeadlessShadow();
  const index = withIndex ? new ScreenTextIndex(shadow.screen, budget) : null;
  // The command timeline, as the worker runs it beside the index (docs/commands.md).
  const commands = withCommands ? new CommandTracker(shadow.terminal) : null;
  const builder = new KeyframeBuilder(
    shadow,
    () => undefined,
    DEFAULT_POLICY,
    index || commands
      ? (t) => {
          index?.check(t);
          commands?.moment(t);
        }
      : null,
    commands ? (t, data) => commands.input(t, data) : null,
  );
  const started = performance.now();
  for (let i = 0; i < all.length; i += 2000) {
    await builder.push(all.slice(i, i + 2000), i + 2000 >= all.length);
  }
  commands?.end(all[all.length - 1]?.t ?? 0);
  const ms = performance.now() - started;
  shadow.dispose();
  return { ms, index, commands: commands?.commands.length ?? 0, grew: heap() - before };
}

const QUERIES: [label: string, query: Partial<FindQuery> & { text: string }][] = [
  ['a rare word (multiplexer)', { text: 'multiplexer' }],
  ['a word in every session (the)', { text: 'the' }],
  ['a whole word, case-sensitive (Typed)', { text: 'Typed', wholeWord: true, caseSensitive: true }],
  ['a regular expression (line 1[0-2]:)', { text: 'line 1[0-2]:', regex: true }],
  ['a word that is not there', { text: 'qqqzzzxx' }],
];

async function main() {
  removeRows(ROWS);
  const rows: Row[] = [];
  const recording = generateRecording(
    path.join(ROOT, 'bench/data', `player-${MODE.name}`),
    MODE.bytes,
    MODE.seed,
  );
  log(
    `recording: ${round(recording.outputBytes / MB)} MB of output, ${recording.messages.toLocaleString('en')} messages`,
  );
  const all = events(recording.file);
  rows.push({
    measure: 'Recording',
    value: `${round(recording.outputBytes / MB)} MB of output, ${all.length.toLocaleString('en')} events (bench/player's, seed ${MODE.seed})`,
    target: '',
    pass: null,
  });

  // Each twice, alternating; the faster of each kept (the first runs warm up the JIT).
  // The index's heap: what the build with it kept, less what the build without it kept.
  const without: number[] = [];
  const withIdx: number[] = [];
  let index: ScreenTextIndex | null = null;
  let held = 0;
  for (let i = 0; i < 2; i++) {
    index = null;
    const plain = await build(all, false);
    without.push(plain.ms);
    const built = await build(all, true);
    withIdx.push(built.ms);
    index = built.index;
    held = built.grew - plain.grew;
  }
  if (!index) throw new Error('no index');
  const ratio = held / recording.outputBytes;
  log(
    `index: ${index.length.toLocaleString('en')} lines, ${round(held / MB, 2)} MB measured (${round(index.bytes / MB, 2)} MB counted)`,
  );
  rows.push({
    measure: 'Screen text index: lines, and its heap (measured after GC)',
    value: `${index.length.toLocaleString('en')} lines, ${round(held / MB, 2)} MB: ${round(ratio * 100)}% of the output`,
    target: `≤ ${MEMORY_TARGET * 100}% of the output`,
    pass: ratio <= MEMORY_TARGET,
  });
  const extra = Math.min(...withIdx) - Math.min(...without);
  log(
    `build: ${round(Math.min(...without))} ms without the index, ${round(Math.min(...withIdx))} ms with it`,
  );
  rows.push({
    measure: 'Keyframe build without / with the index (best of 2)',
    value: `${round(Math.min(...without) / 1000, 2)} s / ${round(Math.min(...withIdx) / 1000, 2)} s: the index adds ${round(extra / 1000, 2)} s (${round((extra / Math.min(...without)) * 100)}%), ${round(recording.outputBytes / MB / (Math.min(...withIdx) / 1000))} MB/s of output`,
    target: '',
    pass: null,
  });
  const tracked = await build(all, true, Infinity, true);
  const tracking = tracked.ms - Math.min(...withIdx);
  log(
    `build with the index and the command timeline: ${round(tracked.ms)} ms, ${tracked.commands} commands`,
  );
  rows.push({
    measure: 'Keyframe build with the index and the command timeline (the worker as it runs)',
    value: `${round(tracked.ms / 1000, 2)} s: the command timeline adds ${round(tracking / 1000, 2)} s (${round((tracking / Math.min(...withIdx)) * 100)}%) to the build with the index; ${tracked.commands.toLocaleString('en')} commands found`,
    target: '',
    pass: null,
  });
  for (const [label, partial] of QUERIES) {
    const compiled = compileQuery({ ...EMPTY_QUERY, ...partial });
    if (!compiled.ok) throw new Error(`${label}: ${compiled.error}`);
    const times: number[] = [];
    let hits = 0;
    for (let r = 0; r < MODE.runs; r++) {
      const started = performance.now();
      const result = index.search(compiled.matcher, 0, MAX_HITS);
      times.push(performance.now() - started);
      hits = result.hits.length;
    }
    const p95 = percentile(times, 95);
    log(`search ${label}: ${hits} hits, median ${round(median(times))} ms, p95 ${round(p95)} ms`);
    rows.push({
      measure: `Search ${label} (median / p95 of ${MODE.runs})`,
      value: `${round(median(times))} / ${round(p95)} ms, ${hits.toLocaleString('en')}${hits >= MAX_HITS ? '+ (the cap)' : ''} hits`,
      target: `p95 < ${SEARCH_TARGET_MS} ms`,
      pass: p95 < SEARCH_TARGET_MS,
    });
  }
  // What the player's worker indexes of it, under its budget.
  index = null;
  const capped = await build(all, true, TEXT_INDEX_BUDGET);
  const end = all[all.length - 1]?.t ?? 0;
  const upTo = capped.index?.fullAt ?? end;
  log(`under the player's budget: indexed up to ${round(upTo / 1000)} s of ${round(end / 1000)} s`);
  rows.push({
    measure: `The player's index under its budget (${TEXT_INDEX_BUDGET / 1024 ** 2} MiB, TEXT_INDEX_BUDGET)`,
    value:
      capped.index?.fullAt === null
        ? `the whole recording, ${round((capped.index?.bytes ?? 0) / MB)} MB`
        : `full at ${round(upTo / 1000)} s of ${round(end / 1000)} s (${round((upTo / Math.max(1, end)) * 100)}% of the recording's time); later lines are not searched, and the find box says so`,
    target: '',
    pass: null,
  });
  writeRows(ROWS, rows);

  const out = smoke
    ? path.join(ROOT, 'reports/bench-find-smoke.md')
    : path.join(ROOT, 'bench/find/RESULTS.md');
  await writeMarkdown(
    out,
    [
      `# Find in a recording${smoke ? ' (smoke run: small data, not the figures of record)' : ''}`,
      '',
      `Generated by \`node --expose-gc --import tsx bench/find/run.ts${smoke ? ' --smoke' : ''}\` on ${new Date().toISOString().slice(0, 16).replace('T', ' ')} UTC.`,
      `Machine: ${os.cpus().length} × ${os.cpus()[0]?.model ?? 'unknown CPU'}, ${round(os.totalmem() / 1024 ** 3)} GiB; Node ${process.version}. See bench/find/README.md.`,
      '',
      ...markdownTable(rows),
      '',
    ].join('\n'),
  );
  log(`wrote ${path.relative(ROOT, out)}`);
  process.exit(rows.some((r) => r.pass === false) && !smoke ? 2 : 0);
}

main().catch((err: unknown) => {
  console.error(err);
  process.exit(1);
});
