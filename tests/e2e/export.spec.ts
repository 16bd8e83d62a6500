import { readFileSync } from 'node:fs';
import path from 'node:path';
import { expect, fixtureRec, test } from './fixtures';

// Exports over HTTP, on both sources: named after host, user and start; raw
// is byte-exact against tlog-play's own output (tests/fixtures/reference).

const REFERENCE = path.resolve(import.meta.dirname, '../fixtures/reference');

test('every format downloads with its name, and raw is exactly what tlog-play writes', async ({
  request,
}) => {
  for (const name of ['invalid-bytes', 'utf8-emoji', 'gap']) {
    const id = fixtureRec(name);
    for (const format of ['tlog', 'asciicast', 'raw', 'text']) {
      const response = await request.get(`/api/recordings/${id}/export?format=${format}`);
      expect(response.status(), `${name} ${format}`).toBe(200);
      expect(response.headers()['content-disposition']).toMatch(
        /^attachment; filename="vm_root_\d{8}T\d{6}Z\.(tlog|cast|raw|txt)"$/,
      );
      const body = await response.body();
      if (format === 'raw') {
        expect(body.equals(readFileSync(path.join(REFERENCE, `${name}.out`))), `${name} raw`).toBe(
          true,
        );
      }
      if (format === 'asciicast') {
        const header = JSON.parse(body.toString('utf8').split('\n')[0] ?? '{}');
        expect(header).toMatchObject({ version: 2, env: { TERM: 'xterm-256color' } });
      }
    }
  }
});

test('a bad format is a 400, an unknown recording a 404', async ({ request }) => {
  const bad = await request.get(`/api/recordings/${fixtureRec('colors')}/export?format=xml`);
  expect(bad.status()).toBe(400);
  expect((await bad.json()).error.code).toBe('bad_request');
  const missing = await request.get('/api/recordings/no-such-1-2/export?format=raw');
  expect(missing.status()).toBe(404);
});

test('the player page offers every format for download', { tag: '@ui' }, async ({ page }) => {
  const id = fixtureRec('gap');
  await page.goto(`/recordings/${id}`);
  const links = page.getByRole('navigation', { name: 'Download' }).getByRole('link');
  await expect(links).toHaveText([
    'tlog messages (.tlog)',
    'asciicast v2 (.cast)',
    'raw terminal output (.raw)',
    'text transcript (.txt)',
  ]);
  await expect(page.getByTestId('export-warning')).toHaveText(
    ".tlog, .cast, .raw keep the recording's escape sequences, which act on any terminal that shows them (clipboard, title, links): open them in a player, never with cat. The text transcript is safe to read anywhere.",
  );
  const download = page.waitForEvent('download');
  await links.filter({ hasText: '.raw' }).click();
  const file = await download;
  expect(file.suggestedFilename()).toMatch(/^vm_root_\d{8}T\d{6}Z\.raw$/);
  const saved = await file.path();
  expect(readFileSync(saved).equals(readFileSync(path.join(REFERENCE, 'gap.out')))).toBe(true);
});
