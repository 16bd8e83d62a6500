import { execFileSync, spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type { Page } from '@playwright/test';
import { rsyslogConfig, startRsyslog } from '../support/pipeline';
import { LIVE_BOUND_MS, LIVE_DIR, LIVE_END_SECONDS, LIVE_ES_INDEX } from '../../playwright.config';
import { expect, test } from './fixtures';
import { browserScreen, ReferenceTerminal } from './player-support';

// Watching a session live (docs/live.md): a real tlog-rec (--latency=1) in
// tmux records a shell while the player follows it, through the files
// source (project live: tlog-rec writes into RECORDINGS_DIR) and through the
// real chain (project live-es: rsyslog's imfile and omelasticsearch with the
// documented config, into Elasticsearch). Typed text appears within the
// documented bound, a resize is followed, the list keeps the row current,
// the badge reaches "ended" after the shell exits, and the final screen is
// the finished recording's reference screen.

test.describe.configure({ mode: 'serial', timeout: 120_000 });

class RecordedShell {
  private readonly socket: string;

  constructor(
    readonly file: string,
    cols: number,
    rows: number,
  ) {
    if (!existsSync('/var/run/utmp')) writeFileSync('/var/run/utmp', '');
    this.socket = `auditty-live-${process.pid}-${path.basename(file)}`;
    const shell = `env -i HOME=/tmp TERM=xterm-256color LANG=C.UTF-8 PS1='$ ' tlog-rec --writer=file --file-path=${file} --latency=1 /bin/bash --norc --noprofile`;
    this.tmux('new-session', '-d', '-s', 'rec', '-x', String(cols), '-y', String(rows), shell);
  }

  private tmux(...args: string[]) {
    execFileSync('tmux', ['-L', this.socket, '-f', '/dev/null', ...args]);
  }

  type(line: string): void {
    this.tmux('send-keys', '-t', 'rec', line, 'Enter');
  }

  resize(cols: number, rows: number): void {
    this.tmux('resize-window', '-t', 'rec', '-x', String(cols), '-y', String(rows));
  }

  get alive(): boolean {
    return spawnSync('tmux', ['-L', this.socket, 'has-session', '-t', 'rec']).status === 0;
  }

  kill(): void {
    spawnSync('tmux', ['-L', this.socket, 'kill-server']);
  }
}

/** The recording's id, once tlog-rec has written its first message. */
async function recOf(file: string): Promise<string> {
  await expect
    .poll(() => (existsSync(file) ? readFileSync(file, 'utf8').includes('\n') : false), {
      timeout: 15_000,
    })
    .toBe(true);
  const rec: unknown = JSON.parse(readFileSync(file, 'utf8').split('\n', 1)[0] ?? '').rec;
  if (typeof rec !== 'string') throw new Error(`${file} has no rec`);
  return rec;
}

const row = (page: Page, rec: string) =>
  page
    .getByTestId('recording-row')
    .filter({ has: page.locator(`a[href="/recordings/${encodeURIComponent(rec)}"]`) });

test('follows a recording tlog-rec is writing', async ({ page, player }, info) => {
  // Project live: the files source; live-es: rsyslog into Elasticsearch.
  const chain = info.project.name === 'live-es' ? 'elasticsearch' : 'files';
  const name = `live-${chain}-${Date.now()}`;
  const work = path.join(tmpdir(), `auditty-${name}`);
  mkdirSync(work, { recursive: true });
  // Files: tlog-rec writes where the server reads. Elasticsearch: where rsyslog reads.
  const dir = chain === 'files' ? LIVE_DIR : work;
  const file = path.join(dir, `${name}.tlog`);
  let rsyslog: { stop: () => Promise<void> } | null = null;
  if (chain === 'elasticsearch') {
    const esUrl = new URL(process.env.E2E_ES_URL ?? '');
    const config = path.join(work, 'rsyslog.conf');
    writeFileSync(
      config,
      rsyslogConfig({
        workDir: work,
        tlogFile: file,
        esPort: Number(esUrl.port),
        index: LIVE_ES_INDEX,
        errorFile: path.join(work, 'es-errors.json'),
      }),
    );
    rsyslog = startRsyslog(config, path.join(work, 'rsyslog.pid'), path.join(work, 'rsyslog.log'));
  }
  const shell = new RecordedShell(file, 90, 24);
  try {
    shell.type('echo started-$((40+2))');
    const rec = await recOf(file);
    await expect
      .poll(async () => (await page.request.get(`/api/recordings/${rec}`)).status(), {
        timeout: 30_000,
      })
      .toBe(200);

    // The list marks it live and keeps its row current. (On Elasticsearch
    // the list comes from the summaries: a new recording is in them after
    // a summarizer round or two.)
    const listed = row(page, rec);
    await expect(async () => {
      await page.goto('/');
      await expect(listed.getByTestId('live-mark')).toBeVisible({ timeout: 2000 });
    }).toPass({ timeout: 45_000 });
    const before = Number((await listed.getByTestId('row-messages').textContent()) ?? '0');
    shell.type('echo list-$((3*3))');
    await expect
      .poll(async () => Number((await listed.getByTestId('row-messages').textContent()) ?? '0'), {
        timeout: LIVE_BOUND_MS[chain] + 10_000,
      })
      .toBeGreaterThan(before);
    expect(page.url(), 'the list did not reload').toMatch(/\/$/);

    // "Watch live" opens the player at the edge.
    await listed.getByRole('link', { name: /Watch .* live/ }).click();
    await expect(page).toHaveURL(new RegExp(`/recordings/${rec}\\?live=1$`));
    const badge = player.root.getByTestId('live-badge');
    await expect(badge).toHaveAttribute('data-live-state', /live|idle/, { timeout: 30_000 });
    await expect(player.screen).toContainText('list-9', { timeout: 30_000 });

    // Typed text appears within the documented bound.
    const typedAt = Date.now();
    shell.type('echo typed-$((6*7))-marker');
    await expect(player.screen).toContainText('typed-42-marker', {
      timeout: LIVE_BOUND_MS[chain],
    });
    info.annotations.push({
      type: 'typed-to-screen-ms',
      description: String(Date.now() - typedAt),
    });
    await expect(badge).toHaveAttribute('data-live-state', 'live');

    // A resize is followed.
    shell.resize(72, 20);
    shell.type('echo resized-$((2+3))');
    const terminal = player.root.getByTestId('terminal');
    await expect(player.screen).toContainText('resized-5', { timeout: LIVE_BOUND_MS[chain] });
    await expect(terminal).toHaveAttribute('data-cols', '72');
    await expect(terminal).toHaveAttribute('data-rows', '20');

    // The shell exits: the badge says "ended" after LIVE_END_SECONDS of quiet.
    shell.type('exit');
    await expect.poll(() => shell.alive, { timeout: 10_000 }).toBe(false);
    await expect(badge).toHaveAttribute('data-live-state', 'ended', {
      timeout: (LIVE_END_SECONDS + 20) * 1000,
    });
    await expect(player.root).toHaveAttribute('data-state', 'ended', { timeout: 30_000 });
    await expect(player.root).toHaveAttribute('data-settled', 'true');

    // The final screen is the finished recording's.
    const reference = new ReferenceTerminal(name, dir);
    await reference.advance(Number.MAX_SAFE_INTEGER);
    const expected = reference.screen();
    reference.dispose();
    expect(await browserScreen(player.root)).toEqual(expected);
    expect(expected.lines.join('\n')).toContain('typed-42-marker');
    // The server closed the stream every LIVE_STREAM_MAX_SECONDS: each
    // reconnect resumed after the last id, so every message is here once.
    const written = readFileSync(file, 'utf8').split('\n').filter(Boolean).length;
    await expect(player.root).toHaveAttribute('data-messages', String(written));
    expect(Number(await badge.getAttribute('data-live-connections'))).toBeGreaterThanOrEqual(3);
    await expect(player.root).toHaveAttribute('data-gaps', '0');
  } finally {
    shell.kill();
    await rsyslog?.stop();
    rmSync(work, { recursive: true, force: true });
    if (chain === 'files') rmSync(file, { force: true });
  }
});

// The order is the server's, the same for both sources: the live project only (@files).
test(
  'fills a gap in place when its message arrives late',
  { tag: '@files' },
  async ({ page, player }) => {
    // A recording whose message 6 is missing when the player opens it.
    const rec = `live-late-${Date.now()}`;
    const now = Date.now() / 1000;
    const lines = readFileSync(
      path.resolve(import.meta.dirname, '../fixtures/recordings/colors.tlog'),
      'utf8',
    )
      .split('\n')
      .filter(Boolean)
      .slice(0, 8)
      .map((line) => {
        const m = JSON.parse(line);
        return JSON.stringify({ ...m, rec, time: now - 5 + m.pos / 1000 });
      });
    const file = path.join(LIVE_DIR, `${rec}.tlog`);
    writeFileSync(file, `${[...lines.slice(0, 5), ...lines.slice(6)].join('\n')}\n`);
    try {
      await page.goto(`/recordings/${rec}?live=1`);
      const badge = player.root.getByTestId('live-badge');
      await expect(badge).toHaveAttribute('data-live-state', 'live', { timeout: 30_000 });
      await expect(player.root).toHaveAttribute('data-gaps', '1');
      await expect(player.root).toHaveAttribute('data-messages', '7');
      writeFileSync(file, `${lines[5]}\n`, { flag: 'a' });
      // Read again with it in its place, at the same moment, still following.
      await expect(player.root).toHaveAttribute('data-gaps', '0', { timeout: 15_000 });
      await expect(player.root).toHaveAttribute('data-messages', '8');
      await expect(badge).toHaveAttribute('data-live-state', /live|idle/, { timeout: 15_000 });
      await page.keyboard.press('End');
      await expect(player.root).toHaveAttribute('data-settled', 'true');
      await expect(player.root).toHaveAttribute(
        'data-time',
        (await player.root.getAttribute('data-duration')) ?? '',
      );
      const reference = new ReferenceTerminal(rec, LIVE_DIR);
      await reference.advance(Number.MAX_SAFE_INTEGER);
      expect(await browserScreen(player.root)).toEqual(reference.screen());
      reference.dispose();
    } finally {
      rmSync(file, { force: true });
    }
  },
);
