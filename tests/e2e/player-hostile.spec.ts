import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { expect, test } from '@playwright/test';
import { makeStillFrame, STILL_MESSAGES } from '../../lib/replay/still/frame';
import { readClipboard, recOf, setClipboard } from './player-support';

// Hostile output (tests/fixtures/hostile/README.md) replayed in Chromium: it
// may change the terminal area and nothing else. These recordings are not in
// the bundled fixtures (the list and its counts stay as they are): the
// hostile project's server serves them (playwright.config.ts).

const DIR = path.resolve(import.meta.dirname, '../fixtures/hostile');
const FIXTURES = readdirSync(DIR)
  .filter((f) => f.endsWith('.tlog'))
  .map((f) => f.replace(/\.tlog$/, ''))
  .sort();
const SENTINEL = 'clipboard before the replay';
/** What the recordings point at: none of it may ever be requested. */
const HOSTILE_TARGETS = /evil\.example|^file:|^javascript:|^data:text\/html/;

// Each fixture in its own test: both workers take them.
test.describe.configure({ mode: 'parallel', timeout: 120_000 });

for (const name of FIXTURES) {
  test(`${name}: nothing escapes the terminal, and the page stays responsive`, async ({
    page,
    baseURL,
  }) => {
    const origin = baseURL ?? '';
    const requests: string[] = [];
    const dialogs: string[] = [];
    const popups: string[] = [];
    const errors: string[] = [];
    page.on('request', (r) => requests.push(r.url()));
    page.on('dialog', (d) => {
      dialogs.push(d.message());
      void d.dismiss();
    });
    page.on('popup', (p) => popups.push(p.url()));
    page.on('pageerror', (e) => errors.push(e.message));

    // Long tasks: the main thread busy without a break (a frozen tab).
    await page.addInitScript(() => {
      const w = window as unknown as { longestTask: number };
      w.longestTask = 0;
      new PerformanceObserver((list) => {
        for (const entry of list.getEntries())
          w.longestTask = Math.max(w.longestTask, entry.duration);
      }).observe({ type: 'longtask', buffered: true });
    });
    const url = `${origin}/recordings/${recOf(path.join(DIR, `${name}.tlog`))}`;
    // The still frame, from the server's HTML (docs/still-frame.md): rows of
    // text in div and span elements with a style, and nothing else.
    const frame = stillFrameMarkup(await (await page.request.get(url)).text());
    expect(frame !== null, 'a still frame exactly when the server makes one').toBe(
      (await stillFrameOf(path.join(DIR, `${name}.tlog`))) !== null,
    );
    if (frame !== null) {
      const tags = [...frame.matchAll(/<\/?([a-zA-Z][^\s/>]*)([^>]*)>/g)];
      expect(
        tags.map((t) => t[1]).filter((t) => t !== 'div' && t !== 'span'),
        'elements in the still frame other than div and span',
      ).toEqual([]);
      // The frame's two wrappers are the component's own; what is inside has a style at most.
      for (const [, , attributes] of tags.slice(2)) {
        expect(attributes, 'attributes in the still frame').toMatch(/^(\s+style="[^"]*")?\s*$/);
      }
    }
    await page.goto(url);
    await setClipboard(page, SENTINEL);
    const title = await page.title();
    const player = page.getByTestId('player');
    // Long tasks count from the first output on: loading the page itself is not the replay.
    await expect(player).not.toHaveAttribute('data-state', 'loading', { timeout: 60_000 });
    await page.evaluate(() => ((window as unknown as { longestTask: number }).longestTask = 0));

    // The page answers all along, and the replay reaches the end in bounded time.
    let slowest = 0;
    const started = Date.now();
    while ((await player.getAttribute('data-state')) !== 'ended') {
      expect(Date.now() - started, 'reaches the end').toBeLessThan(45_000);
      const before = Date.now();
      await page.evaluate(() => document.readyState);
      slowest = Math.max(slowest, Date.now() - before);
      await page.waitForTimeout(200);
    }
    // Generous bounds: CI machines are slow and shared; a frozen tab takes far longer.
    expect(slowest, 'longest wait for the page to answer (ms)').toBeLessThan(10_000);
    const longestTask = await page.evaluate(
      () => (window as unknown as { longestTask: number }).longestTask,
    );
    expect(longestTask, 'longest main-thread task (ms)').toBeLessThan(2500);
    // Ended means the position reached the end; the terminal may still be drawing it.
    await expect(player).toHaveAttribute('data-settled', 'true', { timeout: 60_000 });
    await expect(page.locator('.xterm-rows')).toContainText(`END OF HOSTILE FIXTURE ${name}`);

    const terminal = player.getByTestId('terminal');
    expect(Number(await terminal.getAttribute('data-cols'))).toBeLessThanOrEqual(500);
    expect(Number(await terminal.getAttribute('data-rows'))).toBeLessThanOrEqual(200);

    if (name === 'osc8-links') {
      // Click every would-be link: nothing may open, navigate or be fetched.
      for (const text of ['JAVASCRIPT-LINK', 'FILE-LINK', 'WEB-LINK', 'DATA-LINK']) {
        const box = await page.locator('.xterm-rows > div', { hasText: text }).boundingBox();
        if (!box) throw new Error(`${text} is not on screen`);
        await page.mouse.click(box.x + 20, box.y + box.height / 2);
        await page.keyboard.down('Control');
        await page.mouse.click(box.x + 20, box.y + box.height / 2);
        await page.keyboard.up('Control');
      }
      await page.waitForTimeout(500);
    }
    if (name === 'html-metadata') {
      await expect(page.getByRole('heading', { level: 1 })).toContainText(
        '<img src=x onerror=alert(4)>',
      );
    }

    expect(await page.title(), 'page title').toBe(title);
    expect(page.url(), 'no navigation').toBe(url);
    expect(popups, 'no new windows').toEqual([]);
    expect(dialogs, 'no dialogs').toEqual([]);
    expect(errors, 'no page errors').toEqual([]);
    const foreign = requests.filter((r) => HOSTILE_TARGETS.test(r) || new URL(r).origin !== origin);
    expect(foreign, 'requests other than the app’s own').toEqual([]);
    expect(await readClipboard(page), 'clipboard').toBe(SENTINEL);
  });
}

/** The still frame the server makes for a file, from its first messages as the page reads them. */
async function stillFrameOf(file: string) {
  const lines = readFileSync(file, 'utf8').split('\n').filter(Boolean);
  return makeStillFrame(lines.slice(0, STILL_MESSAGES), {
    complete: lines.length < STILL_MESSAGES,
  });
}

/** The still frame's HTML in a page, from its opening tag to its closing one, or null. */
function stillFrameMarkup(html: string): string | null {
  const start = html.indexOf('<div data-testid="still-frame"');
  if (start < 0) return null;
  let depth = 0;
  for (const tag of html.slice(start).matchAll(/<(\/?)div\b[^>]*>/g)) {
    depth += tag[1] ? -1 : 1;
    if (depth === 0) return html.slice(start, start + (tag.index ?? 0) + tag[0].length);
  }
  throw new Error('the still frame is not closed');
}
