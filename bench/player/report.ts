// Formats the benchmark's results as Markdown, with the machine and the date.

import { execSync } from 'node:child_process';
import { cpus, totalmem } from 'node:os';
import type { Row } from '../lib/rows';
import type { GeneratedRecording } from './make-recording';
import { percentile } from './measure';

export interface Phase {
  keyframes: boolean;
  /** ms per seek, in order. */
  seeks: number[];
  /** Navigation to the first text on screen: the still frame when the page had one. */
  firstFrameMs: number;
  /** Navigation to the terminal's own first frame. */
  terminalFrameMs: number;
  /** The page had a still frame (docs/still-frame.md). */
  stillFrame: boolean;
  loadedMs: number;
  indexedMs: number | null;
  keyframeCount: number;
  keyframeBytes: number;
  peakHeap: number;
  peakHeapWithBuffers: number;
  peakWorkerHeap: number;
  /** The worker's heap plus its ArrayBuffers (output handed over and not played yet). */
  peakWorkerWithBuffers: number;
  /** Page plus worker, heap and ArrayBuffers, at the same moment: the peak. */
  peakTotal: number;
  /** The player's output budget, the most output it held, and what it let go and fetched again. */
  outputBudget: number;
  outputPeak: number;
  evictions: number;
  refetches: number;
}

const mb = (bytes: number) => `${(bytes / 1024 / 1024).toFixed(1)} MiB`;
const ms = (v: number) => `${v < 10 ? v.toFixed(1) : Math.round(v).toLocaleString('en')} ms`;

/** p95 of the seeks with keyframes must be under this (issue 4). */
export const TARGET_P95_MS = 150;
/** The baseline's median seek over the keyframes' must be at least this (issue 4). */
export const TARGET_SPEEDUP = 20;
/** The first frame of the 100 MB recording, with keyframes, must be on screen within this (issue 18). */
export const TARGET_FIRST_FRAME_MS = 500;
/** The 1 GB recording: page plus worker at most this (issue 18), in bytes. */
export const TARGET_GIGABYTE_MEMORY = 1.5e9;

/** The rows of the gigabyte recording (issue 18): keyframes only, same targets for seeks. */
export function gigabyteRows(recording: GeneratedRecording, g: Phase): Row[] {
  const rows: Row[] = [];
  const add = (measure: string, value: string, target = '', pass: boolean | null = null) =>
    rows.push({ measure, value, target, pass });
  add(
    '1 GB recording',
    `${mb(recording.outputBytes)} of output, ${recording.messages.toLocaleString('en')} messages, ${mb(recording.fileBytes)} of tlog JSON, ${(recording.durationMs / 3_600_000).toFixed(1)} hours`,
  );
  add(
    '1 GB: first frame, whole recording loaded, keyframes built',
    `${ms(g.firstFrameMs)}${g.stillFrame ? ' (the still frame)' : ''} (terminal ${ms(g.terminalFrameMs)}), ${ms(g.loadedMs)}, ${g.indexedMs === null ? 'n/a' : ms(g.indexedMs)}`,
  );
  const p95 = percentile(g.seeks, 95);
  add(
    `1 GB: seek latency, ${g.seeks.length} random seeks (median / p95 / max)`,
    `${ms(percentile(g.seeks, 50))} / ${ms(p95)} / ${ms(Math.max(...g.seeks))}`,
    `p95 < ${TARGET_P95_MS} ms`,
    p95 < TARGET_P95_MS,
  );
  add(
    '1 GB: peak memory, page + keyframe worker (JS heap + ArrayBuffers)',
    `${mb(g.peakTotal)} (page ${mb(g.peakHeapWithBuffers)}, of it heap ${mb(g.peakHeap)}; worker ${mb(g.peakWorkerWithBuffers)})`,
    `< ${(TARGET_GIGABYTE_MEMORY / 1e9).toFixed(1)} GB`,
    g.peakTotal < TARGET_GIGABYTE_MEMORY,
  );
  add(
    '1 GB: output held (budget / peak), chunks let go, re-fetched',
    `${mb(g.outputBudget)} / ${mb(g.outputPeak)}, ${g.evictions.toLocaleString('en')}, ${g.refetches.toLocaleString('en')}; ${g.keyframeCount.toLocaleString('en')} keyframes, ${mb(g.keyframeBytes)}`,
  );
  return rows;
}

/** The gigabyte recording's section of RESULTS.md. */
export function gigabyteReport(recording: GeneratedRecording, g: Phase): string {
  const table = gigabyteRows(recording, g)
    .map(
      (r) =>
        `| ${r.measure} | ${r.value} | ${r.target} | ${r.pass === null ? '' : r.pass ? 'met' : '**missed**'} |`,
    )
    .join('\n');
  return `
## The 1 GB recording (keyframes, the default output budget)

${recording.outputBytes.toLocaleString('en')} bytes of output, generated as the 100 MB one (another seed), in the
same run. The player holds at most its output budget of the output and lets go
of the rest once the keyframe worker has read it (docs/memory.md); a seek into
output it let go fetches those messages again by id range.

| | | target | |
|---|---|---|---|
${table}

Seek times, in order (ms): ${g.seeks.map((v) => v.toFixed(0)).join(' ')}.
`;
}

/**
 * The headline figures as rows for the suite's table (bench/run.ts). Either
 * phase may be missing when the run failed part way: its figures are left out.
 */
export function summaryRows(
  recording: GeneratedRecording | null,
  k: Phase | null,
  b: Phase | null,
): Row[] {
  const rows: Row[] = [];
  const add = (measure: string, value: string, target = '', pass: boolean | null = null) =>
    rows.push({ measure, value, target, pass });
  if (recording) {
    add(
      'Recording',
      `${mb(recording.outputBytes)} of output, ${recording.messages.toLocaleString('en')} messages, ${mb(recording.fileBytes)} of tlog JSON, ${(recording.durationMs / 60_000).toFixed(1)} minutes`,
    );
  }
  const phases = [k, b].filter((p): p is Phase => p !== null);
  if (phases.length === 0) return rows;
  const which = phases.map((p) => (p.keyframes ? 'keyframes' : 'baseline')).join(' / ');
  const each = (f: (p: Phase) => string) => phases.map(f).join(' / ');
  add(
    `Time to first frame (${which}): the first text on screen, and the terminal's own first frame`,
    each(
      (p) =>
        `${ms(p.firstFrameMs)}${p.stillFrame ? ' (the still frame)' : ''}, terminal ${ms(p.terminalFrameMs)}`,
    ),
    k ? `< ${TARGET_FIRST_FRAME_MS} ms (keyframes)` : '',
    k ? k.firstFrameMs < TARGET_FIRST_FRAME_MS : null,
  );
  add(
    `Whole recording loaded (${which})`,
    each((p) => ms(p.loadedMs)),
  );
  if (k) {
    add(
      'Keyframes built by the worker',
      `${k.indexedMs === null ? 'n/a' : ms(k.indexedMs)}: ${k.keyframeCount.toLocaleString('en')} keyframes, ${mb(k.keyframeBytes)}`,
    );
    const p95 = percentile(k.seeks, 95);
    add(
      `Seek latency with keyframes, ${k.seeks.length} random seeks (median / p95 / max)`,
      `${ms(percentile(k.seeks, 50))} / ${ms(p95)} / ${ms(Math.max(...k.seeks))}`,
      `p95 < ${TARGET_P95_MS} ms`,
      p95 < TARGET_P95_MS,
    );
  }
  if (b) {
    add(
      `Seek latency without keyframes (baseline: replay from the start), ${b.seeks.length} seeks (median / p95 / max)`,
      `${ms(percentile(b.seeks, 50))} / ${ms(percentile(b.seeks, 95))} / ${ms(Math.max(...b.seeks))}`,
    );
  }
  if (k && b) {
    const speedup = percentile(b.seeks, 50) / percentile(k.seeks, 50);
    add(
      'Seek speed-up over the baseline (medians)',
      `${speedup.toFixed(0)}x (p95: ${(percentile(b.seeks, 95) / percentile(k.seeks, 95)).toFixed(0)}x)`,
      `≥ ${TARGET_SPEEDUP}x`,
      speedup >= TARGET_SPEEDUP,
    );
  }
  add(
    `Peak JS heap, page (${which})`,
    each((p) => mb(p.peakHeap)),
  );
  add(
    `Peak JS heap + ArrayBuffers (the output bytes), page (${which})`,
    each((p) => mb(p.peakHeapWithBuffers)),
  );
  if (k) add('Peak JS heap, keyframe worker', k.peakWorkerHeap ? mb(k.peakWorkerHeap) : 'n/a');
  return rows;
}

function load(): string {
  try {
    return execSync('cat /proc/loadavg', { encoding: 'utf8' }).split(' ').slice(0, 3).join(' ');
  } catch {
    return 'n/a';
  }
}

export function report(input: {
  smoke: boolean;
  recording: GeneratedRecording;
  withKeyframes: Phase;
  baseline: Phase;
  chromium: string;
}): string {
  const { smoke, recording, withKeyframes: k, baseline: b, chromium } = input;
  const kMedian = percentile(k.seeks, 50);
  const kP95 = percentile(k.seeks, 95);
  const bMedian = percentile(b.seeks, 50);
  const bP95 = percentile(b.seeks, 95);
  const cpu = cpus()[0]?.model ?? 'unknown CPU';
  const verdict = (ok: boolean) => (ok ? 'met' : '**missed**');
  return `# Player benchmark${smoke ? ' (smoke run)' : ''}

Run ${new Date().toISOString()} by \`npx tsx bench/player/run.ts${smoke ? ' --smoke' : ''}\`.

Machine: ${cpu}, ${cpus().length} cores, ${mb(totalmem())} RAM, load average at the end ${load()};
Node ${process.version}, Chromium ${chromium} (headless, software rendering), production build.

Recording: generated from the real fixtures (seeded), ${mb(recording.outputBytes)} of terminal output
(${recording.outputBytes.toLocaleString('en')} bytes) in ${recording.messages.toLocaleString('en')} tlog messages
(${mb(recording.fileBytes)} of JSON lines), ${(recording.durationMs / 60_000).toFixed(1)} minutes long, served by the
files source over the messages API.

## Seek latency (${k.seeks.length} random seeks, the same targets in both runs)

From setting the seek bar to the screen showing the new moment, painted.

| | median | p95 | max |
|---|---:|---:|---:|
| keyframes | ${ms(kMedian)} | ${ms(kP95)} | ${ms(Math.max(...k.seeks))} |
| baseline: no keyframes | ${ms(bMedian)} | ${ms(bP95)} | ${ms(Math.max(...b.seeks))} |
| speed-up | ${(bMedian / kMedian).toFixed(0)}x | ${(bP95 / kP95).toFixed(0)}x | |

The baseline is the same player with keyframes switched off: a backward seek
resets the terminal and replays from the start, a forward seek writes the
output in between (what the player did before keyframes, and what Cockpit's
player does).

Targets: p95 under ${TARGET_P95_MS} ms: ${verdict(kP95 < TARGET_P95_MS)}; at least ${TARGET_SPEEDUP}x faster than the baseline
(median): ${verdict(bMedian / kMedian >= TARGET_SPEEDUP)}.

## Loading

| | keyframes | baseline |
|---|---:|---:|
| time to first frame (navigation to the first output on screen${k.stillFrame ? ': the still frame' : ''}) | ${ms(k.firstFrameMs)} | ${ms(b.firstFrameMs)} |
| the terminal's own first frame | ${ms(k.terminalFrameMs)} | ${ms(b.terminalFrameMs)} |
| whole recording loaded | ${ms(k.loadedMs)} | ${ms(b.loadedMs)} |
| keyframes built (worker) | ${k.indexedMs === null ? 'n/a' : ms(k.indexedMs)} | n/a |
| keyframes | ${k.keyframeCount.toLocaleString('en')}, ${mb(k.keyframeBytes)} | none |
| peak JS heap, page | ${mb(k.peakHeap)} | ${mb(b.peakHeap)} |
| peak JS heap + ArrayBuffers (the output bytes), page | ${mb(k.peakHeapWithBuffers)} | ${mb(b.peakHeapWithBuffers)} |
| peak JS heap, keyframe worker | ${k.peakWorkerHeap ? mb(k.peakWorkerHeap) : 'n/a'} | n/a |

Seek times, in order (ms): keyframes ${k.seeks.map((v) => v.toFixed(0)).join(' ')};
baseline ${b.seeks.map((v) => v.toFixed(0)).join(' ')}.
`;
}
