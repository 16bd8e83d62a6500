import { expect, fixtureRec, test } from './fixtures';
import { BYPASS_PORT } from '../../playwright.config';
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

test('open access refuses a page whose Host is not this machine (DNS rebinding)', async ({
  request,
}) => {
  for (const path of ['/', `/api/recordings/${fixtureRec('colors')}/messages`, '/api/health']) {
    const response = await request.get(path, { headers: { host: 'rebind.evil.example:3210' } });
    expect(response.status(), path).toBe(403);
    expect(await response.json(), path).toEqual({
      error: {
        code: 'forbidden',
        message:
          'Open access serves this machine only, and "rebind.evil.example:3210" is not a loopback name',
      },
    });
  }
  expect((await request.get('/api/health', { headers: { host: 'localhost:3210' } })).status()).toBe(
    200,
  );
});

test('open access refuses to serve at all when started without the launcher', async ({
  request,
}) => {
  // `next start` listens on every interface unless told otherwise, and gives
  // the app no peer address: open access must not trust it with recordings.
  for (const path of ['/', `/recordings/${fixtureRec('colors')}`, '/api/recordings']) {
    const response = await request.get(`http://127.0.0.1:${BYPASS_PORT}${path}`);
    expect(response.status(), path).toBe(403);
    expect((await response.json()).error.message, path).toBe(
      'Open access serves this machine only: start auditty with npm start, which tells it who connects',
    );
  }
});

test('reads made by another site are refused; a shared link opened from another site works', async ({
  request,
  page,
  baseURL,
}) => {
  const crossSite = (mode: string, dest: string) => ({
    'sec-fetch-site': 'cross-site',
    'sec-fetch-mode': mode,
    'sec-fetch-dest': dest,
  });
  const rec = fixtureRec('colors');
  for (const [path, mode, dest] of [
    [`/api/recordings/${rec}/messages`, 'cors', 'empty'],
    [`/api/recordings/${rec}/export?format=raw`, 'navigate', 'document'],
    [`/recordings/${rec}`, 'no-cors', 'image'],
    [`/recordings/${rec}`, 'navigate', 'iframe'],
    ['/?q=passwd', 'no-cors', 'script'],
  ] as const) {
    const response = await request.get(path, { headers: crossSite(mode, dest) });
    expect(response.status(), `${path} as ${dest}`).toBe(403);
    expect((await response.json()).error.code).toBe('forbidden');
  }
  // A link in another site's page (a chat; 127.0.0.2 is another site, on
  // loopback so that Chromium's local-network rules stay out of it), clicked:
  // the browser's own cross-site navigation opens the recording at its moment.
  await page.route('http://127.0.0.2:3299/**', (route) =>
    route.fulfill({
      contentType: 'text/html',
      body: `<!doctype html><title>chat</title><a id="shared" href="${baseURL}/recordings/${rec}?t=0:01">the moment</a>`,
    }),
  );
  await page.goto('http://127.0.0.2:3299/room');
  const opened = page.waitForResponse((r) => r.url().endsWith('?t=0:01'));
  await page.click('#shared');
  expect((await opened).status()).toBe(200);
  await expect(page.getByTestId('player')).toHaveAttribute('data-state', 'paused', LOADED);
  await expect(page.getByTestId('player')).toHaveAttribute('data-time', '1.000');
});
