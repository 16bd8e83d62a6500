// Each export format on small hand-made recordings, plus file names and the
// format parameter. Real fixtures and the real consumers (tlog-play,
// asciinema) are in export-consumers.test.ts.

import { describe, expect, it } from 'vitest';
import {
  EXPORT_FORMATS,
  exportAsciicast,
  exportFilename,
  exportFormatSchema,
  exportRaw,
  exportRecording,
  exportTlog,
  exportUrl,
  EXPORT_TYPES,
} from '@/lib/export';
import { exportText } from '@/lib/export/text';
import { collect, collectText, messageLine as line, parseCast } from '../support/exports';

async function* slowly(lines: string[]): AsyncGenerator<string> {
  for (const l of lines) {
    await Promise.resolve();
    yield l;
  }
}

describe('tlog export', () => {
  it('keeps each message line as stored, in id order, without repeats, junk or strangers', async () => {
    const first = line({
      id: 1,
      timing: '=80x24>2',
      out_txt: 'hi',
      timestamp: '2026-11-27T16:37:01Z',
    });
    const second = line({ id: 2, pos: 5, timing: '>1', out_txt: '!' });
    const out = await collectText(
      exportTlog(
        slowly([
          first,
          first,
          'not json',
          line({ id: 2, rec: 'other' }),
          second,
          line({ id: 2, out_txt: 'X' }),
          '',
        ]),
      ),
    );
    expect(out).toBe(`${first}\n${second}\n`);
  });

  it('puts a pretty-printed stored document on one line', async () => {
    const pretty = JSON.stringify(JSON.parse(line({ timing: '>1', out_txt: 'a' })), null, 2);
    const out = await collectText(exportTlog([pretty]));
    expect(out.split('\n')).toHaveLength(2);
    expect(JSON.parse(out)).toEqual(JSON.parse(pretty));
  });
});

describe('raw export', () => {
  it('is the output bytes exactly, invalid ones included, input left out', async () => {
    const out = await collect(
      exportRaw([
        line({
          timing: '=80x24>3]2/2<1',
          out_txt: 'ok \uFFFD\uFFFD',
          out_bin: [0xff, 0xfe],
          in_txt: 'x',
        }),
        line({ id: 2, pos: 9, timing: '>2', out_txt: '😀é' }),
      ]),
    );
    expect([...out]).toEqual([...Buffer.from('ok '), 0xff, 0xfe, ...Buffer.from('😀é')]);
  });
});

describe('asciicast export', () => {
  const recording = [
    line({
      id: 1,
      pos: 0,
      time: 1795797000.5,
      timing: '=100x30>2+250<1+5>1',
      out_txt: 'a😀!',
      in_txt: 'q',
    }),
    // A character whose bytes arrive in two events comes out whole, once.
    line({
      id: 2,
      pos: 300,
      time: 1795797000.8,
      timing: '=100x30]1/2+10]1/1',
      out_txt: '\uFFFD\uFFFD',
      out_bin: [0xe2, 0x82, 0xac],
    }),
    line({
      id: 3,
      pos: 400,
      timing: '=100x30+100=80x24+1=80x24=0x0>1]1/1',
      out_txt: 'b\uFFFD',
      out_bin: [0xff],
    }),
    line({ id: 6, pos: 900, timing: '=80x24>1', out_txt: '\uFEFF' }),
  ];

  it('has a v2 header from the first window, the start time, TERM and a title', async () => {
    const cast = parseCast(
      await collectText(exportAsciicast(recording, { title: 'alice@web-01' })),
    );
    expect(cast.header).toEqual({
      version: 2,
      width: 100,
      height: 30,
      timestamp: 1795797000,
      title: 'alice@web-01',
      env: { TERM: 'xterm-256color' },
    });
  });

  it('writes o, i, r and m events in time order, in seconds', async () => {
    const cast = parseCast(await collectText(exportAsciicast(recording)));
    expect(cast.events).toEqual([
      [0, 'o', 'a😀'],
      [0.25, 'i', 'q'],
      [0.255, 'o', '!'],
      [0.31, 'o', '€'],
      [0.5, 'r', '80x24'],
      [0.501, 'o', 'b\uFFFD'],
      [0.9, 'm', 'gap: 2 missing messages (ids 4-5)'],
      [0.9, 'o', '\uFEFF'],
    ]);
  });

  it('uses 80x24 when the first window is unknown, and ends a cut character with U+FFFD', async () => {
    const cast = parseCast(
      await collectText(
        exportAsciicast([
          line({
            time: undefined,
            timing: '=0x0>1]1/2',
            out_txt: 'x\uFFFD',
            out_bin: [0xe2, 0x82],
          }),
        ]),
      ),
    );
    expect(cast.header).toEqual({
      version: 2,
      width: 80,
      height: 24,
      env: { TERM: 'xterm-256color' },
    });
    expect(cast.events).toEqual([
      [0, 'o', 'x'],
      [0, 'o', '\uFFFD'],
    ]);
  });

  it('uses the fallback start when messages carry no time, and survives an empty recording', async () => {
    const empty = parseCast(
      await collectText(exportAsciicast([], { fallbackStartMs: 1_700_000_000_999 })),
    );
    expect(empty).toEqual({
      header: { version: 2, width: 80, height: 24, timestamp: 1_700_000_000, env: { TERM: '' } },
      events: [],
    });
  });
});

describe('text export', () => {
  const run = async (timing: string, out_txt: string, extra: string[] = []) =>
    collectText(exportText([line({ timing, out_txt }), ...extra]));
  const plain = (text: string, size = '=20x5') => run(`${size}>${Array.from(text).length}`, text);

  it('interprets the output: line editing, carriage returns, colours', async () => {
    expect(await plain('hello\r\nworld\r\n')).toBe('hello\nworld\n');
    expect(await plain('progress 10%\rprogress 100%\r\n')).toBe('progress 100%\n');
    expect(await plain('\x1b[1;31mred\x1b[0m and \x1b[42mgreen\x1b[0m\r\n')).toBe(
      'red and green\n',
    );
    expect(await plain('$ ecoh\b\b\b\x1b[Kcho ok\r\n')).toBe('$ echo ok\n');
  });

  it('joins rows the terminal wrapped, keeping their spaces', async () => {
    expect(await plain('0123456789abcdefghi KLM\r\nnext\r\n')).toBe(
      '0123456789abcdefghi KLM\nnext\n',
    );
  });

  it('writes every line that scrolled off, in order', async () => {
    const lines = Array.from({ length: 3000 }, (_, i) => `line ${i}`);
    expect(await plain(`${lines.join('\r\n')}\r\n`)).toBe(`${lines.join('\n')}\n`);
  });

  it('keeps the screen a clear erased, and a full-screen program last screen', async () => {
    expect(await plain('one\r\ntwo\r\n\x1b[H\x1b[2J\x1b[3Jthree\r\n')).toBe('one\ntwo\nthree\n');
    const vim =
      '$ vim\r\n\x1b[?1049h\x1b[H\x1b[2Jfirst screen\x1b[H\x1b[2Jvim screen\r\n~\x1b[?1049l$ done\r\n';
    expect(await plain(vim)).toBe('$ vim\nfirst screen\nvim screen\n~\n$ done\n');
    expect(await plain('before\r\n\x1bcafter reset\r\n')).toBe('before\nafter reset\n');
  });

  it('shows bytes that are not UTF-8 as U+FFFD', async () => {
    const out = await collectText(
      exportText([line({ timing: '=20x5>3]1/1>2', out_txt: 'ok \uFFFD\r\n', out_bin: [0xff] })]),
    );
    expect(out).toBe('ok \uFFFD\n');
  });

  it('follows resizes and marks gaps', async () => {
    const out = await collectText(
      exportText([
        line({ timing: '=40x5>13', out_txt: 'wide enough\r\n' }),
        line({ id: 2, pos: 10, timing: '=5x5>8', out_txt: 'abcdefgh' }),
        line({ id: 5, pos: 20, timing: '=5x5>6', out_txt: '\r\nlast' }),
      ]),
    );
    // The line in progress when messages went missing follows the note, whole.
    expect(out).toBe(
      'wide enough\n[2 missing messages (ids 3-4): output lost here]\nabcdefgh\nlast\n',
    );
  });

  it('clamps a hostile window size instead of allocating it', async () => {
    const started = performance.now();
    expect(await plain('big\r\n', '=65535x65535')).toBe('big\n');
    expect(performance.now() - started).toBeLessThan(5000);
  });
});

describe('export plumbing', () => {
  it('accepts exactly the four formats', () => {
    expect(EXPORT_FORMATS).toEqual(['tlog', 'asciicast', 'raw', 'text']);
    for (const format of EXPORT_FORMATS)
      expect(exportFormatSchema.safeParse(format).success).toBe(true);
    for (const bad of ['', 'TLOG', 'json', null, undefined, 'raw '])
      expect(exportFormatSchema.safeParse(bad).success).toBe(false);
  });

  it('gives each format a type, an extension, a label and a URL', () => {
    for (const format of EXPORT_FORMATS) {
      expect(EXPORT_TYPES[format].contentType).toMatch(/^[a-z-]+\/[a-z.+-]+/);
      expect(EXPORT_TYPES[format].label).not.toBe('');
    }
    expect(exportUrl('rec 1/x', 'raw')).toBe('/api/recordings/rec%201%2Fx/export?format=raw');
  });

  it('dispatches each format', async () => {
    const lines = [line({ timing: '=20x5>4', out_txt: 'hey\n' })];
    expect((await collect(exportRecording('raw', lines))).toString()).toBe('hey\n');
    expect((await collect(exportRecording('tlog', lines))).toString()).toBe(`${lines[0]}\n`);
    expect(
      parseCast((await collect(exportRecording('asciicast', lines))).toString()).events,
    ).toEqual([[0, 'o', 'hey\n']]);
    expect((await collect(exportRecording('text', lines))).toString()).toBe('hey\n');
  });

  it('names files after host, user and start, safe for headers and disks', () => {
    const start = '2026-11-27T16:37:01.123Z';
    expect(exportFilename({ host: 'web-01.example.com', user: 'alice', start }, 'asciicast')).toBe(
      'web-01.example.com_alice_20261127T163701Z.cast',
    );
    expect(exportFilename({ host: '../../etc', user: 'jürgen "x"\r\n;', start }, 'tlog')).toBe(
      'etc_jurgen_x_20261127T163701Z.tlog',
    );
    expect(exportFilename({ host: '', user: '日本', start: 'not a date' }, 'text')).toBe(
      'host_user_unknown-time.txt',
    );
    expect(exportFilename({ host: 'h', user: 'u', start }, 'raw')).toMatch(/^[A-Za-z0-9._-]+$/);
  });
});
