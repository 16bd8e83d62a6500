import { expect, test } from './fixtures';
import { fixtureTimeline, playerTime, waitForMoment, waitForPlayer } from './player-support';

test.describe.configure({ timeout: 120_000 });

// Every keyboard shortcut listed in the `?` overlay (lib/replay/keymap.ts).

test('Space and k play and pause', async ({ player }) => {
  await player.open('colors', '?t=5');
  await waitForPlayer(player.root);
  await waitForMoment(player.root, 5);
  await player.page.keyboard.press(' ');
  await expect(player.root).toHaveAttribute('data-state', 'playing');
  await player.page.keyboard.press('k');
  await expect(player.root).toHaveAttribute('data-state', 'paused');
  // Also with the terminal focused (it takes no keys of its own).
  await player.root.locator('.xterm-screen').click();
  await player.page.keyboard.press('k');
  await expect(player.root).toHaveAttribute('data-state', 'playing');
});

test('arrows move 5 s, with Shift 30 s, also on the seek bar', async ({ player }) => {
  await player.open('colors', '?t=10');
  await waitForPlayer(player.root);
  await waitForMoment(player.root, 10);
  const keys = player.page.keyboard;
  await keys.press('ArrowRight');
  await waitForMoment(player.root, 15);
  await keys.press('ArrowLeft');
  await waitForMoment(player.root, 10);
  await keys.press('Shift+ArrowRight');
  await waitForMoment(player.root, 40);
  await keys.press('Shift+ArrowLeft');
  await waitForMoment(player.root, 10);
  await player.root.getByRole('slider', { name: 'Seek' }).focus();
  await keys.press('ArrowRight');
  await waitForMoment(player.root, 15);
});

test(', and . step between moments with output', async ({ player }) => {
  const outputs = fixtureTimeline('utf8-emoji')
    .events.filter((e) => e.kind === 'output')
    .map((e) => e.t);
  const next = outputs.find((t) => t > 5000) ?? 0;
  const previous = [...outputs].reverse().find((t) => t < 5000) ?? 0;
  await player.open('utf8-emoji', '?t=5');
  await waitForPlayer(player.root);
  await waitForMoment(player.root, 5);
  await player.page.keyboard.press('.');
  await waitForMoment(player.root, next / 1000);
  await player.page.keyboard.press(',');
  await waitForMoment(player.root, previous / 1000);
});

test('< > { } change the speed by halves and doubles, Backspace resets it', async ({ player }) => {
  await player.open('resize', '?t=1');
  await waitForPlayer(player.root);
  await waitForMoment(player.root, 1);
  const speed = player.root.getByRole('combobox', { name: 'Speed' });
  const keys = player.page.keyboard;
  await keys.press('>');
  await expect(speed).toHaveValue('2');
  await keys.press('}');
  await expect(speed).toHaveValue('4');
  await keys.press('<');
  await keys.press('<');
  await keys.press('{');
  await expect(speed).toHaveValue('0.5');
  for (let i = 0; i < 6; i++) await keys.press('{');
  await expect(speed).toHaveValue('0.0625');
  for (let i = 0; i < 10; i++) await keys.press('}');
  await expect(speed).toHaveValue('16');
  await keys.press('Backspace');
  await expect(speed).toHaveValue('1');
});

test('0 to 9 jump to 0% to 90%', async ({ player }) => {
  await player.open('colors', '?t=1');
  await waitForPlayer(player.root);
  await waitForMoment(player.root, 1);
  for (const digit of [5, 0, 9, 3]) {
    await player.page.keyboard.press(String(digit));
    await waitForMoment(player.root, Math.round(48242 * digit) / 10000);
  }
});

test('Home, End and G', async ({ player }) => {
  await player.open('colors', '?t=20');
  await waitForPlayer(player.root);
  await waitForMoment(player.root, 20);
  await player.page.keyboard.press('End');
  await expect(player.root).toHaveAttribute('data-state', 'ended');
  await player.page.keyboard.press('Home');
  await waitForMoment(player.root, 0);
  await expect(player.root).toHaveAttribute('data-state', 'paused');
  await player.page.keyboard.press('Shift+G');
  await expect(player.root).toHaveAttribute('data-state', 'ended');
  expect(await playerTime(player.root)).toBe(48.242);
});

test('f toggles fullscreen and ? the help', async ({ player }) => {
  await player.open('resize', '?t=1');
  await waitForPlayer(player.root);
  await expect(player.root).toHaveAttribute('data-state', 'paused');
  await player.page.keyboard.press('f');
  await expect
    .poll(() => player.page.evaluate(() => document.fullscreenElement?.getAttribute('data-testid')))
    .toBe('player');
  await player.page.keyboard.press('f');
  await expect.poll(() => player.page.evaluate(() => document.fullscreenElement)).toBeNull();
  await player.page.keyboard.press('?');
  const dialog = player.page.getByRole('dialog', { name: 'Keyboard shortcuts' });
  await expect(dialog).toBeVisible();
  await player.page.keyboard.press('?');
  await expect(dialog).toBeHidden();
});

test('keys are left alone in the speed menu and with Ctrl or Alt', async ({ player }) => {
  await player.open('colors', '?t=10');
  await waitForPlayer(player.root);
  await waitForMoment(player.root, 10);
  await player.page.keyboard.press('Control+ArrowRight');
  await player.page.keyboard.press('Alt+k');
  await player.root.getByRole('combobox', { name: 'Speed' }).focus();
  await player.page.keyboard.press('k');
  await player.page.keyboard.press('5');
  expect(await playerTime(player.root)).toBe(10);
  await expect(player.root).toHaveAttribute('data-state', 'paused');
});
