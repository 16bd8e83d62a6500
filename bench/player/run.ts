// The player benchmark (README.md in this directory):
//
//   npx tsx bench/player/run.ts            # >= 100 MB recording, writes RESULTS.md
//   npx tsx bench/player/run.ts --smoke    # 2 MB, about a minute, for CI
//   npx tsx bench/player/run.ts --mb 20 --seeks 30   # other sizes (results to bench/data/)
//
// Besides its report, it writes its headline figures as rows for the suite's
// table (bench/run.ts runs it): bench/data/player-rows.json, or
// player-rows-smoke.json (player-custom-<mb>-rows.json for other sizes), also
// when it fails part way (with the figures it got). Exits 1 when something
// breaks, 2 when a full run misses a target.
//
// Needs a production build (`npx next build`) and Debian's /usr/bin/chromium.

import { mkdirSync } from 'node:fs';
import path from 'node:path';
import { chromium, type Browser } from 'playwright-core';
import { firstTextMs, readFirstText, watchStillFrame } from '../lib/first-text';
import { removeRows, rowsFile, writeMarkdown, writeRows } from '../lib/rows';
import { generateRecording, type GeneratedRecording } from './make-recording';
import { FIRST_FRAME_MARK } from '../../components/player/marks';
import {
  CHROMIUM_ARGS,
  HeapSampler,
  markTime,
  percentile,
  seekTargets,
  timedSeek,
  waitForIndexed,
} from './measure';
import {
  gigabyteReport,
  gigabyteRows,
  report,
  summaryRows,
  TARGET_GIGABYTE_MEMORY,
  TARGET_P95_MS,
  TARGET_SPEEDUP,
  type Phase,
} from './report';
import { ROOT, startApp } from './server';

const smoke = process.argv.includes('--smoke');
const option = (name: string): number | null => {
  const i = process.argv.indexOf(name);
  const value = i === -1 ? NaN : Number(process.argv[i + 1]);
  return Number.isFinite(value) && value > 0 ? value : null;
};
const mb = option('--mb');
const custom = mb !== null || option('--seeks') !== null;
const MODE = smoke
  ? { name: 'smoke', bytes: 2_000_000, seeks: 12, seed: 7 }
  : {
      name: custom ? `custom-${mb ?? 105}` : 'full',
      bytes: (mb ?? 105) * 1_000_000,
      seeks: option('--seeks') ?? 50,
      seed: 42,
    };
const DATA = path.join(ROOT, 'bench/data', `player-${MODE.name}`);
/** The 1 GB recording (issue 18): in the full run, or alone with --gigabyte-only. */
const GIGABYTE_ONLY = process.argv.includes('--gigabyte-only');
const GIGABYTE = { bytes: 1_050_000_000, seed: 43, seeks: 50 };
const GIGABYTE_DATA = path.join(ROOT, 'bench/data', 'player-gigabyte');
const ROWS = GIGABYTE_ONLY
  ? path.join(ROOT, 'bench/data', 'player-gigabyte-rows.json')
  : custom
    ? path.join(ROOT, 'bench/data', `player-${MODE.name}-rows.json`)
    : rowsFile(ROOT, 'player', smoke);
const SEEK_TIMEOUT_MS = 180_000;

const T0 = Date.now();
function log(message: string): void {
  console.log(`[bench:player ${((Date.now() - T0) / 1000).toFixed(1)}s] ${message}`);
}

async function phase(
  browser: Browser,
  origin: string,
  recording: GeneratedRecording,
  keyframes: boolean,
  targets: number[],
): Promise<Phase> {
  const context = await browser.newContext({ viewport: { width: 1400, height: 1000 } });
  if (!keyframes) {
    // The player's switch for the baseline: the same page, seeks without keyframes.
    await context.addInitScript(() => window.localStorage.setItem('auditty:keyframes', 'off'));
  }
  const page = await context.newPage();
  const errors: string[] = [];
  page.on('pageerror', (e) => errors.push(e.message));
  const heap = await HeapSampler.create(browser, page);
  heap.start();
  const started = Date.now();
  await watchStillFrame(page);
  await page.goto(`${origin}/recordings/${recording.rec}`);
  const firstText = await readFirstText(page, 120_000);
  const firstFrameMs = firstTextMs(firstText);
  const player = page.getByTestId('player');
  await page.locator('[data-testid=player][data-complete="true"]').waitFor({ timeout: 600_000 });
  const loadedMs = Date.now() - started;
  let indexedMs: number | null = null;
  let keyframeCount = 0;
  let keyframeBytes = 0;
  if (keyframes) {
    await waitForIndexed(page, 900_000);
    indexedMs = Date.now() - started;
    keyframeCount = Number(await player.getAttribute('data-keyframes'));
    keyframeBytes = Number(await player.getAttribute('data-keyframe-bytes'));
  }
  log(
    `${keyframes ? 'keyframes' : 'baseline'}: first frame ${firstFrameMs.toFixed(0)} ms${firstText.stillMs !== null ? ' (still frame)' : ''}, terminal ${firstText.terminalMs.toFixed(0)} ms, loaded ${loadedMs} ms${indexedMs ? `, indexed ${indexedMs} ms` : ''}`,
  );
  if ((await player.getAttribute('data-state')) === 'playing') await page.keyboard.press('k');

  const seeks: number[] = [];
  for (const [i, target] of targets.entries()) {
    const ms = await Promise.race([
      timedSeek(page, target),
      new Promise<number>((_, reject) =>
        setTimeout(() => reject(new Error('seek timed out')), SEEK_TIMEOUT_MS),
      ),
    ]);
    const shown = Number(await player.getAttribute('data-time')) * 1000;
    if (Math.abs(shown - Math.min(target, recording.durationMs)) > 1) {
      throw new Error(`seek ${i} to ${target} ms shows ${shown} ms`);
    }
    seeks.push(ms);
    if (i % 10 === 9) log(`  ${i + 1} seeks, median so far ${percentile(seeks, 50).toFixed(1)} ms`);
  }
  const attribute = async (name: string) => Number(await player.getAttribute(name));
  const [outputBudget, outputPeak, evictions, refetches] = [
    await attribute('data-output-budget'),
    await attribute('data-output-peak'),
    await attribute('data-evictions'),
    await attribute('data-refetches'),
  ];
  await heap.stop();
  await context.close();
  if (errors.length > 0) throw new Error(`page errors: ${errors.join('; ')}`);
  return {
    outputBudget,
    outputPeak,
    evictions,
    refetches,
    peakWorkerWithBuffers: heap.peakWorkerWithBuffers,
    peakTotal: heap.peakTotal,
    keyframes,
    seeks,
    firstFrameMs,
    terminalFrameMs: firstText.terminalMs,
    stillFrame: firstText.stillMs !== null,
    loadedMs,
    indexedMs,
    keyframeCount,
    keyframeBytes,
    peakHeap: heap.peakMain,
    peakHeapWithBuffers: heap.peakMainWithBuffers,
    peakWorkerHeap: heap.peakWorker,
  };
}

/** Opens the page once, so that both runs find the server and the route equally warm. */
async function warmUp(browser: Browser, origin: string, recording: GeneratedRecording) {
  const context = await browser.newContext();
  const page = await context.newPage();
  await page.goto(`${origin}/recordings/${recording.rec}?t=0`);
  await markTime(page, FIRST_FRAME_MARK, 120_000);
  await context.close();
}

/** What the run has measured so far, for the rows file. */
const got: {
  recording: GeneratedRecording | null;
  withKeyframes: Phase | null;
  baseline: Phase | null;
  gigabyte: { recording: GeneratedRecording; phase: Phase } | null;
} = { recording: null, withKeyframes: null, baseline: null, gigabyte: null };
const saveRows = () =>
  writeRows(ROWS, [
    ...summaryRows(got.recording, got.withKeyframes, got.baseline),
    ...(got.gigabyte ? gigabyteRows(got.gigabyte.recording, got.gigabyte.phase) : []),
  ]);

/** The 1 GB recording, keyframes only: the baseline would replay a gigabyte per seek. */
async function gigabyte(): Promise<{ recording: GeneratedRecording; phase: Phase }> {
  log(
    `generating a ${(GIGABYTE.bytes / 1e9).toFixed(2)} GB recording (cached in ${path.relative(ROOT, GIGABYTE_DATA)})`,
  );
  mkdirSync(GIGABYTE_DATA, { recursive: true });
  const recording = generateRecording(GIGABYTE_DATA, GIGABYTE.bytes, GIGABYTE.seed);
  log(
    `${(recording.outputBytes / 1e6).toFixed(1)} MB of output, ${recording.messages} messages, ${(recording.fileBytes / 1e6).toFixed(1)} MB of tlog JSON`,
  );
  // The files source holds the file's lines in memory: more than the default heap.
  const app = await startApp(GIGABYTE_DATA, { NODE_OPTIONS: '--max-old-space-size=12288' });
  try {
    await fetch(`${app.origin}/api/recordings/${recording.rec}`);
    await fetch(`${app.origin}/recordings/${recording.rec}`);
    const targets = seekTargets(GIGABYTE.seed, GIGABYTE.seeks, recording.durationMs);
    const browser = await chromium.launch({
      executablePath: '/usr/bin/chromium',
      args: CHROMIUM_ARGS,
    });
    try {
      await warmUp(browser, app.origin, recording);
      const phased = await phase(browser, app.origin, recording, true, targets);
      log(
        `1 GB: seeks median ${percentile(phased.seeks, 50).toFixed(1)} ms, p95 ${percentile(phased.seeks, 95).toFixed(1)} ms; peak page + worker ${(phased.peakTotal / 2 ** 20).toFixed(0)} MiB`,
      );
      return { recording, phase: phased };
    } finally {
      await browser.close();
    }
  } finally {
    app.stop();
  }
}

async function main(): Promise<void> {
  removeRows(ROWS);
  if (GIGABYTE_ONLY) {
    got.gigabyte = await gigabyte();
    const out = path.join(ROOT, 'bench/data/player-gigabyte-results.md');
    await writeMarkdown(out, gigabyteReport(got.gigabyte.recording, got.gigabyte.phase));
    saveRows();
    log(`written to ${path.relative(ROOT, out)} and ${path.relative(ROOT, ROWS)}`);
    return;
  }
  mkdirSync(DATA, { recursive: true });
  log(
    `generating a ${(MODE.bytes / 1e6).toFixed(0)} MB recording (cached in ${path.relative(ROOT, DATA)})`,
  );
  const recording = generateRecording(DATA, MODE.bytes, MODE.seed);
  got.recording = recording;
  log(
    `${(recording.outputBytes / 1e6).toFixed(1)} MB of output, ${recording.messages} messages, ${(recording.fileBytes / 1e6).toFixed(1)} MB of tlog JSON`,
  );
  const app = await startApp(DATA);
  log(`app started at ${app.origin}`);
  try {
    // The first requests parse the file and render the route on the server: keep that out.
    await fetch(`${app.origin}/api/recordings/${recording.rec}`);
    await fetch(`${app.origin}/recordings/${recording.rec}`);
    const targets = seekTargets(MODE.seed, MODE.seeks, recording.durationMs);
    const browser = await chromium.launch({
      executablePath: '/usr/bin/chromium',
      args: CHROMIUM_ARGS,
    });
    try {
      await warmUp(browser, app.origin, recording);
      const withKeyframes = await phase(browser, app.origin, recording, true, targets);
      got.withKeyframes = withKeyframes;
      const baseline = await phase(browser, app.origin, recording, false, targets);
      got.baseline = baseline;
      const chromiumVersion = browser.version();
      await browser.close();
      // In the same run (issue 18), after the 100 MB recording's server has stopped.
      app.stop();
      if (!smoke && !custom) got.gigabyte = await gigabyte();
      const text =
        report({ smoke, recording, withKeyframes, baseline, chromium: chromiumVersion }) +
        (got.gigabyte ? gigabyteReport(got.gigabyte.recording, got.gigabyte.phase) : '');
      const out =
        smoke || custom
          ? path.join(ROOT, `bench/data/player-${MODE.name}-results.md`)
          : path.join(ROOT, 'bench/player/RESULTS.md');
      await writeMarkdown(out, text);
      console.log(text);
      saveRows();
      log(`written to ${path.relative(ROOT, out)} and ${path.relative(ROOT, ROWS)}`);
      const p95 = percentile(withKeyframes.seeks, 95);
      const speedup = percentile(baseline.seeks, 50) / percentile(withKeyframes.seeks, 50);
      const g = got.gigabyte?.phase;
      const gigabyteMissed =
        g !== undefined &&
        (percentile(g.seeks, 95) >= TARGET_P95_MS || g.peakTotal >= TARGET_GIGABYTE_MEMORY);
      if (
        !smoke &&
        !custom &&
        (p95 >= TARGET_P95_MS || speedup < TARGET_SPEEDUP || gigabyteMissed)
      ) {
        process.exitCode = 2;
      }
    } finally {
      await browser.close();
    }
  } finally {
    app.stop();
  }
}

main().then(
  () => process.exit(process.exitCode ?? 0),
  (err: unknown) => {
    console.error(err);
    saveRows();
    log(`failed; the figures it got are in ${path.relative(ROOT, ROWS)}`);
    process.exit(1);
  },
);
