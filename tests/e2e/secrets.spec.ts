import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { CANARY_API_KEY } from '../../playwright.config';
import { expect, fixtureRec, test } from './fixtures';

// The cluster's address and credentials stay on the server: no page, script,
// API answer or built client bundle may carry them.

const esUrl = new URL(process.env.E2E_ES_URL ?? 'http://127.0.0.1:9250');
const secrets = [CANARY_API_KEY, esUrl.host, `${esUrl.hostname}:${esUrl.port}`];

function leaks(text: string): string[] {
  return secrets.filter((secret) => text.includes(secret));
}

test('pages, scripts and API answers never carry the cluster address or credentials', async ({
  page,
  request,
}) => {
  const seen: string[] = [];
  page.on('response', async (response) => {
    const body = await response.text().catch(() => '');
    if (leaks(body).length > 0) seen.push(`${response.url()}: ${leaks(body).join(', ')}`);
  });
  for (const url of [
    '/',
    `/recordings/${fixtureRec('colors')}?t=0:05`,
    '/recordings/no-such',
    '/?from=bad',
  ]) {
    await page.goto(url);
    await page.waitForLoadState('networkidle');
  }
  expect(seen).toEqual([]);

  for (const url of [
    '/api/health',
    '/api/recordings',
    `/api/recordings/${fixtureRec('colors')}`,
    '/api/recordings/x/messages',
  ]) {
    const body = await (await request.get(url)).text();
    expect(leaks(body), url).toEqual([]);
  }
});

test('built client bundles hold no cluster address or credentials', async () => {
  const dir = path.resolve(import.meta.dirname, '../../.next/static');
  const files = readdirSync(dir, { recursive: true, withFileTypes: true }).filter((f) =>
    f.isFile(),
  );
  expect(files.length).toBeGreaterThan(10);
  for (const file of files) {
    const text = readFileSync(path.join(file.parentPath, file.name), 'latin1');
    expect(leaks(text), file.name).toEqual([]);
  }
});
