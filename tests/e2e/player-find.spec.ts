import type { Locator } from '@playwright/test';
import { expect, test, type PlayerPage } from './fixtures';
import { referenceHits, referenceTicks, type ReferenceHit } from './find-reference';
import { referenceScreen, waitForMoment, waitForPlayer } from './player-support';

// Find in the recording (docs/find.md) on real tlog recordings: what
// scrolled away and what vim and less drew is found, at the moments and in
// the numbers that a reference built with @xterm/headless on the fixture's
// bytes gives (find-reference.ts). Source-independent: files only.

test.describe.configure({ timeout: 90_000 });

/** Opens paused at the start, once every event is loaded and indexed. */
async function openFind(player: PlayerPage, fixture: string, query = '?t=0') {
  await player.open(fixture, query);
  await waitForPlayer(player.root);
  // Fully loaded and indexed: every line is searched.
  await expect(player.root).toHaveAttribute('data-complete', 'true');
  await expect
    .poll(async () => {
      const [indexed, events] = await Promise.all([
        player.root.getAttribute('data-indexed'),
        player.root.getAttribute('data-events'),
      ]);
      return Number(indexed) > 0 && indexed === events;
    })
    .toBe(true);
}

async function search(player: PlayerPage, text: string): Promise<Locator> {
  const box = player.root.getByRole('searchbox', { name: 'Find in the recording' });
  if (!(await box.isVisible())) await player.page.keyboard.press('/');
  await expect(box).toBeFocused();
  await box.fill(text);
  await expect(player.root).toHaveAttribute('data-find-done', 'true');
  return box;
}

async function ticks(player: PlayerPage): Promise<number[]> {
  const values = await player.root
    .getByTestId('find-tick')
    .evaluateAll((spans) => spans.map((s) => s.getAttribute('data-t')));
  return values.map(Number);
}

const seconds = (ms: number) => Number((ms / 1000).toFixed(3));

/** Goes through every hit with `key`, checking each moment, the row's match and the count. */
async function walk(player: PlayerPage, hits: readonly ReferenceHit[], word: string, key: string) {
  const order =
    key === 'N' || key === 'Shift+Enter' ? [...hits.keys()].reverse() : [...hits.keys()];
  for (const k of order) {
    await player.page.keyboard.press(key);
    const hit = hits[k] as ReferenceHit;
    await expect(player.root).toHaveAttribute('data-find-current', String(k + 1));
    await expect(player.root).toHaveAttribute('data-state', 'paused');
    await waitForMoment(player.root, seconds(hit.t));
    await expect(player.root).toHaveAttribute('data-find-match', new RegExp(`^${word}$`, 'i'));
    await expect(player.root.getByTestId('find-count')).toHaveText(`${k + 1} of ${hits.length}`);
  }
}

test(
  'finds a word that scrolled off the screen long before the end',
  { tag: '@ui' },
  async ({ player }) => {
    // colors: `ls --color=always /etc | head -30` in a 100x30 window; PackageKit
    // is the first name, scrolled away by the end.
    const word = 'PackageKit';
    const reference = await referenceHits('colors', word);
    expect(reference.length).toBeGreaterThan(0);
    const last = await referenceScreen('colors', Number.MAX_SAFE_INTEGER);
    expect(last.lines.join('\n'), 'the word is not on the last screen').not.toContain(word);

    await openFind(player, 'colors');
    await search(player, word);
    await expect(player.root).toHaveAttribute('data-find-hits', String(reference.length));
    const total = Number(await player.root.getAttribute('data-duration')) * 1000;
    expect(await ticks(player)).toEqual(referenceTicks(reference, total).map(seconds));
    await player.root.getByRole('searchbox').focus();
    await walk(player, reference, word, 'Enter');
    // The screen shows the hit's moment exactly.
    const first = reference[0] as ReferenceHit;
    await player.page.keyboard.press('Enter');
    await waitForMoment(player.root, seconds(first.t));
    const screen = await referenceScreen('colors', first.t);
    expect(screen.lines[first.row]?.slice(first.start, first.start + word.length)).toBe(word);
  },
);

test(
  'finds a line printed and scrolled away within one moment, and shows it in the scrollback',
  { tag: '@ui' },
  async ({ player }) => {
    // big: `seq 1 10000`, many lines to a message; 4242 is never on screen when it is read.
    const reference = await referenceHits('big', '4242', { wholeWord: true });
    expect(reference.map((h) => h.row < 0)).toEqual([true]);
    await openFind(player, 'big');
    await search(player, '4242');
    await player.root.getByRole('button', { name: 'Whole word' }).click();
    await expect(player.root).toHaveAttribute('data-find-hits', '1');
    await player.root.getByRole('searchbox').focus();
    await player.page.keyboard.press('Enter');
    await waitForMoment(player.root, seconds((reference[0] as ReferenceHit).t));
    await expect(player.root).toHaveAttribute('data-find-match', '4242');
    // Scrolled up to it, in the terminal's own scrollback.
    await expect(player.screen).toContainText('4242');
  },
);

test(
  'finds what vim and less drew, and goes through the hits both ways',
  { tag: '@ui' },
  async ({ player }) => {
    await openFind(player, 'fullscreen');
    // Typed in vim's insert mode; and a line of /etc/services that only less showed.
    for (const word of ['appended', 'multiplexer', 'services']) {
      const reference = await referenceHits('fullscreen', word);
      expect(reference.length, word).toBeGreaterThan(0);
      await search(player, word);
      await expect(player.root).toHaveAttribute('data-find-hits', String(reference.length));
      const total = Number(await player.root.getAttribute('data-duration')) * 1000;
      expect(await ticks(player), word).toEqual(referenceTicks(reference, total).map(seconds));
      // n / N from the terminal, Enter / Shift+Enter from the box.
      await player.root.getByTestId('terminal').click();
      await player.page.keyboard.press('Home');
      await walk(player, reference, word, 'n');
      await player.root.getByTestId('terminal').click();
      await player.page.keyboard.press('End');
      await player.root.getByRole('searchbox').focus();
      await walk(player, reference, word, 'Shift+Enter');
    }
  },
);

test(
  '?find= opens at the first hit with the search in the box; with a moment, stays there',
  { tag: '@ui' },
  async ({ player }) => {
    const reference = await referenceHits('fullscreen', 'multiplexer');
    const first = reference[0] as ReferenceHit;
    await player.open('fullscreen', '?find=multiplexer');
    await waitForMoment(player.root, seconds(first.t));
    await expect(player.root).toHaveAttribute('data-state', 'paused');
    await expect(player.root.getByRole('searchbox')).toHaveValue('multiplexer');
    await expect(player.root).toHaveAttribute('data-find-current', '1');
    await expect(player.root).toHaveAttribute('data-find-match', 'multiplexer');
    // Drawn, not just selected (visible-terminal.ts skips only redraws from no selection to none).
    const drawn = player.root.locator('.xterm-selection > div');
    await expect(drawn).not.toHaveCount(0);

    await player.open('fullscreen', '?t=1&find=appended');
    await waitForMoment(player.root, 1);
    await expect(player.root.getByRole('searchbox')).toHaveValue('appended');
    await expect(player.root).toHaveAttribute('data-find-done', 'true');
    await expect(player.root).not.toHaveAttribute('data-find-current');
    const appended = (await referenceHits('fullscreen', 'appended'))[0] as ReferenceHit;
    await player.page.keyboard.press('Enter');
    await waitForMoment(player.root, seconds(appended.t));
    // Esc closes the box, and the selection with it.
    await player.page.keyboard.press('Escape');
    await expect(player.root.getByTestId('find-bar')).toHaveCount(0);
    await expect(player.root).not.toHaveAttribute('data-find-match');
    await expect(drawn).toHaveCount(0);
  },
);

test(
  'options: case, whole word, regular expressions; a runaway pattern is refused, saying why',
  { tag: '@ui' },
  async ({ player }) => {
    await openFind(player, 'fullscreen');
    const box = await search(player, 'LINE 1');
    const any = (await referenceHits('fullscreen', 'line 1')).length;
    const whole = (await referenceHits('fullscreen', 'line 1', { wholeWord: true })).length;
    expect(whole).toBeLessThan(any);
    await expect(player.root).toHaveAttribute('data-find-hits', String(any));
    await player.root.getByRole('button', { name: 'Whole word' }).click();
    await expect(player.root).toHaveAttribute('data-find-hits', String(whole));
    await player.root.getByRole('button', { name: 'Match case' }).click();
    await expect(player.root).toHaveAttribute('data-find-hits', '0');
    await expect(player.root.getByTestId('find-count')).toHaveText('No hits');
    await player.root.getByRole('button', { name: 'Match case' }).click();
    await player.root.getByRole('button', { name: 'Whole word' }).click();

    await player.root.getByRole('button', { name: 'Regular expression' }).click();
    await box.fill('line 1[0-2]:');
    await expect(player.root).toHaveAttribute('data-find-done', 'true');
    const tens = ['line 10:', 'line 11:', 'line 12:'];
    let expected = 0;
    for (const w of tens) expected += (await referenceHits('fullscreen', w)).length;
    await expect(player.root).toHaveAttribute('data-find-hits', String(expected));

    await box.fill('(a+)+$');
    const alert = player.root.getByTestId('find-bar').getByRole('alert');
    await expect(alert).toHaveText(
      'A repeated group may not contain repetition or alternatives (it could take forever).',
    );
    await box.fill('line (1');
    await expect(alert).toContainText('Not a valid regular expression');
    // The page still answers, and plays.
    await player.root.getByTestId('terminal').click();
    await player.page.keyboard.press('k');
    await expect(player.root).toHaveAttribute('data-state', 'playing');
  },
);
