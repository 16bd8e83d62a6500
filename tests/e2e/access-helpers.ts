import type { Page } from '@playwright/test';
import { E2E_ACCOUNTS, OIDC_ONLY_ACCOUNTS } from '../fixtures/access/accounts';
import { expect, fixtureRec } from './fixtures';

// Helpers of the access specs: signing in through the page, as a person does,
// and catching Content-Security-Policy violations.

export async function signInLocal(
  page: Page,
  name: string,
  password = E2E_ACCOUNTS[name]?.password ?? '',
): Promise<void> {
  await expect(page).toHaveURL(/\/signin(\?|$)/);
  await page.getByLabel('Username').fill(name);
  await page.getByLabel('Password').fill(password);
  await page.getByRole('button', { name: 'Sign in', exact: true }).click();
}

export async function signInOidc(
  page: Page,
  name: string,
  password = (E2E_ACCOUNTS[name] ?? OIDC_ONLY_ACCOUNTS[name])?.password ?? '',
): Promise<void> {
  await expect(page).toHaveURL(/\/signin(\?|$)/);
  await page.getByRole('link', { name: 'Sign in with Test IdP' }).click();
  await expect(page.getByRole('heading', { name: 'Test IdP' })).toBeVisible();
  await page.getByLabel('Login').fill(name);
  await page.getByLabel('Secret').fill(password);
  await page.getByRole('button', { name: 'Continue' }).click();
}

export async function signOut(page: Page): Promise<void> {
  await page.getByRole('button', { name: 'Sign out' }).click();
  await expect(page).toHaveURL(/\/signin$/);
}

/** Records every CSP violation the page reports (call before the first navigation). */
export async function watchCsp(page: Page): Promise<string[]> {
  const violations: string[] = [];
  await page.exposeFunction('__cspViolation', (text: string) => violations.push(text));
  await page.addInitScript(() => {
    document.addEventListener('securitypolicyviolation', (e) => {
      (window as unknown as { __cspViolation: (t: string) => void }).__cspViolation(
        `${e.violatedDirective} ${e.blockedURI} ${e.sourceFile}:${e.lineNumber}`,
      );
    });
  });
  page.on('console', (message) => {
    if (/Content.Security.Policy/i.test(message.text())) violations.push(message.text());
  });
  return violations;
}

/**
 * Where a shared link to 0:05 lands after sign-in. Next.js hands proxy.ts the
 * query re-encoded (`t=0%3A05`), which the page reads as the same moment.
 */
export function momentUrl(fixture: string): RegExp {
  return new RegExp(`/recordings/${fixtureRec(fixture)}\\?t=0(:|%3A)05$`);
}
