import type { Page, Route } from '@playwright/test';
import { expect, fixtureRec, test } from './fixtures';
import {
  browserScreen,
  fixtureTimeline,
  referenceScreen,
  seekTo,
  waitForMoment,
  waitForPlayer,
} from './player-support';

test.describe.configure({ timeout: 120_000 });

// The output budget (docs/memory.md): with a small one, the player lets go
// of most of big.tlog's output once the keyframe worker has read it, and a
// seek into output it let go fetches those messages again by id range. It
// must land on the same screen as with everything held: the reference.

/** 128 KiB: about an eighth of big.tlog's 1.1 MB of output, in chunks of 32 KiB. */
const BUDGET = 128 * 1024;

async function smallBudget(page: Page): Promise<void> {
  await page.addInitScript(
    (bytes) => window.localStorage.setItem('auditty:output-budget', String(bytes)),
    BUDGET,
  );
}

const number = async (root: import('@playwright/test').Locator, name: string) =>
  Number(await root.getAttribute(name));

/** A moment `fraction` into big.tlog, in whole ms (data-time has three decimals). */
const duration = fixtureTimeline('big').durationMs;
const at = (fraction: number) => Math.round(duration * fraction);

async function indexed(root: import('@playwright/test').Locator): Promise<void> {
  await expect
    .poll(
      async () => (await number(root, 'data-indexed')) === (await number(root, 'data-events')),
      {
        timeout: 60_000,
      },
    )
    .toBe(true);
}

test('seeks into output let go over the budget land on the reference screen', async ({
  page,
  player,
}) => {
  await smallBudget(page);
  const fetched: string[] = [];
  page.on('request', (request) => {
    const url = new URL(request.url());
    if (url.pathname.endsWith('/messages') && url.searchParams.has('from'))
      fetched.push(url.search);
  });
  await player.open('big', `?t=${(at(0.9) / 1000).toFixed(3)}`);
  await waitForPlayer(player.root);
  await waitForMoment(player.root, at(0.9) / 1000);
  expect(await browserScreen(player.root)).toEqual(await referenceScreen('big', at(0.9)));
  await indexed(player.root);
  await expect(player.root).toHaveAttribute('data-complete', 'true');
  expect(await number(player.root, 'data-output-budget')).toBe(BUDGET);
  expect(await number(player.root, 'data-evictions')).toBeGreaterThan(10);
  for (const fraction of [0.15, 0.55, 0.05, 0.97, 0.35]) {
    await seekTo(player.root, at(fraction));
    await waitForMoment(player.root, at(fraction) / 1000);
    expect(await browserScreen(player.root), `at ${at(fraction)} ms`).toEqual(
      await referenceScreen('big', at(fraction)),
    );
    expect(await number(player.root, 'data-output-held')).toBeLessThanOrEqual(BUDGET);
  }
  expect(await number(player.root, 'data-refetches')).toBeGreaterThan(0);
  expect(fetched.length).toBe(await number(player.root, 'data-refetches'));
  for (const search of fetched) expect(search).toMatch(/^\?from=\d+&to=\d+$/);
});

test('the default budget holds a small recording whole, without re-fetches', async ({ player }) => {
  await player.open('big', `?t=${(at(0.5) / 1000).toFixed(3)}`);
  await waitForMoment(player.root, at(0.5) / 1000);
  await indexed(player.root);
  expect(await number(player.root, 'data-output-budget')).toBe(256 * 1024 * 1024);
  await seekTo(player.root, at(0.1));
  await waitForMoment(player.root, at(0.1) / 1000);
  expect(await number(player.root, 'data-evictions')).toBe(0);
  expect(await number(player.root, 'data-refetches')).toBe(0);
  expect(await number(player.root, 'data-output-held')).toBeGreaterThan(1_000_000);
});

/** Holds re-fetches (messages with an id range) until released. */
async function holdRefetches(page: Page, answer: (route: Route) => Promise<void>) {
  let release: () => void = () => undefined;
  const released = new Promise<void>((resolve) => (release = resolve));
  await page.route(
    (url) => url.pathname.endsWith('/messages') && url.searchParams.has('from'),
    async (route) => {
      await released;
      await answer(route);
    },
  );
  return release;
}

test(
  'a seek that waits for a re-fetch says so, then shows its moment',
  { tag: '@ui' },
  async ({ page, player }) => {
    await smallBudget(page);
    await player.open('big', `?t=${(at(0.95) / 1000).toFixed(3)}`);
    await waitForMoment(player.root, at(0.95) / 1000);
    await indexed(player.root);
    const release = await holdRefetches(page, (route) => route.continue());
    await seekTo(player.root, at(0.1));
    const status = player.root.getByTestId('screen-status');
    await expect(status).toHaveText(/Fetching this part of the recording again/);
    await expect(player.root).toHaveAttribute('data-refetching', 'true');
    await expect(player.root).toHaveAttribute('data-settled', 'false');
    release();
    await waitForMoment(player.root, at(0.1) / 1000);
    await expect(status).toHaveCount(0);
    await expect(player.root).toHaveAttribute('data-refetching', 'false');
    expect(await browserScreen(player.root)).toEqual(await referenceScreen('big', at(0.1)));
  },
);

test(
  'a re-fetch that fails says why, and a later seek tries again',
  { tag: '@ui' },
  async ({ page, player }) => {
    await smallBudget(page);
    await player.open('big', `?t=${(at(0.95) / 1000).toFixed(3)}`);
    await waitForMoment(player.root, at(0.95) / 1000);
    await indexed(player.root);
    const release = await holdRefetches(page, (route) =>
      route.fulfill({
        status: 503,
        contentType: 'application/json',
        body: JSON.stringify({
          error: { code: 'source_unavailable', message: 'Elasticsearch is not answering' },
        }),
      }),
    );
    release();
    await seekTo(player.root, at(0.1));
    const alert = player.root.getByTestId('refetch-error');
    await expect(alert).toContainText('could not be: Elasticsearch is not answering.');
    await page.unrouteAll();
    await seekTo(player.root, at(0.2));
    await waitForMoment(player.root, at(0.2) / 1000);
    await expect(alert).toHaveCount(0);
    expect(await browserScreen(player.root)).toEqual(await referenceScreen('big', at(0.2)));
  },
);

test('the messages API reads an id range, and refuses a bad one', async ({ request }) => {
  const url = `/api/recordings/${fixtureRec('big')}/messages`;
  const range = await request.get(`${url}?from=5&to=9`);
  expect(range.status()).toBe(200);
  const ids = (await range.text())
    .split('\n')
    .filter((l) => l !== '')
    .map((l) => (JSON.parse(l) as { id: number }).id);
  expect(ids).toEqual([5, 6, 7, 8, 9]);
  const past = await request.get(`${url}?from=900000&to=900001`);
  expect(past.status()).toBe(404);
  for (const bad of ['from=5', 'from=9&to=5', 'from=0&to=3', 'from=a&to=3']) {
    const answer = await request.get(`${url}?${bad}`);
    expect(answer.status(), bad).toBe(400);
    expect(((await answer.json()) as { error: { code: string } }).error.code).toBe('bad_request');
  }
});
