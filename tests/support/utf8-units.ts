// UTF-8 validation as tlog does it (lib/tlog/utf8.c, after Unicode 7.0
// Table 3-7): which bytes form one character, one truncated sequence, or one
// invalid byte. Shared by the test encoder and the tests' expected values.

// Byte ranges allowed at each position of a sequence, by its first byte.
// prettier-ignore
const SEQUENCES: [number, number][][] = [
  [[0x00, 0x7f]],
  [[0xc2, 0xdf], [0x80, 0xbf]],
  [[0xe0, 0xe0], [0xa0, 0xbf], [0x80, 0xbf]],
  [[0xe1, 0xec], [0x80, 0xbf], [0x80, 0xbf]],
  [[0xed, 0xed], [0x80, 0x9f], [0x80, 0xbf]],
  [[0xee, 0xef], [0x80, 0xbf], [0x80, 0xbf]],
  [[0xf0, 0xf0], [0x90, 0xbf], [0x80, 0xbf], [0x80, 0xbf]],
  [[0xf1, 0xf3], [0x80, 0xbf], [0x80, 0xbf], [0x80, 0xbf]],
  [[0xf4, 0xf4], [0x80, 0x8f], [0x80, 0xbf], [0x80, 0xbf]],
];

const inRange = (b: number, range: [number, number] | undefined) =>
  range !== undefined && b >= range[0] && b <= range[1];

/**
 * Splits a byte stream into what tlog writes as one unit each: a complete
 * character, a truncated sequence (cut by a byte that cannot continue it, or
 * by the end), or a single invalid byte. Returns [start, end, valid] triples.
 * Independent of packets: tests use it as the oracle for expected times.
 */
export function utf8Units(bytes: Uint8Array): [number, number, boolean][] {
  const units: [number, number, boolean][] = [];
  let i = 0;
  while (i < bytes.length) {
    const lead = bytes[i] ?? 0;
    const seq = SEQUENCES.find((s) => inRange(lead, s[0]));
    if (!seq) {
      units.push([i, i + 1, false]);
      i += 1;
      continue;
    }
    let j = i + 1;
    while (j - i < seq.length && j < bytes.length && inRange(bytes[j] ?? -1, seq[j - i])) j++;
    units.push([i, j, j - i === seq.length]);
    i = j;
  }
  return units;
}

/** Incremental Table 3-7 validation of one stream, as tlog_utf8. */
export class Utf8State {
  buf: number[] = [];
  private seq: [number, number][] | null = null;
  /** Set when the sequence is complete or a byte was refused. */
  ended = false;

  /** Returns whether the byte was taken. */
  add(b: number): boolean {
    if (this.buf.length === 0) {
      this.seq = SEQUENCES.find((s) => inRange(b, s[0])) ?? null;
      if (!this.seq) {
        this.ended = true;
        return false;
      }
    } else if (!inRange(b, this.seq?.[this.buf.length])) {
      this.ended = true;
      return false;
    }
    this.buf.push(b);
    if (this.buf.length === this.seq?.length) this.ended = true;
    return true;
  }

  get complete(): boolean {
    return this.seq !== null && this.buf.length === this.seq.length;
  }

  reset(): void {
    this.buf = [];
    this.seq = null;
    this.ended = false;
  }
}
