// Measurement 10: the JavaScript each page makes the browser load, from the
// production build, in Debian's Chromium: what arrives by the time the HTML
// has been parsed (DOMContentLoaded), and all of it once the page is ready
// (the recording page: the player has drawn its first frame). Sizes are the
// browser's own Resource Timing figures: bytes over the wire (gzip, as the
// server sends them) and decoded, the code the engine parses.
//
//   npx next build && npx tsx bench/bundle/run.ts [--smoke]
//
// Writes its rows to bench/data/bundle-rows(-smoke).json for bench/run.ts;
// the figures have no target (issue 18 asks for them to be reported).

import { chromium, type Browser } from 'playwright-core';
import { FIRST_FRAME_MARK } from '../../components/player/marks';
import { removeRows, rowsFile, writeRows, type Row } from '../lib/rows';
import { SAMPLES, SMALL_SAMPLE, sampleRec } from '../lib/samples';
import { ROOT, startApp } from '../player/server';

const smoke = process.argv.includes('--smoke');
const ROWS = rowsFile(ROOT, 'bundle', smoke);
const SAMPLE = SMALL_SAMPLE;

interface Scripts {
  files: number;
  wireKB: number;
  decodedKB: number;
}

interface PageJs {
  route: string;
  beforeDcl: Scripts;
  ready: Scripts;
}

async function measure(
  browser: Browser,
  origin: string,
  route: string,
  ready: string | null,
): Promise<PageJs> {
  const context = await browser.newContext({ viewport: { width: 1400, height: 1000 } });
  try {
    const page = await context.newPage();
    await page.goto(`${origin}${route}`, { waitUntil: 'load' });
    if (ready) {
      await page.waitForFunction((mark) => performance.getEntriesByName(mark).length > 0, ready, {
        timeout: 60_000,
      });
    }
    // Let late chunks (a lazily loaded part, the worker's) finish arriving.
    await page.waitForTimeout(500);
    const entries = await page.evaluate(() => {
      const navigation = performance.getEntriesByType('navigation')[0] as
        PerformanceNavigationTiming | undefined;
      const dcl = navigation?.domContentLoadedEventEnd ?? 0;
      return performance
        .getEntriesByType('resource')
        .filter((e) => /\.m?js(\?|$)/.test(e.name))
        .map((e) => {
          const r = e as PerformanceResourceTiming;
          return {
            early: r.startTime <= dcl,
            wire: r.encodedBodySize,
            decoded: r.decodedBodySize,
          };
        });
    });
    const sum = (list: typeof entries): Scripts => ({
      files: list.length,
      wireKB: list.reduce((s, e) => s + e.wire, 0) / 1024,
      decodedKB: list.reduce((s, e) => s + e.decoded, 0) / 1024,
    });
    if (entries.length === 0) throw new Error(`${route}: no scripts loaded`);
    return {
      route,
      beforeDcl: sum(entries.filter((e) => e.early)),
      ready: sum(entries),
    };
  } finally {
    await context.close();
  }
}

const kb = (s: Scripts) =>
  `${s.files} files, ${Math.round(s.wireKB)} KB over the wire, ${Math.round(s.decodedKB)} KB decoded`;

async function main(): Promise<void> {
  removeRows(ROWS);
  const rec = sampleRec(SAMPLE);
  const app = await startApp(SAMPLES);
  const browser = await chromium.launch({
    executablePath: '/usr/bin/chromium',
    args: ['--no-sandbox', '--disable-gpu', '--disable-background-networking'],
  });
  try {
    // Render each route once on the server first: the figures are the browser's.
    const routes: [string, string, string | null][] = [
      ['the recordings list', '/', null],
      [`a recording (samples/${SAMPLE}, the player)`, `/recordings/${rec}`, FIRST_FRAME_MARK],
      ['the access log', '/access-log', null],
    ];
    for (const [, route] of routes) await fetch(`${app.origin}${route}`);
    const rows: Row[] = [];
    for (const [name, route, ready] of routes) {
      const js = await measure(browser, app.origin, route, ready);
      console.log(
        `[bench:bundle] ${route}: ${kb(js.beforeDcl)} by DOMContentLoaded; ${kb(js.ready)} in all`,
      );
      rows.push({
        measure: `Page JS, ${name}: by DOMContentLoaded / all, ${ready ? 'at the first frame' : 'when loaded'}`,
        value: `${kb(js.beforeDcl)} / ${kb(js.ready)}`,
        target: '',
        pass: null,
      });
    }
    writeRows(ROWS, rows);
  } finally {
    await browser.close();
    app.stop();
  }
}

main().then(
  () => process.exit(0),
  (err: unknown) => {
    console.error(err);
    process.exit(1);
  },
);
