import { expect, fixtureRec, test } from './fixtures';

// auditty started while its Elasticsearch is down: every door says why, and
// the server stays up.

test('the API answers 503 with the reason', async ({ request }) => {
  for (const path of [
    '/api/recordings',
    `/api/recordings/${fixtureRec('colors')}`,
    `/api/recordings/${fixtureRec('colors')}/messages`,
  ]) {
    const response = await request.get(path);
    expect(response.status(), path).toBe(503);
    expect(await response.json()).toEqual({
      error: { code: 'source_unavailable', message: 'Elasticsearch is unreachable' },
    });
  }
  const health = await request.get('/api/health');
  expect(health.status()).toBe(503);
  expect(await health.json()).toMatchObject({
    status: 'unavailable',
    source: { kind: 'elasticsearch', reachable: false, detail: 'Elasticsearch is unreachable' },
  });
});

test('pages say the cluster is unreachable instead of going blank', async ({ page }) => {
  await page.goto('/?user=alice');
  await expect(page.getByRole('alert').filter({ hasText: 'could not be listed' })).toContainText(
    'Elasticsearch is unreachable',
  );
  await page.goto(`/recordings/${fixtureRec('colors')}?t=0:05`);
  await expect(page.getByRole('alert').filter({ hasText: 'could not be read' })).toContainText(
    'Elasticsearch is unreachable',
  );
  // Still serving.
  expect((await page.request.get('/api/health')).status()).toBe(503);
});
