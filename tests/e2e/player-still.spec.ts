import type { Locator, Page } from '@playwright/test';
import { expect, fixtureRec, test } from './fixtures';
import { browserScreen, referenceScreen, waitForMoment, waitForPlayer } from './player-support';

// The still frame (docs/still-frame.md): the server's picture of the first
// screen, there before the player's code or its messages. The messages are
// held back here, so what is on screen can only be the frame; it must be the
// reference screen, and give way to the terminal showing the same.

test.describe.configure({ timeout: 120_000 });

/** Holds every messages request until `release` is called. */
async function holdMessages(page: Page): Promise<() => void> {
  let release = () => {};
  const released = new Promise<void>((resolve) => (release = resolve));
  await page.route('**/api/recordings/*/messages', async (route) => {
    await released;
    await route.continue();
  });
  return release;
}

const stillRows = (still: Locator) =>
  still.evaluate((el) =>
    [...(el.firstElementChild?.children ?? [])].map((row) => (row.textContent ?? '').trimEnd()),
  );

for (const [fixture, query, atMs] of [
  ['colors', '?t=3', 3000],
  ['resize', '?t=0:07.5', 7500],
  ['fullscreen', '?t=5', 5000],
] as const) {
  test(`${fixture}${query}: the still frame is the reference screen, then the terminal is`, async ({
    page,
    player,
  }) => {
    const release = await holdMessages(page);
    await player.open(fixture, query);
    const still = page.getByTestId('still-frame');
    await expect(still).toBeVisible();
    await expect(still).toHaveAttribute('data-at', String(atMs));
    const reference = await referenceScreen(fixture, atMs);
    expect(await stillRows(still)).toEqual(reference.lines);
    // Nothing but rows of styled text.
    const tags = await still.evaluate((el) => [
      ...new Set([...el.querySelectorAll('*')].map((e) => e.tagName)),
    ]);
    expect(tags.sort()).toEqual(['DIV', 'SPAN']);

    release();
    await waitForPlayer(player.root);
    await waitForMoment(player.root, atMs / 1000);
    await expect(still).toHaveCount(0);
    expect(await browserScreen(player.root)).toEqual(reference);
  });
}

test(
  'colors?t=3: the frame has the terminal’s colours',
  { tag: '@ui' },
  async ({ page, player }) => {
    const release = await holdMessages(page);
    await player.open('colors', '?t=3');
    // ls --color: directories in bold blue, which xterm.js draws bright.
    const dir = page.getByTestId('still-frame').locator('span', { hasText: /^UPower$/ });
    await expect(dir).toHaveCSS('color', 'rgb(114, 159, 207)');
    await expect(dir).toHaveCSS('font-weight', '700');
    release();
  },
);

test('opened from the start: the first output, while playback gets there', async ({
  page,
  player,
}) => {
  const release = await holdMessages(page);
  await player.open('input');
  const still = page.getByTestId('still-frame');
  await expect(still).toBeVisible();
  const atMs = Number(await still.getAttribute('data-at'));
  expect(atMs).toBeGreaterThanOrEqual(0);
  expect(atMs).toBeLessThanOrEqual(1000);
  const reference = await referenceScreen('input', atMs);
  expect(await stillRows(still)).toEqual(reference.lines);
  expect(reference.lines.join('').trim()).not.toBe('');
  release();
  await waitForPlayer(player.root);
  await expect(still).toHaveCount(0, { timeout: 30_000 });
});

test(
  'no frame where the first screen is not known: a find link, the live edge',
  {
    tag: '@ui',
  },
  async ({ page }) => {
    const html = async (query: string) =>
      (await page.request.get(`/recordings/${fixtureRec('colors')}${query}`)).text();
    expect(await html('?t=3')).toContain('data-testid="still-frame"');
    expect(await html('?find=UPower')).not.toContain('data-testid="still-frame"');
    expect(await html('?live=1')).not.toContain('data-testid="still-frame"');
    // A moment past the end: no output there that the first messages show... but
    // colors has fewer than 500 messages, so the end is known: a frame.
    expect(await html('?t=9999')).toContain('data-testid="still-frame"');
  },
);

test(
  'a click in the list shows the link pending while the recording page comes',
  {
    tag: '@ui',
  },
  async ({ page }) => {
    await page.goto('/');
    let release = () => {};
    const released = new Promise<void>((resolve) => (release = resolve));
    let held = 0;
    // The client-side navigation's request for the page (the RSC payload).
    await page.route(
      (url) => url.pathname.startsWith('/recordings/'),
      async (route) => {
        if (route.request().headers()['rsc'] === '1') {
          held += 1;
          await released;
        }
        await route.continue();
      },
    );
    const link = page.getByTestId('recording-row').first().locator('a[data-row-link]');
    await link.click();
    await expect(link.getByTestId('link-pending')).toBeVisible();
    expect(held).toBeGreaterThan(0);
    release();
    await expect(page).toHaveURL(/\/recordings\//);
    await expect(page.getByTestId('player')).toBeVisible();
  },
);
