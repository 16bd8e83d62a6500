import { ES_SESSION } from '../../playwright.config';
import { signInLocal } from './access-helpers';
import { expect, test as setup } from './fixtures';

// The elasticsearch project runs signed in as an admin (every host and user,
// as open access sees them), saved once for all its tests.
setup('sign in to the Elasticsearch server as an admin', async ({ page }) => {
  await page.goto('/signin');
  await signInLocal(page, 'ada');
  await expect(page.getByTestId('signed-in-user')).toHaveText('ada');
  await page.context().storageState({ path: ES_SESSION });
});
