import path from 'node:path';
import { expect, test } from '@playwright/test';
import { recOf } from './player-support';

// A text export interprets recorded output in a terminal. Hostile output
// must not stall the server for anyone else (issue 14, item 2): on the
// hostile server, the heaviest fixtures are exported as text side by side
// while /api/health is asked every 100 ms; every answer must come within 1 s.

const DIR = path.resolve(import.meta.dirname, '../fixtures/hostile');
const HEAVY = ['insert-bomb', 'huge-line', 'repeat-bomb', 'wide-chars'];

test('the server keeps answering while text exports of hostile recordings run', async ({
  request,
}) => {
  test.setTimeout(180_000);
  let exporting = true;
  const exports = Promise.all(
    HEAVY.map(async (name) => {
      const rec = recOf(path.join(DIR, `${name}.tlog`));
      const response = await request.get(`/api/recordings/${rec}/export?format=text`, {
        timeout: 150_000,
      });
      return { name, status: response.status(), text: await response.text() };
    }),
  ).finally(() => {
    exporting = false;
  });
  const waits: number[] = [];
  while (exporting) {
    const started = Date.now();
    const health = await request.get('/api/health');
    expect(health.status()).toBe(200);
    waits.push(Date.now() - started);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  for (const result of await exports) {
    expect(result.status, result.name).toBe(200);
    expect(result.text, result.name).toContain(`END OF HOSTILE FIXTURE ${result.name}`);
  }
  expect(waits.length, 'health was asked while the exports ran').toBeGreaterThanOrEqual(3);
  expect(Math.max(...waits), 'slowest health answer (ms)').toBeLessThan(1000);
});
