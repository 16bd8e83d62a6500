import { expect, FIXTURE_COUNT, fixtureRec, test } from './fixtures';
import {
  browserScreen,
  fixtureTimeline,
  ReferenceTerminal,
  referenceScreen,
  seekTo,
  waitForMoment,
} from './player-support';

test('the list shows the recordings and opens one in the player', async ({ page, player }) => {
  const messageRequests: string[] = [];
  page.on('request', (r) => {
    if (new URL(r.url()).pathname.endsWith('/messages')) messageRequests.push(r.url());
  });
  await page.goto('/');
  await expect(page.getByRole('heading', { name: 'Recordings' })).toBeVisible();
  // Every fixture is a recording: a row each.
  await expect(page.getByTestId('recording-row')).toHaveCount(FIXTURE_COUNT);
  await page.locator(`a[href="/recordings/${fixtureRec('colors')}"]`).click();
  await expect(page).toHaveURL(new RegExp(`/recordings/${fixtureRec('colors')}$`));
  await expect(player.root).toHaveAttribute('data-state', /playing|ended/);
  await expect.poll(() => player.time()).toBeGreaterThan(0);
  // What is on screen while playing moves on (the /etc listing scrolls past
  // in an instant), so the check is made at a moment: paused, then sought to
  // the first moment a terminal shows the listing.
  const ms = await firstMomentShowing('colors', 'adduser.conf');
  await player.button('Pause').click();
  await seekTo(player.root, ms);
  await waitForMoment(player.root, ms / 1000);
  const screen = await browserScreen(player.root);
  expect(screen).toEqual(await referenceScreen('colors', ms));
  expect(screen.lines.join('\n')).toContain('adduser.conf');
  // A client-side navigation runs no inline script: the loader asks, once.
  expect(messageRequests).toHaveLength(1);
});

test('a recording opened by its address asks for its messages once, while the page is parsed', async ({
  page,
  player,
}) => {
  const violations: string[] = [];
  await page.addInitScript(() => {
    const w = window as unknown as { violations: string[] };
    w.violations = [];
    document.addEventListener('securitypolicyviolation', (e) =>
      w.violations.push(e.violatedDirective),
    );
  });
  await player.open('resize', '?t=3');
  await waitForMoment(player.root, 3);
  const timing = await page.evaluate(() => {
    const nav = performance.getEntriesByType('navigation')[0] as PerformanceNavigationTiming;
    const messages = performance
      .getEntriesByType('resource')
      .filter((e) => new URL(e.name).pathname.endsWith('/messages'));
    return {
      starts: messages.map((e) => e.startTime),
      parsed: nav.domContentLoadedEventStart,
      violations: (window as unknown as { violations: string[] }).violations,
    };
  });
  violations.push(...timing.violations);
  expect(violations, 'CSP violations (the inline script carries the nonce)').toEqual([]);
  expect(timing.starts).toHaveLength(1);
  // The page's inline script asks before DOMContentLoaded; the player's code runs after it.
  expect(timing.starts[0]).toBeLessThanOrEqual(timing.parsed);
  expect(await browserScreen(player.root)).toEqual(await referenceScreen('resize', 3000));
});

/** The first output moment at which the reference screen shows `text`. */
async function firstMomentShowing(fixture: string, text: string): Promise<number> {
  const reference = new ReferenceTerminal(fixture);
  try {
    for (const event of fixtureTimeline(fixture).events) {
      if (event.kind !== 'output' || event.t === reference.at) continue;
      await reference.advance(event.t);
      if (reference.screen().lines.some((line) => line.includes(text))) return event.t;
    }
  } finally {
    reference.dispose();
  }
  throw new Error(`${fixture} never shows ${text}`);
}

test('plays with real timing, pauses and resumes', { tag: '@ui' }, async ({ player }) => {
  await player.open('resize');
  await expect(player.root).toHaveAttribute('data-state', 'playing');
  const duration = Number(await player.root.getAttribute('data-duration'));
  expect(duration).toBeGreaterThan(5);
  await expect(player.screen).toContainText('$ stty size');
  await player.button('Pause').click();
  await expect(player.root).toHaveAttribute('data-state', 'paused');
  const paused = await player.time();
  await player.page.waitForTimeout(1000);
  expect(await player.time()).toBe(paused);
  await player.button('Play').click();
  await expect(player.root).toHaveAttribute('data-state', 'playing');
  await expect.poll(() => player.time()).toBeGreaterThan(paused);
});

test(
  'a link to a moment opens paused there, and the seek bar moves it',
  { tag: '@ui' },
  async ({ player }) => {
    await player.open('utf8-emoji', '?t=0:05');
    await expect(player.root).toHaveAttribute('data-state', 'paused');
    expect(await player.time()).toBe(5);
    const seek = player.root.getByRole('slider', { name: 'Seek' });
    const max = Number(await seek.getAttribute('max'));
    await seek.fill(String(max));
    await expect.poll(() => player.time()).toBe(max / 1000);
    await expect(player.screen).toContainText('👍🏽👨‍👩‍👧🇫🇷👍🏽');
    await expect(player.screen).toContainText('日本語日本語');
  },
);

test(
  'a bad moment in a link is explained, and the player still works',
  { tag: '@ui' },
  async ({ page, player }) => {
    await player.open('resize', '?t=banana');
    await expect(page.getByRole('alert').filter({ hasText: 'Part of this link' })).toContainText(
      '"banana" is not a moment',
    );
    await expect(player.root).toHaveAttribute('data-state', 'playing');
  },
);

test('an unknown recording says so', async ({ page }) => {
  await page.goto('/recordings/no-such-recording');
  await expect(page.getByRole('heading', { name: 'Recording not found' })).toBeVisible();
});
