import { expect, FIXTURE_COUNT, fixtureRec, test } from './fixtures';
import { parseMoment } from '../../lib/replay/moment';

// The recordings list on the real fixtures (all recorded as root on
// host vm), in both projects: files and Elasticsearch.

test('filter by user and host, search a word seen on screen, land on the moment it shows', async ({
  page,
  player,
}) => {
  // Five navigations and a player load: more than one default timeout on a busy machine.
  test.slow();
  await page.goto('/');
  await expect(page.getByTestId('recording-row')).toHaveCount(FIXTURE_COUNT);

  await page.getByTestId('facet-user').filter({ hasText: 'root' }).click();
  await expect(page).toHaveURL(/[?&]user=root/);
  await page.getByTestId('facet-host').filter({ hasText: 'vm' }).click();
  await expect(page).toHaveURL(/[?&]user=root/);
  await expect(page).toHaveURL(/[?&]host=vm/);
  await expect(page.getByRole('list', { name: 'Active filters' })).toContainText('root');
  await expect(page.getByTestId('recording-row')).toHaveCount(FIXTURE_COUNT);

  // Typing searches after a pause, keeping the filters.
  await page.getByRole('searchbox', { name: 'Search the output of every recording' }).fill('burst');
  await expect(page).toHaveURL(/[?&]q=burst/);
  await expect(page).toHaveURL(/[?&]user=root/);
  await expect(page.getByTestId('recording-row')).toHaveCount(1);
  const match = page.getByTestId('recording-match');
  await expect(match.locator('mark').first()).toHaveText('burst');

  const open = match.getByRole('link', { name: /Open the recording at/ });
  const href = (await open.getAttribute('href')) ?? '';
  expect(href).toMatch(
    new RegExp(
      `^/recordings/${fixtureRec('gap')}\\?t=(\\d+:)?\\d+:\\d{2}(\\.\\d{1,3})?&find=burst$`,
    ),
  );
  const t = (parseMoment(new URL(href, 'http://x').searchParams.get('t') ?? '') ?? NaN) / 1000;
  await open.click();
  await expect(page).toHaveURL(new RegExp(`/recordings/${fixtureRec('gap')}\\?t=`));
  await expect(player.root).toHaveAttribute('data-state', 'paused');
  expect(await player.time()).toBeCloseTo(t, 3);
  await expect(player.screen).toContainText('$ echo before the burst');
  // The find box holds the matched word: n goes on to its next appearance.
  await expect(player.root.getByRole('searchbox', { name: 'Find in the recording' })).toHaveValue(
    'burst',
  );
  await expect(player.root).toHaveAttribute('data-find-done', 'true');
  expect(Number(await player.root.getAttribute('data-find-hits'))).toBeGreaterThan(0);
});

test('pages with cursors through every recording', async ({ page }) => {
  const seen = new Set<string>();
  await page.goto('/?size=3&sort=duration:asc');
  for (let pages = 1; ; pages++) {
    const rows = page.getByTestId('recording-row');
    for (const link of await rows.locator('[data-row-link]').all())
      seen.add((await link.getAttribute('href')) ?? '');
    const next = page.getByTestId('next-page');
    if ((await next.count()) === 0) {
      expect(pages).toBe(Math.ceil(FIXTURE_COUNT / 3));
      break;
    }
    const href = (await next.getAttribute('href')) ?? '';
    expect(href).toMatch(/[?&]cursor=[A-Za-z0-9_-]+/);
    await page.goto(href);
  }
  expect(seen.size).toBe(FIXTURE_COUNT);
});

test('keeps the query in view when nothing matches', { tag: '@ui' }, async ({ page }) => {
  await page.goto('/?q=nothingatall&user=root');
  await expect(page.getByTestId('empty-state')).toContainText('No recordings match');
  await expect(page.getByRole('searchbox')).toHaveValue('nothingatall');
  await expect(page.getByRole('list', { name: 'Active filters' })).toContainText('nothingatall');
});

test(
  'works from the keyboard: / searches, j and k move, Enter plays',
  { tag: '@ui' },
  async ({ page }) => {
    await page.goto('/');
    // The keys work once the page has hydrated: retry until then.
    await expect(async () => {
      await page.keyboard.press('/');
      await expect(page.getByRole('searchbox')).toBeFocused({ timeout: 500 });
    }).toPass();
    await page.locator('h1').click();
    await page.keyboard.press('j');
    await expect(page.locator('[data-row-link]').first()).toBeFocused();
    await page.keyboard.press('j');
    await expect(page.locator('[data-row-link]').nth(1)).toBeFocused();
    await page.keyboard.press('Enter');
    await expect(page).toHaveURL(/\/recordings\//);
  },
);

test('a bad filter is explained, with the filters kept', { tag: '@ui' }, async ({ page }) => {
  await page.goto('/?from=yesterday&user=root');
  await expect(page.getByRole('alert').filter({ hasText: 'not valid' })).toContainText(
    'from: must be an ISO 8601 date',
  );
  await expect(page.getByRole('textbox', { name: 'From' })).toHaveValue('yesterday');
  await expect(page.getByRole('list', { name: 'Active filters' })).toContainText('root');
});
