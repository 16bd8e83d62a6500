import { expect, FIXTURE_COUNT, fixtureRec, test } from './fixtures';
import { momentUrl, signInLocal, signOut, watchCsp } from './access-helpers';

/** The player may take a while on a busy machine; 15 s is the default elsewhere. */
const LOADED = { timeout: 30_000 };

// auditty with local accounts (tests/fixtures/access/users.json) and the
// policy in tests/fixtures/access/policy.json: every fixture is host "vm",
// user "root"; vic may see those, dora only db-* hosts, nemo has no role,
// ada is admin.

test('signed out, pages go to the sign-in page and the API answers 401; health says only its status', async ({
  page,
  request,
}) => {
  await page.goto('/');
  await expect(page).toHaveURL(/\/signin$/);
  await expect(page.getByLabel('Username')).toBeVisible();
  await expect(page.getByLabel('Password')).toHaveAttribute('type', 'password');
  await expect(page.getByTestId('open-access-banner')).toHaveCount(0);
  for (const url of [
    '/api/recordings',
    `/api/recordings/${fixtureRec('colors')}`,
    `/api/recordings/${fixtureRec('colors')}/messages`,
    '/api/audit/events',
  ]) {
    const response = await request.get(url);
    expect(response.status(), url).toBe(401);
    expect(await response.json()).toEqual({
      error: { code: 'unauthorized', message: 'Sign in first' },
    });
  }
  const health = await request.get('/api/health');
  expect(health.status()).toBe(200);
  expect(await health.json()).toEqual({ status: 'ok' });
});

test('the icons, the manifest and robots.txt are served without a session, and pages link them', async ({
  page,
  request,
}) => {
  for (const [path, type] of [
    ['/favicon.ico', 'image/x-icon'],
    ['/icon.svg', 'image/svg+xml'],
    ['/apple-touch-icon.png', 'image/png'],
    ['/icon-192.png', 'image/png'],
    ['/icon-512.png', 'image/png'],
    ['/manifest.webmanifest', 'application/manifest+json'],
    ['/robots.txt', 'text/plain'],
  ] as const) {
    const response = await request.get(path);
    expect(response.status(), path).toBe(200);
    expect(response.headers()['content-type'], path).toContain(type);
  }
  const manifest = await (await request.get('/manifest.webmanifest')).json();
  expect(manifest.icons.map((i: { src: string }) => i.src)).toEqual([
    '/icon-192.png',
    '/icon-512.png',
    '/icon.svg',
  ]);
  await page.goto('/signin');
  await expect(page.locator('link[rel="icon"][href^="/favicon.ico"]')).toHaveCount(1);
  await expect(page.locator('link[rel="apple-touch-icon"]')).toHaveAttribute(
    'href',
    /^\/apple-touch-icon\.png/,
  );
  await expect(page.locator('link[rel="manifest"]')).toHaveAttribute(
    'href',
    '/manifest.webmanifest',
  );
});

test(
  'a shared link survives sign-in and opens paused at its moment, under the CSP',
  { tag: '@source' },
  async ({ page, player }) => {
    const violations = await watchCsp(page);
    await player.open('utf8-emoji', '?t=0:05');
    await expect(page).toHaveURL(/\/signin\?next=/);
    await signInLocal(page, 'vic');
    await expect(page).toHaveURL(momentUrl('utf8-emoji'));
    await expect(player.root).toHaveAttribute('data-state', 'paused', LOADED);
    await expect(player.root).toHaveAttribute('data-time', '5.000');
    await expect(player.screen).not.toBeEmpty();
    await expect(page.getByTestId('signed-in-user')).toHaveText('vic');
    expect(violations).toEqual([]);
  },
);

test('wrong credentials get one message that does not say which part was wrong', async ({
  page,
}) => {
  const messages: string[] = [];
  for (const [name, password] of [
    ['vic', 'not-the-password'],
    ['no-such-user', 'whatever-it-is'],
  ] as const) {
    await page.goto('/signin');
    await signInLocal(page, name, password);
    await expect(page).toHaveURL(/error=credentials/);
    messages.push((await page.getByRole('main').getByRole('alert').textContent()) ?? '');
  }
  expect(messages).toEqual(['Wrong username or password.', 'Wrong username or password.']);
});

test('repeated failures are throttled, even with the right password after them', async ({
  page,
}) => {
  for (let i = 0; i < 5; i++) {
    await page.goto('/signin');
    await signInLocal(page, 'nemo', `wrong-${i}-password`);
    await expect(page.getByRole('main').getByRole('alert')).toHaveText(
      'Wrong username or password.',
    );
  }
  await page.goto('/signin');
  await signInLocal(page, 'nemo');
  await expect(page.getByRole('main').getByRole('alert')).toContainText('Too many failed sign-ins');
  await expect(page).toHaveURL(/\/signin/);
});

test('each auditor sees only permitted hosts and users', { tag: '@source' }, async ({ page }) => {
  test.slow(); // several sign-ins and page loads
  await page.goto('/');
  await signInLocal(page, 'vic');
  await expect(page.getByTestId('recording-row')).toHaveCount(FIXTURE_COUNT);

  await signOut(page);
  await page.goto('/');
  await signInLocal(page, 'dora');
  await expect(page.getByRole('heading', { name: 'Recordings', exact: true })).toBeVisible();
  await expect(page.getByTestId('recording-row')).toHaveCount(0);
  // Not even how many recordings there are elsewhere.
  await expect(page.getByRole('main')).not.toContainText(/\d+ recordings? in \d+ files/);
  await page.goto(`/recordings/${fixtureRec('colors')}`);
  await expect(page.getByRole('heading', { name: 'Recording not found' })).toBeVisible();
  const api = await page.request.get(`/api/recordings/${fixtureRec('colors')}/export?format=text`);
  expect(api.status()).toBe(404);
  const list = await page.request.get('/api/recordings?size=500');
  expect(await list.json()).toEqual({ items: [], nextCursor: null, total: 0 });
});

test('sign-out ends the session', async ({ page }) => {
  await page.goto('/');
  await signInLocal(page, 'vic');
  await expect(page.getByTestId('recording-row')).toHaveCount(FIXTURE_COUNT);
  await signOut(page);
  await page.goto('/');
  await expect(page).toHaveURL(/\/signin$/);
  expect((await page.request.get('/api/recordings')).status()).toBe(401);
});

test(
  'signing out ends every copy of the session: a copied cookie stops working in another browser',
  { tag: '@source' },
  async ({ page, browser, baseURL }) => {
    await page.goto('/');
    await signInLocal(page, 'vic');
    await expect(page.getByTestId('recording-row')).toHaveCount(FIXTURE_COUNT);
    const cookies = await page.context().cookies();
    expect(cookies.map((c) => c.name)).toContain('auditty_session');
    const copy = await browser.newContext({ baseURL });
    try {
      await copy.addCookies(cookies);
      const thief = await copy.newPage();
      expect((await thief.request.get('/api/recordings')).status()).toBe(200);

      await signOut(page);
      await thief.goto('/');
      await expect(thief).toHaveURL(/\/signin\?error=revoked$/);
      await expect(thief.getByRole('main').getByRole('alert')).toContainText(
        'Your session was ended',
      );
      // The refusal dropped the copy's cookie. Another copy, in a context of its
      // own (a late answer to the sign-in page's own requests could drop a
      // cookie put back in this one): the API refuses it too, saying why.
      const again = await browser.newContext({ baseURL });
      try {
        await again.addCookies(cookies);
        const refused = await again.request.get('/api/recordings');
        expect(refused.status()).toBe(401);
        expect((await refused.json()).error.message).toContain('ended by a sign-out');
      } finally {
        await again.close();
      }
    } finally {
      await copy.close();
    }
  },
);

test(
  'admins see who viewed a recording, and the access log',
  { tag: '@source' },
  async ({ page, player }) => {
    test.slow(); // several sign-ins and page loads
    const rec = fixtureRec('colors');
    await player.open('colors', '?t=0:01');
    await signInLocal(page, 'vic');
    await expect(player.root).toHaveAttribute('data-state', 'paused', LOADED);
    await signOut(page);

    await player.open('colors');
    await signInLocal(page, 'ada');
    await expect(page).toHaveURL(`/recordings/${rec}`);
    await expect(page.getByTestId('recording-viewers')).toContainText('vic');

    await page.getByRole('link', { name: 'Access log' }).first().click();
    await expect(page.getByRole('heading', { name: 'Access log' })).toBeVisible();
    await page.getByLabel('User').fill('vic');
    await page.getByLabel('Action').selectOption('recording-replay');
    await page.getByRole('button', { name: 'Filter' }).click();
    await expect(page).toHaveURL(/user=vic/);
    const rows = page.getByTestId('audit-row');
    // Other tests sign in as vic meanwhile (the other worker): the replay of
    // this recording is one of vic's rows, not necessarily the newest.
    await expect(rows.filter({ hasText: rec }).first()).toContainText('recording-replay');
    for (const text of await rows.allTextContents()) {
      expect(text).toContain('vic');
      expect(text).toContain('recording-replay');
    }
  },
);

test('others see only their own events, by identity', async ({ page }) => {
  await page.goto('/access-log');
  await signInLocal(page, 'dora');
  await expect(page).toHaveURL('/access-log');
  await expect(page.getByLabel('User')).toHaveCount(0);
  const body = await (await page.request.get('/api/audit/events?user=vic&size=200')).json();
  expect(body.items.length).toBeGreaterThan(0);
  // The local account's: not those of an OpenID Connect user who is also called dora.
  for (const event of body.items)
    expect(event.user).toMatchObject({ id: 'local:dora', name: 'dora' });
});

test('state-changing requests from other sites are refused', async ({ request }) => {
  for (const path of ['/api/auth/signin', '/api/auth/signout']) {
    const response = await request.post(path, {
      headers: { origin: 'https://evil.example', 'sec-fetch-site': 'cross-site' },
      form: { username: 'vic', password: 'vic-vm-root-passphrase' },
    });
    expect(response.status(), path).toBe(403);
  }
});

test('the sign-in page refuses to send anyone off-site', async ({ page }) => {
  await page.goto('/signin?next=//evil.example/x');
  await signInLocal(page, 'vic');
  await expect(page).toHaveURL('/');
});
