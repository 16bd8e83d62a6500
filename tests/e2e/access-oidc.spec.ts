import { expect, FIXTURE_COUNT, test } from './fixtures';
import { momentUrl, signInLocal, signInOidc, signOut, watchCsp } from './access-helpers';

/** The player may take a while on a busy machine; 15 s is the default elsewhere. */
const LOADED = { timeout: 30_000 };

// auditty signing in through a real OpenID provider (panva's oidc-provider,
// tests/support/oidc-provider.ts), with groups mapped to roles by
// tests/fixtures/access/policy.json: auditors -> vm-root, dbas -> dba,
// sec-admins -> admin; and olga by name (oidcUsers). The same server has the
// local accounts, some of the same names: they are other people.

/** The test provider's issuer (playwright.config.ts PROVIDER_PORT): half of every identity key. */
const ISSUER = 'http://127.0.0.1:3239';

test('a shared link survives sign-in at the provider and opens paused at its moment', async ({
  page,
  player,
}) => {
  const violations = await watchCsp(page);
  await player.open('utf8-emoji', '?t=0:05');
  await signInOidc(page, 'vic');
  await expect(page).toHaveURL(momentUrl('utf8-emoji'));
  await expect(player.root).toHaveAttribute('data-state', 'paused', LOADED);
  await expect(player.root).toHaveAttribute('data-time', '5.000');
  await expect(page.getByTestId('signed-in-user')).toHaveText('vic');
  await expect(page.getByTestId('signed-in-user')).toHaveAttribute('title', 'roles: vm-root');
  expect(violations).toEqual([]);
});

test('groups decide what each auditor sees', async ({ page }) => {
  test.slow(); // two round trips through the provider
  await page.goto('/');
  await signInOidc(page, 'dora');
  await expect(page.getByRole('heading', { name: 'Recordings', exact: true })).toBeVisible();
  await expect(page.getByTestId('recording-row')).toHaveCount(0);
  await signOut(page);
  // Signing out of auditty leaves the provider's own session: another
  // person on this browser signs in at the provider afresh.
  await page.context().clearCookies();

  await page.goto('/');
  await signInOidc(page, 'ada');
  await expect(page.getByTestId('recording-row')).toHaveCount(FIXTURE_COUNT);
  await expect(page.getByRole('link', { name: 'Access log' })).toBeVisible();
});

test('sign-out ends the session', async ({ page }) => {
  await page.goto('/');
  await signInOidc(page, 'vic');
  await expect(page.getByTestId('recording-row')).toHaveCount(FIXTURE_COUNT);
  await signOut(page);
  await page.goto('/');
  await expect(page).toHaveURL(/\/signin$/);
});

test('an OpenID Connect user is their provider and subject, shown by the configured claim', async ({
  page,
  browser,
  baseURL,
}) => {
  await page.goto('/');
  await signInOidc(page, 'olga');
  await expect(page.getByTestId('signed-in-user')).toHaveText('olga');
  // No groups: her role comes from oidcUsers.
  await expect(page.getByTestId('signed-in-user')).toHaveAttribute('title', 'roles: vm-root');
  await expect(page.getByTestId('recording-row')).toHaveCount(FIXTURE_COUNT);
  const body = await (await page.request.get('/api/audit/events?size=200')).json();
  expect(body.items.length).toBeGreaterThan(0);
  for (const event of body.items) {
    expect(event.user).toMatchObject({ id: `oidc:${ISSUER}#u-1001-olga`, name: 'olga' });
  }

  // Signing out ends a copy of the session too.
  const cookies = await page.context().cookies();
  const copy = await browser.newContext({ baseURL });
  try {
    await copy.addCookies(cookies);
    expect((await copy.request.get('/api/recordings')).status()).toBe(200);
    await signOut(page);
    expect((await copy.request.get('/api/recordings')).status()).toBe(401);
  } finally {
    await copy.close();
  }
});

test('a provider account without the configured claim is refused, not named by another one', async ({
  page,
}) => {
  await page.goto('/');
  await signInOidc(page, 'noname');
  await expect(page).toHaveURL(/\/signin\?error=identity$/);
  await expect(page.getByRole('main').getByRole('alert')).toContainText(
    'did not give auditty a user name',
  );
  await expect(page.getByTestId('signed-in-user')).toHaveCount(0);
  // The trail says why, for an admin.
  await page.context().clearCookies();
  await page.goto('/access-log');
  await signInLocal(page, 'ada');
  const body = await (await page.request.get('/api/audit/events?action=sign-in&size=200')).json();
  const reasons = body.items.map((e: { event: { reason?: string } }) => e.event.reason ?? '');
  expect(reasons).toContainEqual(
    expect.stringMatching(/no "preferred_username" claim .*identity oidc:.*#u-1002$/),
  );
});

test('a local account of the same name does not see an OpenID Connect user’s events', async ({
  page,
}) => {
  test.slow(); // a round trip through the provider and two local sign-ins
  await page.goto('/');
  await signInOidc(page, 'dora');
  await expect(page.getByRole('heading', { name: 'Recordings', exact: true })).toBeVisible();
  await signOut(page);
  await page.context().clearCookies();

  await page.goto('/access-log');
  await signInLocal(page, 'dora');
  await expect(page).toHaveURL('/access-log');
  const mine = await (await page.request.get('/api/audit/events?size=200')).json();
  expect(mine.items.length).toBeGreaterThan(0);
  for (const event of mine.items) expect(event.user?.id).toBe('local:dora');

  // An admin sees both people called dora. (No sign-out: other specs hold local sessions.)
  await page.context().clearCookies();
  await page.goto('/access-log');
  await signInLocal(page, 'ada');
  const all = await (await page.request.get('/api/audit/events?user=dora&size=200')).json();
  const ids = new Set(all.items.map((e: { user?: { id?: string } }) => e.user?.id));
  expect(ids).toContain('local:dora');
  expect(ids).toContain(`oidc:${ISSUER}#dora`);
});

test('a callback this browser did not start is refused', async ({ page }) => {
  await page.goto('/api/auth/oidc/callback?code=forged&state=forged');
  await expect(page).toHaveURL(/\/signin\?error=oidc/);
  await expect(page.getByRole('main').getByRole('alert')).toContainText('did not complete');
});
