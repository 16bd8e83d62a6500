// Measurement 11: how soon an auditor opening a link to a small recording
// sees its first text (samples/input.tlog, 3 messages, the sample):
// navigation start to the first text on screen (bench/lib/first-text.ts), in
// Debian's Chromium on the production build. Cold: the first view after the
// server started. Warm: RUNS more views, each in a new browser context (no
// cached scripts). Both with the server's still frame (docs/still-frame.md)
// and without it (STILL_FRAME_WAIT_MS=0), each on its own server.
//
//   npx next build && npx tsx bench/first-frame/run.ts [--smoke]
//
// Writes its rows to bench/data/first-frame-rows(-smoke).json for bench/run.ts.

import { chromium, type Browser } from 'playwright-core';
import { firstTextMs, readFirstText, watchStillFrame, type FirstText } from '../lib/first-text';
import { removeRows, rowsFile, writeRows, type Row } from '../lib/rows';
import { SAMPLES, SMALL_SAMPLE, sampleRec } from '../lib/samples';
import { median, p95, round } from '../lib/stats';
import { ROOT, startApp } from '../player/server';

const smoke = process.argv.includes('--smoke');
const ROWS = rowsFile(ROOT, 'first-frame', smoke);
const SAMPLE = SMALL_SAMPLE;
const RUNS = smoke ? 3 : 15;
const TARGET_MS = 300;

async function view(browser: Browser, url: string): Promise<FirstText> {
  const context = await browser.newContext({ viewport: { width: 1400, height: 1000 } });
  try {
    const page = await context.newPage();
    await watchStillFrame(page);
    await page.goto(url, { waitUntil: 'commit' });
    return await readFirstText(page, 60_000);
  } finally {
    await context.close();
  }
}

interface Mode {
  cold: FirstText;
  warm: FirstText[];
}

async function measure(browser: Browser, rec: string, still: boolean): Promise<Mode> {
  const app = await startApp(SAMPLES, still ? {} : { STILL_FRAME_WAIT_MS: '0' });
  try {
    const url = `${app.origin}/recordings/${rec}`;
    const cold = await view(browser, url);
    // Two more views warm the server's code paths before the measured ones.
    for (let i = 0; i < 2; i++) await view(browser, url);
    const warm: FirstText[] = [];
    for (let i = 0; i < RUNS; i++) warm.push(await view(browser, url));
    const label = still ? 'still frame' : 'no still frame';
    console.log(
      `[bench:first-frame] ${label}: cold ${round(firstTextMs(cold))} ms; warm ${warm.map((w) => round(firstTextMs(w))).join(', ')} ms`,
    );
    if (still && warm.some((w) => w.stillMs === null))
      throw new Error('a view with the still frame on had none');
    return { cold, warm };
  } finally {
    app.stop();
  }
}

const ms = (values: number[]) => `${round(median(values))} / ${round(p95(values))} ms`;

async function main(): Promise<void> {
  removeRows(ROWS);
  const rec = sampleRec(SAMPLE);
  const browser = await chromium.launch({
    executablePath: '/usr/bin/chromium',
    args: ['--no-sandbox', '--disable-gpu', '--disable-background-networking'],
  });
  try {
    const withFrame = await measure(browser, rec, true);
    const without = await measure(browser, rec, false);
    const first = withFrame.warm.map(firstTextMs);
    const html = withFrame.warm.map((w) => w.htmlMs);
    const terminal = withFrame.warm.map((w) => w.terminalMs);
    const bare = without.warm.map(firstTextMs);
    const rows: Row[] = [
      {
        measure: `First text on screen, samples/${SAMPLE}, warm server (median / p95 of ${RUNS})`,
        value: `${ms(first)}: the still frame (the HTML ended at ${ms(html)}; the terminal drew at ${ms(terminal)})`,
        target: `< ${TARGET_MS} ms (median)`,
        pass: median(first) < TARGET_MS,
      },
      {
        measure: `First text on screen, samples/${SAMPLE}, cold server (the first view after a start)`,
        value: `${round(firstTextMs(withFrame.cold))} ms (the terminal: ${round(withFrame.cold.terminalMs)} ms)`,
        target: '',
        pass: null,
      },
      {
        measure: `First text on screen without the still frame (STILL_FRAME_WAIT_MS=0): warm (median / p95) / cold`,
        value: `${ms(bare)} / ${round(firstTextMs(without.cold))} ms`,
        target: '',
        pass: null,
      },
    ];
    writeRows(ROWS, rows);
  } finally {
    await browser.close();
  }
}

main().then(
  () => process.exit(0),
  (err: unknown) => {
    console.error(err);
    process.exit(1);
  },
);
