import { readFileSync } from 'node:fs';
import path from 'node:path';
import headless from '@xterm/headless';
import type { Locator, Page } from '@playwright/test';
import { assembleTimeline, parseMessageLine, type Timeline } from '../../lib/tlog/index';
import { clampSize, SCROLLBACK } from '../../lib/replay/terminal-options';
import { visibleRows } from '../support/screen-rows';
import { expect } from './fixtures';

// Helpers for the player specs: the reference screen of a fixture at a
// moment, and the screen the browser shows.

const RECORDINGS = path.resolve(import.meta.dirname, '../fixtures/recordings');

const timelines = new Map<string, Timeline>();

/** The fixture's timeline, parsed once per worker. */
export function fixtureTimeline(name: string, dir = RECORDINGS): Timeline {
  const key = path.join(dir, name);
  const cached = timelines.get(key);
  if (cached) return cached;
  const lines = readFileSync(path.join(dir, `${name}.tlog`), 'utf8')
    .split('\n')
    .filter(Boolean);
  const timeline = assembleTimeline(
    lines.map((line) => {
      const parsed = parseMessageLine(line);
      if (!parsed.ok) throw new Error(`${name}: ${parsed.error}`);
      return parsed.value;
    }),
  );
  timelines.set(key, timeline);
  return timeline;
}

export interface Screen {
  cols: number;
  rows: number;
  /** The visible rows, trailing blanks removed. */
  lines: string[];
}

/**
 * A fixture played into @xterm/headless at the recorded window size (clamped
 * as the player clamps it), moving forward only: independent of the
 * player's engine.
 */
export class ReferenceTerminal {
  private readonly terminal = new headless.Terminal({
    cols: 80,
    rows: 24,
    scrollback: SCROLLBACK,
    allowProposedApi: true,
  });
  private readonly events: Timeline['events'];
  private next = 0;
  /** The time up to which events are written. */
  at = -Infinity;

  constructor(
    readonly fixture: string,
    /** Where `fixture`.tlog is (a recording a test made). */
    dir = RECORDINGS,
  ) {
    this.events = fixtureTimeline(fixture, dir).events;
  }

  /** Writes every event up to `ms` (inclusive); `ms` may not go back. */
  async advance(ms: number): Promise<void> {
    if (ms < this.at) throw new Error(`ReferenceTerminal goes forward only (${ms} < ${this.at})`);
    this.at = ms;
    // xterm parses writes in order: wait only for the last one before a
    // resize and at the end (a wait per write costs a macrotask each).
    const written = () => new Promise<void>((resolve) => this.terminal.write('', resolve));
    for (; this.next < this.events.length; this.next++) {
      const event = this.events[this.next];
      if (!event || event.t > ms) break;
      if (event.kind === 'output') {
        this.terminal.write(event.data);
      } else if (event.kind === 'window') {
        const size = clampSize(event.cols, event.rows);
        if (size.cols !== this.terminal.cols || size.rows !== this.terminal.rows) {
          await written();
          this.terminal.resize(size.cols, size.rows);
        }
      }
    }
    await written();
  }

  screen(): Screen {
    const { terminal } = this;
    // The DOM renderer leaves hidden (SGR 8) text out, as a terminal does.
    return { cols: terminal.cols, rows: terminal.rows, lines: visibleRows(terminal) };
  }

  dispose(): void {
    this.terminal.dispose();
  }
}

const screens = new Map<string, Screen>();

/** The reference screen at `ms`: the fixture's decoded output up to that moment (cached). */
export async function referenceScreen(name: string, ms: number): Promise<Screen> {
  const key = `${name}@${ms}`;
  const cached = screens.get(key);
  if (cached) return cached;
  const reference = new ReferenceTerminal(name);
  await reference.advance(ms);
  const screen = reference.screen();
  reference.dispose();
  screens.set(key, screen);
  return screen;
}

/** The rows the browser's terminal shows (xterm's DOM renderer). */
export async function browserScreen(player: Locator): Promise<Screen> {
  const terminal = player.getByTestId('terminal');
  const [cols, rows] = await Promise.all([
    terminal.getAttribute('data-cols'),
    terminal.getAttribute('data-rows'),
  ]);
  const lines = await terminal
    .locator('.xterm-rows > div')
    .evaluateAll((divs) =>
      divs.map((d) => (d.textContent ?? '').replace(/\u00a0/g, ' ').trimEnd()),
    );
  return { cols: Number(cols), rows: Number(rows), lines };
}

/**
 * Waits until the player shows `seconds` and every terminal write for it is
 * done. Generous: the first moment waits for the page and the recording to
 * load, which takes long on a busy CI machine.
 */
export async function waitForMoment(
  player: Locator,
  seconds: number,
  timeout = 45_000,
): Promise<void> {
  await expect(player).toHaveAttribute('data-time', seconds.toFixed(3), { timeout });
  await expect(player).toHaveAttribute('data-settled', 'true', { timeout });
}

/** Waits for the player to leave `loading`: the page and the first messages are in. */
export async function waitForPlayer(player: Locator, timeout = 90_000): Promise<void> {
  await expect(player).not.toHaveAttribute('data-state', 'loading', { timeout });
}

/** Positions the seek bar at `ms`, as a user dragging it would. */
export async function seekTo(player: Locator, ms: number): Promise<void> {
  await player.getByRole('slider', { name: 'Seek' }).fill(String(Math.round(ms)));
}

export async function playerTime(player: Locator): Promise<number> {
  return Number(await player.getAttribute('data-time'));
}

export function recOf(file: string): string {
  const first = readFileSync(file, 'utf8').split('\n', 1)[0] ?? '';
  const rec: unknown = JSON.parse(first).rec;
  if (typeof rec !== 'string') throw new Error(`${file} has no rec`);
  return rec;
}

/**
 * A page for reaching the clipboard: the app's pages forbid reading it
 * (Permissions-Policy clipboard-read=()), so the tests read and write it
 * from a blank page of the same origin, served by the test itself.
 */
async function clipboardPage(page: Page): Promise<Page> {
  const origin = new URL(page.url()).origin;
  await page.context().grantPermissions(['clipboard-read', 'clipboard-write'], { origin });
  const helper = await page.context().newPage();
  await helper.route(`${origin}/__clipboard__`, (route) =>
    route.fulfill({ contentType: 'text/html', body: '<!doctype html><title>clipboard</title>' }),
  );
  await helper.goto(`${origin}/__clipboard__`);
  await helper.bringToFront();
  return helper;
}

/** Puts `text` on the clipboard. */
export async function setClipboard(page: Page, text: string): Promise<void> {
  const helper = await clipboardPage(page);
  await helper.evaluate((t) => navigator.clipboard.writeText(t), text);
  await helper.close();
  await page.bringToFront();
}

export async function readClipboard(page: Page): Promise<string> {
  const helper = await clipboardPage(page);
  const text = await helper.evaluate(() => navigator.clipboard.readText());
  await helper.close();
  await page.bringToFront();
  return text;
}
