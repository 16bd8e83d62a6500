import { expect, fixtureRec, test } from './fixtures';
import { watchCsp } from './access-helpers';

/** The player may take a while on a busy machine; 15 s is the default elsewhere. */
const LOADED = { timeout: 30_000 };

// Without sign-in configured (the quick start on loopback): a visible
// "open access" banner, and the same security headers as with sign-in.

test('open access says so on every page', async ({ page }) => {
  for (const url of ['/', `/recordings/${fixtureRec('colors')}`]) {
    await page.goto(url);
    await expect(page.getByTestId('open-access-banner')).toContainText('Open access');
  }
  await expect(page.getByRole('button', { name: 'Sign out' })).toHaveCount(0);
});

test('pages carry a nonce-based CSP that the app and the player run under', async ({
  page,
  player,
}) => {
  const violations = await watchCsp(page);
  const response = await page.goto(`/recordings/${fixtureRec('utf8-emoji')}?t=0:05`);
  const headers = response!.headers();
  const csp = headers['content-security-policy'] ?? '';
  const nonce = /'nonce-([^']+)'/.exec(csp)?.[1];
  expect(nonce).toBeTruthy();
  expect(csp).toContain("frame-ancestors 'none'");
  expect(csp).toContain("connect-src 'self'");
  expect(csp).not.toContain('unsafe-eval');
  expect(headers['x-content-type-options']).toBe('nosniff');
  expect(headers['referrer-policy']).toBe('no-referrer');
  expect(headers['strict-transport-security']).toBeUndefined();
  // Every script Next.js wrote into the page carries this response's nonce
  // (what those scripts load later is trusted through 'strict-dynamic').
  const scripts = (await response!.text()).match(/<script\b[^>]*>/g) ?? [];
  expect(scripts.length).toBeGreaterThan(0);
  for (const tag of scripts) expect(tag).toContain(`nonce="${nonce}"`);
  await expect(player.root).toHaveAttribute('data-state', 'paused', LOADED);
  await expect(player.root).toHaveAttribute('data-time', '5.000');
  await expect(player.screen).not.toBeEmpty();
  expect(violations).toEqual([]);

  const again = await page.request.get('/');
  expect(/'nonce-([^']+)'/.exec(again.headers()['content-security-policy'] ?? '')?.[1]).not.toBe(
    nonce,
  );
});
