// Exports of every real fixture, checked by the programs that read them:
// Debian's tlog-play plays the tlog export byte for byte like the raw export,
// and `asciinema cat` prints the asciicast export's output. The programs must
// be installed: without them these tests fail, they do not skip.

import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { exportAsciicast, exportRaw, exportTlog } from '@/lib/export';
import { exportText } from '@/lib/export/text';
import { asciinemaCat, firstDifference, requireCommands, tlogPlay } from '../support/consumers';
import { collect, collectText, parseCast } from '../support/exports';
import { fixtureLines, fixtureNames } from '../support/fixtures';

const REFERENCE_DIR = path.resolve(__dirname, '../fixtures/reference');
const NAMES = fixtureNames();

const hasGaps = (lines: string[]) => {
  const ids = lines.map((l) => Number((JSON.parse(l) as { id: unknown }).id));
  return Math.max(...ids) - Math.min(...ids) + 1 !== new Set(ids).size;
};
const isUtf8 = (bytes: Buffer) => {
  try {
    new TextDecoder('utf-8', { fatal: true }).decode(bytes);
    return true;
  } catch {
    return false;
  }
};

let scratch = '';
beforeAll(() => {
  requireCommands('tlog-play', 'asciinema', 'script');
  scratch = mkdtempSync(path.join(tmpdir(), 'auditty-exports-'));
});
afterAll(() => {
  if (scratch) rmSync(scratch, { recursive: true, force: true });
});

describe.concurrent.each(NAMES)('exports of %s', (name) => {
  const lines = fixtureLines(name);
  const reference = readFileSync(path.join(REFERENCE_DIR, `${name}.out`));

  it('raw is the reference output, tlog-play plays the tlog export to the same bytes', async () => {
    const raw = await collect(exportRaw(lines));
    expect(firstDifference(raw, reference), 'raw vs reference').toBe('identical');
    const file = path.join(scratch, `${name}.tlog`);
    writeFileSync(file, await collect(exportTlog(lines)));
    expect(
      firstDifference(await tlogPlay(file, { lax: hasGaps(lines) }), raw),
      'tlog-play of the tlog export',
    ).toBe('identical');
  }, 60_000);

  it('asciinema cat prints the asciicast export as the raw output', async () => {
    const cast = await collectText(exportAsciicast(lines, { title: 'fixture' }));
    const parsed = parseCast(cast);
    expect(parsed.header).toMatchObject({ version: 2, env: { TERM: 'xterm-256color' } });
    const file = path.join(scratch, `${name}.cast`);
    writeFileSync(file, cast);
    const printed = await asciinemaCat(file);
    // asciicast holds text: bytes that are not UTF-8 arrive as U+FFFD.
    const expected = isUtf8(reference)
      ? reference
      : Buffer.from(new TextDecoder('utf-8', { ignoreBOM: true }).decode(reference));
    expect(firstDifference(printed, expected), 'asciinema cat vs raw').toBe('identical');
  }, 60_000);
});

describe('exports of stored recordings', () => {
  it('tlog-play plays an export of messages stored by rsyslog (extra fields, repeats)', async () => {
    for (const name of ['invalid-bytes', 'gap']) {
      const lines = fixtureLines(name).flatMap((l, i) => {
        const stored = JSON.stringify({
          ...(JSON.parse(l) as object),
          timestamp: '2026-11-27T16:40:00Z',
          '@version': '1',
        });
        return i % 3 === 0 ? [stored, stored] : [stored];
      });
      const file = path.join(scratch, `${name}-stored.tlog`);
      writeFileSync(file, await collect(exportTlog(lines)));
      const raw = await collect(exportRaw(lines));
      expect(
        firstDifference(raw, readFileSync(path.join(REFERENCE_DIR, `${name}.out`))),
        name,
      ).toBe('identical');
      expect(firstDifference(await tlogPlay(file, { lax: name === 'gap' }), raw), name).toBe(
        'identical',
      );
    }
  }, 60_000);
});

describe('text transcripts of the fixtures', () => {
  const text = async (name: string) => collectText(exportText(fixtureLines(name)));

  it('big: every line seq printed, once, in order, as the screen scrolled', async () => {
    const lines = (await text('big')).split('\n');
    const start = lines.indexOf('1');
    expect(lines.slice(start, start + 100_000)).toEqual(
      Array.from({ length: 100_000 }, (_, i) => String(i + 1)),
    );
    expect(lines.filter((l) => /^line \d{5} the quick brown fox$/.test(l))).toHaveLength(10_000);
  }, 30_000);

  it('fullscreen: the shell, vim and less screens, in order', async () => {
    const out = await text('fullscreen');
    const order = [
      '$ vim -u NONE',
      'Typed in insert mode by make-fixtures.sh (appended)',
      '$ less /etc/services',
      '$ exit',
    ];
    const at = order.map((s) => out.indexOf(s));
    expect(at.every((i) => i >= 0)).toBe(true);
    expect([...at].sort((a, b) => a - b)).toEqual(at);
    expect(out).not.toMatch(/\x1b/);
  });

  it('input: what the screen showed, not what was typed', async () => {
    const out = await text('input');
    // The command's note comes right after its line, before its output.
    expect(out).toMatch(
      /\n\$ echo typo fixed\n\[command at [\d:.]+: echo typo fixed\]\ntypo fixed\n/,
    );
    expect(out).toContain('got 11 characters');
    expect(out).not.toContain('s3cret');
    expect(out).not.toContain('ecoh');
  });

  it('utf8-emoji, invalid-bytes, resize and gap read as they appeared', async () => {
    expect(await text('utf8-emoji')).toContain('Skin tones: 👍🏽 👋🏿 👌🏻');
    expect(await text('invalid-bytes')).toContain('ok \uFFFD\uFFFD bad \uFFFD( trunc\n');
    expect(await text('resize')).toContain(`${'.'.repeat(115)}right.edge.at.132|\n`);
    const gap = await text('gap');
    expect(
      gap.match(/^\[\d+ missing messages? \(ids? [\d-]+\): output lost here\]$/gm),
    ).toHaveLength(5);
  });
});
