import { expect, fixtureRec, test } from './fixtures';
import {
  browserScreen,
  readClipboard,
  referenceScreen,
  seekTo,
  waitForMoment,
  waitForPlayer,
} from './player-support';

test.describe.configure({ timeout: 120_000 });

// Links to a moment open paused on exactly the screen a terminal shows at
// that moment: the reference is the fixture's output up to then, rendered by
// @xterm/headless at the recorded size. Then the seek bar moves backwards
// (through a keyframe) and forwards, and the screen must still match.

const MOMENTS: [fixture: string, query: string, seconds: number][] = [
  ['resize', '?t=3', 3],
  ['resize', '?t=0:07.5', 7.5],
  ['resize', '?t=13', 13],
  ['fullscreen', '?t=0:05', 5],
  ['fullscreen', '?t=11.2', 11.2],
  ['utf8-emoji', '?t=0:09', 9],
  ['colors', '?t=0:30', 30],
  ['big', '?t=6.5', 6.5],
  ['gap', '?t=0:15', 15],
  ['input', '?t=0:12', 12],
  ['invalid-bytes', '?t=40', 40],
];

// On Elasticsearch only the moments whose loading differs (many pages of
// messages, a gap, resizes) run again: the screens do not depend on the source.
const ON_ELASTICSEARCH = new Set(['big', 'gap', 'resize?t=13']);

for (const [fixture, query, seconds] of MOMENTS) {
  const onBoth = ON_ELASTICSEARCH.has(fixture) || ON_ELASTICSEARCH.has(`${fixture}${query}`);
  test(
    `${fixture}${query} shows the reference screen at ${seconds} s`,
    {
      tag: onBoth ? [] : '@ui',
    },
    async ({ player }) => {
      await player.open(fixture, query);
      await waitForPlayer(player.root);
      await expect(player.root).toHaveAttribute('data-state', 'paused');
      await waitForMoment(player.root, seconds);
      const reference = await referenceScreen(fixture, seconds * 1000);
      expect(await browserScreen(player.root)).toEqual(reference);
    },
  );
}

test(
  'backward and forward seeks land on the reference screen too',
  { tag: '@ui' },
  async ({ player }) => {
    await player.open('fullscreen', '?t=16');
    await waitForPlayer(player.root);
    await waitForMoment(player.root, 16);
    // Let the keyframe worker index the whole recording first.
    await expect
      .poll(async () => Number(await player.root.getAttribute('data-indexed')))
      .toBeGreaterThan(100);
    for (const seconds of [4.2, 12.7, 1.5, 9, 15.9, 0.3]) {
      await seekTo(player.root, seconds * 1000);
      await waitForMoment(player.root, seconds);
      expect(await browserScreen(player.root), `at ${seconds} s`).toEqual(
        await referenceScreen('fullscreen', seconds * 1000),
      );
    }
  },
);

test(
  'the terminal takes the recorded window size at each moment',
  { tag: '@ui' },
  async ({ player }) => {
    // resize.tlog: 100x30, then 80x24 at 2.158 s, then 132x40 at 7.344 s.
    await player.open('resize', '?t=1');
    await waitForPlayer(player.root);
    await waitForMoment(player.root, 1);
    const terminal = player.root.getByTestId('terminal');
    await expect(terminal).toHaveAttribute('data-cols', '100');
    await expect(terminal).toHaveAttribute('data-rows', '30');
    await seekTo(player.root, 5000);
    await expect(terminal).toHaveAttribute('data-cols', '80');
    await expect(terminal).toHaveAttribute('data-rows', '24');
    await seekTo(player.root, 13_500);
    await expect(terminal).toHaveAttribute('data-cols', '132');
    await expect(terminal).toHaveAttribute('data-rows', '40');
    await seekTo(player.root, 1000);
    await expect(terminal).toHaveAttribute('data-cols', '100');
  },
);

test(
  'speed= sets the initial speed, and a bad one is explained',
  { tag: '@ui' },
  async ({ page, player }) => {
    await player.open('resize', '?speed=4');
    await waitForPlayer(player.root);
    await expect(player.root.getByRole('combobox', { name: 'Speed' })).toHaveValue('4');
    await player.open('resize', '?speed=99&t=1:99');
    await waitForPlayer(player.root);
    const notice = page.getByRole('alert').filter({ hasText: 'Part of this link' });
    await expect(notice).toContainText('"99" is not a speed');
    await expect(notice).toContainText('"1:99" is not a moment');
    await expect(player.root).toHaveAttribute('data-state', 'playing');
    await expect(player.root.getByRole('combobox', { name: 'Speed' })).toHaveValue('1');
  },
);

test(
  '"Copy link at current time" copies a link that opens there',
  { tag: '@ui' },
  async ({ page, player }) => {
    await page.context().grantPermissions(['clipboard-write']);
    await player.open('colors', '?t=0:21.25&speed=2');
    await waitForPlayer(player.root);
    await waitForMoment(player.root, 21.25);
    await player.root.getByRole('button', { name: 'Copy link at current time' }).click();
    await expect(player.root.getByRole('status').filter({ hasText: 'copied' })).toBeVisible();
    const link = await readClipboard(page);
    expect(link).toBe(
      `${new URL(page.url()).origin}/recordings/${fixtureRec('colors')}?t=0:21.25&speed=2`,
    );
    await page.goto(link);
    await waitForMoment(player.root, 21.25);
    expect(await browserScreen(player.root)).toEqual(await referenceScreen('colors', 21_250));
  },
);
