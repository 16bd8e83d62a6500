import { expect, test } from './fixtures';
import { momentUrl, signInOidc, signOut, watchCsp } from './access-helpers';

/** The player may take a while on a busy machine; 15 s is the default elsewhere. */
const LOADED = { timeout: 30_000 };

// auditty signing in through a real OpenID provider (panva's oidc-provider,
// tests/support/oidc-provider.ts), with groups mapped to roles by
// tests/fixtures/access/policy.json: auditors -> vm-root, dbas -> dba,
// sec-admins -> admin.

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
  await expect(page.getByTestId('recording-row')).toHaveCount(8);
  await expect(page.getByRole('link', { name: 'Access log' })).toBeVisible();
});

test('sign-out ends the session', async ({ page }) => {
  await page.goto('/');
  await signInOidc(page, 'vic');
  await expect(page.getByTestId('recording-row')).toHaveCount(8);
  await signOut(page);
  await page.goto('/');
  await expect(page).toHaveURL(/\/signin$/);
});

test('a callback this browser did not start is refused', async ({ page }) => {
  await page.goto('/api/auth/oidc/callback?code=forged&state=forged');
  await expect(page).toHaveURL(/\/signin\?error=oidc/);
  await expect(page.getByRole('main').getByRole('alert')).toContainText('did not complete');
});
