import { expect, test } from './fixtures';
import {
  fixtureTimeline,
  playerTime,
  readClipboard,
  seekTo,
  waitForMoment,
  waitForPlayer,
} from './player-support';

test.describe.configure({ timeout: 120_000 });

// Every control of the player, used as a person would: by its accessible name.

const outputTimes = (name: string) =>
  fixtureTimeline(name)
    .events.filter((e) => e.kind === 'output')
    .map((e) => e.t);

test('play, pause, restart and go to end', async ({ player }) => {
  await player.open('resize', '?t=5');
  await waitForPlayer(player.root);
  await expect(player.root).toHaveAttribute('data-state', 'paused');
  await player.button('Play').click();
  await expect(player.root).toHaveAttribute('data-state', 'playing');
  await player.button('Pause').click();
  await expect(player.root).toHaveAttribute('data-state', 'paused');
  const button = (name: string) => player.root.getByRole('button', { name, exact: true });
  await button('Go to end').click();
  await expect(player.root).toHaveAttribute('data-state', 'ended');
  expect(await playerTime(player.root)).toBe(13.714);
  await button('Restart').click();
  await expect(player.root).toHaveAttribute('data-state', 'playing');
  expect(await playerTime(player.root)).toBeLessThan(5);
  await expect(player.screen).toContainText('$ stty size');
});

test('back and forward 5 and 30 seconds, clamped to the recording', async ({ player }) => {
  await player.open('colors', '?t=20');
  await waitForPlayer(player.root);
  await waitForMoment(player.root, 20);
  const button = (name: string) => player.root.getByRole('button', { name, exact: true });
  await button('Forward 5 seconds').click();
  await waitForMoment(player.root, 25);
  await button('Back 5 seconds').click();
  await waitForMoment(player.root, 20);
  await button('Forward 30 seconds').click();
  await expect(player.root).toHaveAttribute('data-state', 'ended');
  await waitForMoment(player.root, 48.242);
  await button('Back 30 seconds').click();
  await waitForMoment(player.root, 18.242);
  await expect(player.root).toHaveAttribute('data-state', 'paused');
  await button('Back 30 seconds').click();
  await waitForMoment(player.root, 0);
});

test('previous and next output step one moment with output at a time', async ({ player }) => {
  const times = outputTimes('utf8-emoji');
  const next = times.find((t) => t > 5000) ?? 0;
  const after = times.find((t) => t > next) ?? 0;
  await player.open('utf8-emoji', '?t=5');
  await waitForPlayer(player.root);
  await waitForMoment(player.root, 5);
  const button = (name: string) => player.root.getByRole('button', { name, exact: true });
  await button('Next output').click();
  await waitForMoment(player.root, next / 1000);
  await button('Next output').click();
  await waitForMoment(player.root, after / 1000);
  await button('Previous output').click();
  await waitForMoment(player.root, next / 1000);
  // From playing, a step pauses first.
  await player.button('Play').click();
  await button('Previous output').click();
  await expect(player.root).toHaveAttribute('data-state', 'paused');
});

test('the speed menu sets the speed: 16x plays 13.7 s in under a second or so', async ({
  player,
}) => {
  await player.open('resize', '?t=0');
  await waitForPlayer(player.root);
  const speed = player.root.getByRole('combobox', { name: 'Speed' });
  await expect(speed.locator('option')).toHaveText([
    '1/16×',
    '1/8×',
    '1/4×',
    '1/2×',
    '1×',
    '2×',
    '4×',
    '8×',
    '16×',
  ]);
  await speed.selectOption('16');
  await player.button('Play').click();
  await expect(player.root).toHaveAttribute('data-state', 'ended', { timeout: 8000 });
  await speed.selectOption('0.0625');
  await expect(speed).toHaveValue('0.0625');
});

test('the idle-time limit cuts a long pause while playing', async ({ player }) => {
  // gap.tlog is silent from 15.409 s to 18.886 s.
  await player.open('gap', '?t=15.5');
  await waitForPlayer(player.root);
  await waitForMoment(player.root, 15.5);
  const idle = player.root.getByRole('combobox', { name: 'Idle time limit' });
  await expect(idle).toHaveValue('off');
  await idle.selectOption('1');
  await player.button('Play').click();
  // The pause is cut to 1 s at once: 17.9 s is reached long before 2.4 s have passed.
  await expect
    .poll(() => playerTime(player.root), { timeout: 2000, intervals: [100] })
    .toBeGreaterThan(17.8);
  await expect.poll(() => playerTime(player.root)).toBeGreaterThan(18.9);
  await idle.selectOption('off');
  await expect(idle).toHaveValue('off');
});

test('zoom in, zoom out and fit to width', async ({ player }) => {
  await player.open('colors', '?t=10');
  await waitForPlayer(player.root);
  await waitForMoment(player.root, 10);
  const screen = player.root.locator('.xterm-screen');
  const width = async () => (await screen.boundingBox())?.width ?? 0;
  const fit = player.root.getByRole('button', { name: 'Fit to width' });
  await expect(fit).toHaveAttribute('aria-pressed', 'true');
  const fitted = await width();
  await player.root.getByRole('button', { name: 'Zoom in' }).click();
  await expect(fit).toHaveAttribute('aria-pressed', 'false');
  await expect.poll(width).toBeGreaterThan(fitted);
  const zoomed = await width();
  await player.root.getByRole('button', { name: 'Zoom out' }).click();
  await player.root.getByRole('button', { name: 'Zoom out' }).click();
  await expect.poll(width).toBeLessThan(zoomed);
  await fit.click();
  await expect(fit).toHaveAttribute('aria-pressed', 'true');
  // In a narrow window the recorded 100 columns still fit, in a smaller font.
  await player.page.setViewportSize({ width: 600, height: 800 });
  await expect.poll(width).toBeLessThanOrEqual(600);
});

test('the input pane shows what was typed up to the moment, replies apart', async ({ player }) => {
  await player.open('input', '?t=4');
  await waitForPlayer(player.root);
  await waitForMoment(player.root, 4);
  const pane = player.root.getByRole('region', { name: 'Typed input' });
  await expect(pane).toContainText('echo hello');
  await expect(pane).not.toContainText('s3cret-Pa55');
  await seekTo(player.root, 12_000);
  await expect(pane).toContainText('s3cret-Pa55');
  await expect(pane).toContainText('sleep 30');
  await expect(pane.getByText('↑')).toHaveCount(3);
  await pane
    .getByRole('button', { name: /^Go to 0:00/ })
    .first()
    .click();
  await expect.poll(() => playerTime(player.root)).toBeLessThan(1);
  const toggle = player.root.getByRole('button', { name: 'Typed input' });
  await expect(toggle).toHaveAttribute('aria-pressed', 'true');
  await toggle.click();
  await expect(pane).toBeHidden();
  await player.open('resize');
  await waitForPlayer(player.root);
  await expect(player.root.getByRole('button', { name: 'Typed input' })).toHaveCount(0);
});

test('the seek bar marks gaps and resizes, shows activity, and the time under the pointer', async ({
  player,
}) => {
  await player.open('gap', '?t=1');
  await waitForPlayer(player.root);
  await waitForMoment(player.root, 1);
  await expect(player.root.getByTestId('gap-mark')).toHaveCount(5);
  await expect(player.root.getByTestId('activity').locator('rect').first()).toBeAttached();
  // hover() scrolls the bar into view first: below the recording details it
  // can sit under the viewport's bottom edge, where a bare mouse move misses.
  await player.root.getByRole('slider', { name: 'Seek' }).hover();
  await expect(player.root.getByRole('tooltip')).toContainText('0:11');
  await player.open('resize', '?t=1');
  await waitForPlayer(player.root);
  await expect(player.root.getByTestId('resize-mark')).toHaveCount(2);
});

test('timeline details list the gaps and window sizes, and seek to them', async ({ player }) => {
  await player.open('gap', '?t=1');
  await waitForPlayer(player.root);
  await waitForMoment(player.root, 1);
  await player.root.getByRole('button', { name: 'Timeline details' }).click();
  const details = player.root.getByRole('region', { name: 'Timeline details' });
  await expect(details).toContainText('Gaps (5)');
  await expect(details).toContainText('81 missing after message 13');
  await expect(details).toContainText('40 of 40 messages');
  const gap = fixtureTimeline('gap').gaps[0];
  await details.getByRole('listitem').filter({ hasText: '81 missing' }).getByRole('button').click();
  await waitForMoment(player.root, (gap?.t ?? 0) / 1000);
});

test('the help overlay lists the shortcuts', async ({ player }) => {
  await player.open('resize', '?t=1');
  await waitForPlayer(player.root);
  await player.root.getByRole('button', { name: 'Keyboard shortcuts' }).click();
  const dialog = player.page.getByRole('dialog', { name: 'Keyboard shortcuts' });
  await expect(dialog).toBeVisible();
  for (const text of [
    'Play / pause',
    'Back / forward 30 seconds',
    'Backspace',
    'Jump to 0% … 90%',
    'Fullscreen',
  ]) {
    await expect(dialog).toContainText(text);
  }
  await player.page.keyboard.press('Escape');
  await expect(dialog).toBeHidden();
});

test('fullscreen on and off', async ({ player }) => {
  await player.open('resize', '?t=1');
  await waitForPlayer(player.root);
  await player.root.getByRole('button', { name: 'Fullscreen', exact: true }).click();
  await expect
    .poll(() => player.page.evaluate(() => document.fullscreenElement?.getAttribute('data-testid')))
    .toBe('player');
  await player.root.getByRole('button', { name: 'Exit fullscreen' }).click();
  await expect.poll(() => player.page.evaluate(() => document.fullscreenElement)).toBeNull();
});

test('paused text can be selected and copied', async ({ player }) => {
  await player.page.context().grantPermissions(['clipboard-write']);
  await player.open('resize', '?t=3');
  await waitForPlayer(player.root);
  await waitForMoment(player.root, 3);
  const row = player.screen.locator('> div').first();
  await expect(row).toContainText('$ stty size');
  const box = await row.boundingBox();
  if (!box) throw new Error('no row');
  await player.page.mouse.move(box.x + 1, box.y + box.height / 2);
  await player.page.mouse.down();
  await player.page.mouse.move(box.x + box.width - 2, box.y + box.height / 2, { steps: 5 });
  await player.page.mouse.up();
  await player.page.keyboard.press('Control+C');
  expect((await readClipboard(player.page)).trim()).toBe('$ stty size');
});
