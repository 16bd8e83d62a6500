// Where the player's seeks spend their time (issue 18), as the profile that
// found the keyframe thinning bug (docs/memory.md, "Thinning"): the 1 GB
// recording (or the 100 MB one, or another size) loaded and indexed, then
// the benchmark's 50 seeded seeks, each with its time, the chunks fetched
// again for it and the Resource Timing of each fetch, and a CPU profile of
// the page (or, with --trace, a Chrome trace) over all of them.
//
//   npx next build
//   NODE_OPTIONS=--max-old-space-size=12288 npx tsx bench/player/profile-seeks.ts
//       [--mb 105] [--budget MiB] [--trace]
//
// Writes bench/data/profile-seeks-<mb>.tsv and .cpuprofile (or -trace.json);
// open either in Chromium's DevTools (Performance panel).

import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { chromium } from 'playwright-core';
import { generateRecording } from './make-recording';
import { CHROMIUM_ARGS, percentile, seekTargets, timedSeek, waitForIndexed } from './measure';
import { ROOT, startApp } from './server';

const arg = (name: string): string | null => {
  const i = process.argv.indexOf(name);
  return i === -1 ? null : (process.argv[i + 1] ?? null);
};
const mb = Number(arg('--mb') ?? 1050);
const budgetMiB = arg('--budget');
const tracing = process.argv.includes('--trace');
// The recordings bench/player/run.ts makes, with their seeds.
const [dir, seed] =
  mb === 1050
    ? ['player-gigabyte', 43]
    : mb === 105
      ? ['player-full', 42]
      : [`player-custom-${mb}`, 42];
const out = path.join(ROOT, 'bench/data', `profile-seeks-${mb}`);

const T0 = Date.now();
const log = (m: string) => console.log(`[profile ${((Date.now() - T0) / 1000).toFixed(1)}s] ${m}`);

const recording = generateRecording(path.join(ROOT, 'bench/data', dir), mb * 1_000_000, seed);
const app = await startApp(path.join(ROOT, 'bench/data', dir), {
  // The files source holds every line of the file.
  NODE_OPTIONS: '--max-old-space-size=12288',
  ...(budgetMiB ? { OUTPUT_BUDGET_MB: budgetMiB } : {}),
});
try {
  await fetch(`${app.origin}/api/recordings/${recording.rec}`);
  const browser = await chromium.launch({
    executablePath: '/usr/bin/chromium',
    args: CHROMIUM_ARGS,
  });
  const context = await browser.newContext({ viewport: { width: 1400, height: 1000 } });
  const page = await context.newPage();
  await page.goto(`${app.origin}/recordings/${recording.rec}`);
  const player = page.getByTestId('player');
  await page.locator('[data-testid=player][data-complete="true"]').waitFor({ timeout: 900_000 });
  log('loaded');
  await waitForIndexed(page, 900_000);
  log(`indexed: ${await player.getAttribute('data-keyframes')} keyframes`);
  if ((await player.getAttribute('data-state')) === 'playing') await page.keyboard.press('k');

  const cdp = await context.newCDPSession(page);
  if (tracing) {
    await browser.startTracing(page, {
      path: `${out}-trace.json`,
      categories: [
        'devtools.timeline',
        'disabled-by-default-devtools.timeline',
        'v8.execute',
        'blink.user_timing',
        'disabled-by-default-v8.gc',
        'loading',
      ],
    });
  } else {
    await cdp.send('Profiler.enable');
    await cdp.send('Profiler.setSamplingInterval', { interval: 200 });
    await cdp.send('Profiler.start');
  }
  // The benchmark's targets (bench/player/run.ts).
  const targets = seekTargets(seed, 50, recording.durationMs);
  const rows = [
    'seek\ttarget ms\ttook ms\tchunks fetched\tfetches (start+first byte/end ms, size)',
  ];
  const took: number[] = [];
  for (const [n, target] of targets.entries()) {
    const before = Number(await player.getAttribute('data-refetches'));
    const t0 = await page.evaluate(() => {
      performance.clearResourceTimings();
      return performance.now();
    });
    const ms = await timedSeek(page, target);
    const fetched = Number(await player.getAttribute('data-refetches')) - before;
    const fetches = await page.evaluate(
      (start) =>
        performance
          .getEntriesByType('resource')
          .filter((e) => e.name.includes('from='))
          .map((e) => {
            // No named functions in here: tsx would wrap them in a helper the page lacks.
            const r = e as PerformanceResourceTiming;
            const [begin, first, end] = [r.startTime, r.responseStart, r.responseEnd].map((v) =>
              Math.round(v - start),
            );
            return `${begin}+${first}/${end} ${Math.round(r.encodedBodySize / 1024)}K`;
          })
          .join(' '),
      t0,
    );
    took.push(ms);
    rows.push(`${n}\t${target}\t${ms.toFixed(1)}\t${fetched}\t${fetches}`);
  }
  if (tracing) await browser.stopTracing();
  else {
    const { profile } = await cdp.send('Profiler.stop');
    writeFileSync(`${out}.cpuprofile`, JSON.stringify(profile));
  }
  writeFileSync(`${out}.tsv`, rows.join('\n') + '\n');
  console.log(rows.join('\n'));
  log(
    `seeks: median ${percentile(took, 50).toFixed(1)} ms, p95 ${percentile(took, 95).toFixed(1)} ms, max ${Math.max(...took).toFixed(1)} ms; written to ${path.relative(ROOT, out)}.*`,
  );
  await browser.close();
} finally {
  app.stop();
}
process.exit(0);
