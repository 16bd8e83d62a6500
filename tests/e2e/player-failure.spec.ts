import { readFileSync } from 'node:fs';
import path from 'node:path';
import { expect, test } from './fixtures';
import { browserScreen, referenceScreen, waitForMoment, waitForPlayer } from './player-support';

test.describe.configure({ timeout: 120_000 });

// The source fails part way through a recording (Elasticsearch goes away
// mid-stream; the server ends the NDJSON with an error line, as it does).
// What arrived stays playable, and the player says why the rest is missing.

const FIXTURE = path.resolve(import.meta.dirname, '../fixtures/recordings/big.tlog');
const KEEP = 3000;

test(
  'a recording whose loading fails part way plays what arrived and says why',
  { tag: '@ui' },
  async ({ page, player }) => {
    const lines = readFileSync(FIXTURE, 'utf8').split('\n').filter(Boolean);
    const total = lines.length;
    // A moment well inside what arrives: the start of message 2,000.
    const pos = Number(JSON.parse(lines[1999] ?? '{}').pos);
    const seconds = Math.floor(pos / 100) / 10;
    expect(seconds).toBeGreaterThan(0);

    await page.route('**/api/recordings/*/messages', async (route) => {
      const response = await route.fetch();
      const body = (await response.text()).split('\n').filter(Boolean);
      expect(body).toHaveLength(total);
      const error = { error: { code: 'unavailable', message: 'Elasticsearch stopped answering' } };
      await route.fulfill({
        response,
        body: `${body.slice(0, KEEP).join('\n')}\n${JSON.stringify(error)}\n`,
      });
    });

    await player.open('big', `?t=${seconds}`);
    await waitForPlayer(player.root);
    const alert = page.getByTestId('load-error');
    await expect(alert).toHaveText(
      `Loading stopped after ${KEEP.toLocaleString('en')} of ${total.toLocaleString('en')} messages: Elasticsearch stopped answering. The part that arrived plays; reload the page to try the rest again.`,
    );
    await expect(player.root).toHaveAttribute('data-state', 'paused');
    await waitForMoment(player.root, seconds);
    expect(await browserScreen(player.root)).toEqual(await referenceScreen('big', seconds * 1000));

    // The end is the end of what arrived: nothing waits for messages that will not come.
    await player.root.getByRole('button', { name: 'Go to end', exact: true }).click();
    await expect(player.root).toHaveAttribute('data-state', 'ended');
    const duration = Number(await player.root.getAttribute('data-duration'));
    expect(Number(await player.root.getAttribute('data-time'))).toBe(duration);
    const lastArrived = Number(JSON.parse(lines[KEEP - 1] ?? '{}').pos) / 1000;
    const lastOfAll = Number(JSON.parse(lines[total - 1] ?? '{}').pos) / 1000;
    expect(duration).toBeGreaterThanOrEqual(lastArrived);
    expect(duration).toBeLessThan(lastOfAll);
    await expect(page.getByTestId('load-progress')).toHaveCount(0);
  },
);
