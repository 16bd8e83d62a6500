import { readFileSync } from 'node:fs';
import path from 'node:path';
import { expect, test, type PlayerPage } from './fixtures';
import { browserScreen, waitForMoment, waitForPlayer } from './player-support';

// The command timeline in the player (docs/commands.md) on real tlog
// recordings: the Commands panel lists what the ground truth written while
// recording says was typed (tests/fixtures/commands), a row and the `[` `]`
// keys go to a command's moment. The rules themselves are unit-tested
// (tests/unit/commands*.test.ts); the API on both sources in api.spec.ts.

interface Truth {
  commands: { line: string; enterMs: number; cwd: string | null }[];
}
const truth = (name: string) =>
  JSON.parse(
    readFileSync(path.resolve(import.meta.dirname, `../fixtures/commands/${name}.json`), 'utf8'),
  ) as Truth;

async function openCommands(player: PlayerPage, fixture: string) {
  await player.open(fixture, '?t=0');
  await waitForPlayer(player.root);
  await player.page.keyboard.press('c');
  const pane = player.root.getByTestId('commands-pane');
  await expect(pane).toHaveAttribute('data-complete', 'true');
  return pane;
}

const seconds = (ms: number) => Number((ms / 1000).toFixed(3));

test(
  'the panel lists the commands typed, and a row goes to its moment',
  { tag: '@ui' },
  async ({ player }) => {
    const expected = truth('commands-input').commands;
    const pane = await openCommands(player, 'commands-input');
    await expect(pane.getByTestId('command-line')).toHaveText(
      expected.map((c) => c.line.trimEnd()),
    );
    await expect(pane.getByTestId('command')).toHaveCount(expected.length);
    // Typed, not a keystroke log: the edited line and the recalled one as run.
    const rows = pane.getByTestId('command');
    const edited = rows.nth(2);
    await expect(edited).toHaveAttribute('data-source', 'input');
    const t = Number(await edited.getAttribute('data-t'));
    expect(Math.abs(t - expected[2]!.enterMs)).toBeLessThanOrEqual(500);
    await edited.getByRole('button').click();
    await expect(player.root).toHaveAttribute('data-state', 'paused');
    await waitForMoment(player.root, seconds(t));
    await expect(edited).toHaveAttribute('aria-current', 'true');
    // At the Enter key, the screen shows the line as run.
    const screen = await browserScreen(player.root);
    expect(screen.lines).toContain('$ echo world');
  },
);

test('[ and ] step from one command to the next, paused', { tag: '@ui' }, async ({ player }) => {
  const pane = await openCommands(player, 'commands-color');
  const times = (
    await pane
      .getByTestId('command')
      .evaluateAll((rows) => rows.map((r) => r.getAttribute('data-t')))
  ).map(Number);
  expect(times).toHaveLength(truth('commands-color').commands.length);
  for (const k of [0, 1, 2]) {
    await player.page.keyboard.press(']');
    await waitForMoment(player.root, seconds(times[k]!));
    await expect(pane.getByTestId('command').nth(k)).toHaveAttribute('aria-current', 'true');
  }
  await player.page.keyboard.press('[');
  await waitForMoment(player.root, seconds(times[1]!));
  await expect(player.root).toHaveAttribute('data-state', 'paused');
  // The directory the prompt showed is beside its command.
  await expect(pane.getByTestId('command').nth(2)).toContainText('/tmp');
});

test(
  'a command printed with forged marks is shown as maybe not typed',
  { tag: '@ui' },
  async ({ player }) => {
    const pane = await openCommands(player, 'commands-marks');
    const doubted = pane.locator('[data-testid=command][data-doubt=true]');
    await expect(doubted).toHaveCount(1);
    await expect(doubted.getByTestId('command-line')).toHaveText('fake-command');
    await expect(doubted.getByTestId('command-doubt')).toHaveText(
      'Maybe not typed: shell-integration marks printed while a command was running',
    );
    await expect(pane.locator('[data-testid=command]:not([data-doubt])')).toHaveCount(
      truth('commands-marks').commands.length,
    );
    await expect(pane.locator('[data-source=marks]')).toHaveCount(
      truth('commands-marks').commands.length + 1,
    );
  },
);
