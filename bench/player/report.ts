// Formats the benchmark's results as Markdown, with the machine and the date.

import { execSync } from 'node:child_process';
import { cpus, totalmem } from 'node:os';
import type { GeneratedRecording } from './make-recording';
import { percentile } from './measure';

export interface Phase {
  keyframes: boolean;
  /** ms per seek, in order. */
  seeks: number[];
  firstFrameMs: number;
  loadedMs: number;
  indexedMs: number | null;
  keyframeCount: number;
  keyframeBytes: number;
  peakHeap: number;
  peakHeapWithBuffers: number;
  peakWorkerHeap: number;
}

const mb = (bytes: number) => `${(bytes / 1024 / 1024).toFixed(1)} MiB`;
const ms = (v: number) => `${v < 10 ? v.toFixed(1) : Math.round(v).toLocaleString('en')} ms`;

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

Targets: p95 under 150 ms: ${verdict(kP95 < 150)}; at least 20x faster than the baseline
(median): ${verdict(bMedian / kMedian >= 20)}.

## Loading

| | keyframes | baseline |
|---|---:|---:|
| time to first frame (navigation to first output painted) | ${ms(k.firstFrameMs)} | ${ms(b.firstFrameMs)} |
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
