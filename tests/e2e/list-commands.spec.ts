import { readFileSync } from 'node:fs';
import path from 'node:path';
import { expect, fixtureRec, test } from './fixtures';
import { parseMoment } from '../../lib/replay/moment';

// The list by a command entered (`cmd=`, docs/commands.md), in both
// projects: on files the command timelines are found at the first command
// search, on Elasticsearch the server's summarizer adds them to the
// summaries once the recordings have ended (a few rounds after start-up).

const truth = JSON.parse(
  readFileSync(
    path.resolve(import.meta.dirname, '../fixtures/commands/commands-color.json'),
    'utf8',
  ),
) as { commands: { line: string; enterMs: number; cwd: string | null }[] };

test('find a recording by a command entered in it, and open it at that command', async ({
  page,
  player,
}) => {
  test.slow();
  await page.goto('/');
  await page.getByRole('textbox', { name: 'Command' }).fill('cd /etc');
  await page.getByRole('button', { name: 'Apply filters' }).click();
  await expect(page).toHaveURL(/[?&]cmd=cd(\+|%20)%2Fetc/);
  await expect(page.getByRole('list', { name: 'Active filters' })).toContainText('command');
  // Elasticsearch: the summarizer's commands pass may not have reached it yet.
  await expect(async () => {
    await page.reload();
    await expect(page.getByTestId('recording-row')).toHaveCount(1, { timeout: 2000 });
  }).toPass({ timeout: 60_000 });
  const hit = page.getByTestId('recording-command');
  await expect(hit).toContainText('cd /etc');
  await expect(hit).toContainText('/tmp');
  const open = hit.getByRole('link', { name: /where the command was entered/ });
  const href = (await open.getAttribute('href')) ?? '';
  expect(href).toMatch(new RegExp(`^/recordings/${fixtureRec('commands-color')}\\?t=`));
  const t = parseMoment(new URL(href, 'http://x').searchParams.get('t') ?? '') ?? NaN;
  const expected = truth.commands.find((c) => c.line === 'cd /etc')!;
  expect(Math.abs(t - expected.enterMs)).toBeLessThanOrEqual(500);
  await open.click();
  await expect(player.root).toHaveAttribute('data-state', 'paused');
  expect(await player.time()).toBeCloseTo(t / 1000, 3);
  await expect(player.screen).toContainText('root@vm:/tmp# cd /etc');
});

test('a command search that finds nothing says so and keeps the filter', async ({ page }) => {
  await page.goto('/?cmd=no-such-command-anywhere');
  await expect(page.getByTestId('recording-row')).toHaveCount(0);
  await expect(page.getByRole('list', { name: 'Active filters' })).toContainText(
    'no-such-command-anywhere',
  );
  await expect(page.getByRole('textbox', { name: 'Command' })).toHaveValue(
    'no-such-command-anywhere',
  );
});
