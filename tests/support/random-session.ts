// Random terminal sessions for property tests: what a recorder would see,
// as packets for tests/support/tlog-encoder.ts, plus what decoding them must
// give back.

import type { Rng } from './prng';
import type { Packet } from './tlog-encoder';
import { utf8Units } from './utf8-units';

const utf8 = new TextEncoder();

/** Text that stresses code point counting and JSON escaping. */
// prettier-ignore
const TEXT = [
  'a', 'hello ', 'ls -l\r\n', '\r\n', '\n', '\t', ' ', '$ ', '"quoted"', '\\', '/', '</script>',
  '\x1b[1;31m', '\x1b[0m', '\x1b[?1049h', '\x1b[?1049l', '\x1b[H\x1b[2J', '\x1b]0;title\x07', '\x1b[38;2;1;2;3m',
  '\x00', '\x07', '\x08', '\x7f', '\x1b', '\u0085',
  'é', 'e\u0301', 'n\u0303', 'Z\u0324\u0354\u0367\u0311a\u0308\u0356', 'Ångström', 'Straße',
  '日本語', 'ｆｕｌｌ', '한국어', 'שלום', 'مرحبا',
  '😀', '👍🏽', '👨‍👩‍👧', '🏳️‍🌈', '🇫🇷', '❤️', '\u{10FFFF}', '\u{E000}', '\u{1D11E}',
  '\u2028', '\u2029', '\uFEFF', '\uFFFD', '\u200D',
].map((s) => utf8.encode(s));

/** Bytes that are not UTF-8: stray, truncated, overlong, surrogate, too large. */
// prettier-ignore
const INVALID: number[][] = [
  [0xff], [0xfe], [0x80], [0xbf], [0xc0, 0xaf], [0xc1, 0xbf], [0xc3], [0xe2, 0x82], [0xf0, 0x9f, 0x98],
  [0xed, 0xa0, 0x80], [0xf4, 0x90, 0x80, 0x80], [0xf5, 0x80], [0xe0, 0x80, 0x80], [0xf8, 0x88, 0x80, 0x80, 0x80],
];

function randomBytes(rng: Rng, pieces: number, invalid: boolean): Uint8Array {
  const parts: number[] = [];
  for (let i = 0; i < pieces; i++) {
    if (invalid && rng.chance(0.15)) {
      parts.push(...(rng.chance(0.3) ? [rng.int(0x80, 0xff)] : rng.pick(INVALID)));
    } else {
      parts.push(...rng.pick(TEXT));
    }
  }
  return Uint8Array.from(parts);
}

function randomDelay(rng: Rng): number {
  const r = rng.next();
  if (r < 0.35) return 0;
  if (r < 0.7) return rng.int(1, 50);
  if (r < 0.95) return rng.int(50, 5000);
  return rng.int(5000, 100_000_000);
}

function randomWindow(rng: Rng): { cols: number; rows: number } {
  const r = rng.next();
  if (r < 0.05) return { cols: 0, rows: 0 };
  if (r < 0.1) return { cols: 65535, rows: 65535 };
  return { cols: rng.int(1, 300), rows: rng.int(1, 100) };
}

export interface SessionOptions {
  maxBursts?: number;
  input?: boolean;
  invalid?: boolean;
}

/**
 * Packets in time order. Bursts of bytes are cut at random offsets, so
 * characters are split across packets as a pty read would split them.
 */
export function randomSession(rng: Rng, options: SessionOptions = {}): Packet[] {
  const { maxBursts = 30, input = true, invalid = true } = options;
  const packets: Packet[] = [];
  let t = rng.int(0, 5000);
  if (rng.chance(0.9)) packets.push({ kind: 'window', t, ...randomWindow(rng) });
  const bursts = rng.int(0, maxBursts);
  for (let i = 0; i < bursts; i++) {
    t += randomDelay(rng);
    const r = rng.next();
    if (r < 0.1) {
      // A resize, sometimes to the same size (which tlog does not record).
      const last = [...packets].reverse().find((p) => p.kind === 'window');
      const size =
        last?.kind === 'window' && rng.chance(0.3)
          ? { cols: last.cols, rows: last.rows }
          : randomWindow(rng);
      packets.push({ kind: 'window', t, ...size });
      continue;
    }
    const kind = input && r < 0.25 ? 'input' : 'output';
    const bytes = randomBytes(rng, rng.int(1, rng.chance(0.1) ? 200 : 20), invalid);
    let offset = 0;
    while (offset < bytes.length) {
      const end = rng.chance(0.5) ? bytes.length : rng.int(offset + 1, bytes.length);
      packets.push({ kind, t, bytes: bytes.subarray(offset, end) });
      offset = end;
      if (rng.chance(0.5)) t += randomDelay(rng);
    }
  }
  return packets;
}

export interface Expected {
  bytes: Uint8Array;
  /** Per byte, the earliest and latest time (ms from the start) it may be decoded at. */
  lo: number[];
  hi: number[];
}

/**
 * What decoding must give for one stream. A character comes out at the time
 * its last byte arrived; a truncated sequence between that and the time the
 * byte that ended it arrived (or the end of the recording).
 */
export function expectedStream(packets: readonly Packet[], kind: 'output' | 'input'): Expected {
  const start = packets[0]?.t ?? 0;
  const end = (packets[packets.length - 1]?.t ?? 0) - start;
  const bytes: number[] = [];
  const times: number[] = [];
  for (const p of packets) {
    if (p.kind !== kind) continue;
    for (const b of p.bytes) {
      bytes.push(b);
      times.push(p.t - start);
    }
  }
  const lo: number[] = [];
  const hi: number[] = [];
  for (const [s, e, valid] of utf8Units(Uint8Array.from(bytes))) {
    const first = times[e - 1] ?? 0;
    const last = valid ? first : (times[e] ?? end);
    for (let i = s; i < e; i++) {
      lo.push(first);
      hi.push(last);
    }
  }
  return { bytes: Uint8Array.from(bytes), lo, hi };
}

/** Window sizes as tlog records them: each change, with its time from the start. */
export function expectedWindows(
  packets: readonly Packet[],
): { t: number; cols: number; rows: number }[] {
  const start = packets[0]?.t ?? 0;
  const out: { t: number; cols: number; rows: number }[] = [];
  for (const p of packets) {
    if (p.kind !== 'window') continue;
    const last = out[out.length - 1];
    if (!last || last.cols !== p.cols || last.rows !== p.rows)
      out.push({ t: p.t - start, cols: p.cols, rows: p.rows });
  }
  return out;
}
