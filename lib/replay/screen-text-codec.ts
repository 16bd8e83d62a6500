// How the screen text index (screen-text-store.ts, docs/find.md) packs what
// it has sealed: a chunk's text as UTF-8, front-coded and deflated, and its per-entry
// data (moment, row, prev, length, a burst's rows) as deflated varints. Deflate is fflate's, synchronous, as the keyframe worker searches.

import { deflateSync, inflateSync } from 'fflate';

/** Per entry of the open block, or of a sealed chunk. */
export interface Meta {
  /** Entries held. */
  n: number;
  /** ms: when each appeared. */
  times: Float64Array;
  /** Its row (a burst: its first line's). */
  rows: Int16Array;
  /** The entry its row showed before it, or -1 (none), or -2 (it is a burst). */
  prevs: Int32Array;
  /** starts[k]: where entry k starts in the text of them all, joined with "\n"; n + 1 of them. */
  starts: Uint32Array;
  /** burstAt[k]: where entry k's lines' rows start in burstRows (none past burstAt[k + 1]); n + 1 of them. */
  burstAt: Uint32Array;
  /** Each burst line's row (above the top: negative), burst after burst. */
  burstRows: Int16Array;
}

/** A block's Meta with room for `capacity` entries and `lines` burst lines. */
export function emptyMeta(capacity: number, lines = 0): Meta {
  return {
    n: 0,
    times: new Float64Array(capacity),
    rows: new Int16Array(capacity),
    prevs: new Int32Array(capacity),
    starts: new Uint32Array(capacity + 1),
    burstAt: new Uint32Array(capacity + 1),
    burstRows: new Int16Array(lines),
  };
}

/** `m` with room for `capacity` entries (more than it has). */
export function grownMeta(m: Meta, capacity: number): Meta {
  const grown = { ...emptyMeta(capacity), n: m.n, burstRows: m.burstRows };
  grown.times.set(m.times);
  grown.rows.set(m.rows);
  grown.prevs.set(m.prevs);
  grown.starts.set(m.starts);
  grown.burstAt.set(m.burstAt);
  return grown;
}

/** Entries [from, to) of `m`, their starts and burst lines counted from the first. */
export function sliceMeta(m: Meta, from: number, to: number): Meta {
  const lines = m.burstAt[from] ?? 0;
  const base = m.starts[from] ?? 0;
  return {
    n: to - from,
    times: m.times.subarray(from, to),
    rows: m.rows.subarray(from, to),
    prevs: m.prevs.subarray(from, to),
    starts: m.starts.slice(from, to + 1).map((s) => s - base),
    burstAt: m.burstAt.slice(from, to + 1).map((s) => s - lines),
    burstRows: m.burstRows.subarray(lines, m.burstAt[to] ?? 0),
  };
}

/** Bytes a Meta holds. */
export const metaBytes = (m: Meta): number =>
  m.times.byteLength +
  m.rows.byteLength +
  m.prevs.byteLength +
  m.starts.byteLength +
  m.burstAt.byteLength +
  m.burstRows.byteLength;

/**
 * UTF-8 lines (each ending in "\n"), each as the length of the prefix it
 * shares with the line before (a varint, in bytes) and the rest of it.
 * Terminal lines often share a start with the one before (a command being
 * typed, numbered or timestamped output), which deflate's matches catch only
 * in part. Bytes, not characters: a prefix may end inside a character, as
 * both lines hold the same bytes.
 */
export function frontCode(bytes: Uint8Array): Uint8Array {
  const out = new Uint8Array(bytes.length * 2 + 8);
  let o = 0;
  let prev = 0;
  let prevEnd = 0;
  for (let at = 0; at < bytes.length;) {
    let p = 0;
    while (prev + p < prevEnd && bytes[at + p] === bytes[prev + p]) p += 1;
    for (let v = p; ; v >>>= 7) {
      out[o++] = v < 0x80 ? v : (v & 0x7f) | 0x80;
      if (v < 0x80) break;
    }
    prev = at;
    at += p;
    while (at < bytes.length && bytes[at] !== 10) out[o++] = bytes[at++] ?? 0;
    out[o++] = 10;
    at += 1;
    prevEnd = at - 1;
  }
  return out.slice(0, o);
}

/** The bytes frontCode coded (`size` of them), in `out` if given (it may be longer). */
export function frontDecode(
  coded: Uint8Array,
  size: number,
  out = new Uint8Array(size),
): Uint8Array {
  let o = 0;
  let prev = 0;
  for (let at = 0; at < coded.length;) {
    let p = 0;
    for (let shift = 0; ; shift += 7) {
      const b = coded[at++] ?? 0;
      p |= (b & 0x7f) << shift;
      if (b < 0x80) break;
    }
    // (A loop: most prefixes are a few bytes, shorter than a call to copyWithin.)
    for (let q = 0; q < p; q++) out[o + q] = out[prev + q] ?? 0;
    prev = o;
    o += p;
    for (let b = coded[at++] ?? 10; ; b = coded[at++] ?? 10) {
      out[o++] = b;
      if (b === 10) break;
    }
  }
  return out.subarray(0, size);
}

/** A lone surrogate: UTF-8 cannot carry it. */
const LONE = /[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/;

/**
 * A chunk's text (lines ending in "\n") packed: UTF-8, front-coded and
 * deflated; or, for a text with a lone surrogate (which UTF-8 would
 * replace), its UTF-16 code units deflated (`utf16`). `size`: its bytes
 * unpacked.
 */
export function packText(text: string): PackedText {
  if (!LONE.test(text)) {
    const bytes = encoder.encode(text);
    const coded = frontCode(bytes);
    return { data: deflateSync(coded), utf16: false, size: bytes.length, coded: coded.length };
  }
  const units = new Uint16Array(text.length);
  for (let i = 0; i < text.length; i++) units[i] = text.charCodeAt(i);
  const size = units.byteLength;
  return { data: deflateSync(new Uint8Array(units.buffer)), utf16: true, size, coded: size };
}

export interface PackedText {
  data: Uint8Array;
  utf16: boolean;
  /** Bytes of the text (UTF-8 or UTF-16), and of what was deflated (front-coded). */
  size: number;
  coded: number;
}

/**
 * Buffers an unpacking reuses (its result is a string): new ones for each
 * chunk would make the engine collect garbage in the middle of a search.
 */
const scratch = { coded: new Uint8Array(0), text: new Uint8Array(0) };

export function unpackText({ data, utf16, size, coded }: PackedText): string {
  if (scratch.coded.length < coded) scratch.coded = new Uint8Array(coded * 1.25);
  if (scratch.text.length < size) scratch.text = new Uint8Array(size * 1.25);
  const bytes = inflateSync(data, { out: scratch.coded.subarray(0, coded) });
  if (!utf16) return decoder.decode(frontDecode(bytes, size, scratch.text));
  const units = new Uint16Array(bytes.buffer, bytes.byteOffset, bytes.byteLength / 2);
  let text = '';
  for (let i = 0; i < units.length; i += 8192)
    text += String.fromCharCode(...units.subarray(i, i + 8192));
  return text;
}

const encoder = new TextEncoder();
const decoder = new TextDecoder();

/**
 * A chunk's Meta as deflated varints. Per entry: its moment less the one
 * before (zigzag; the moments as float64 first instead if one is not a safe
 * integer), its row (zigzag), its prev (0: none, 1: a burst, else 1 + how
 * many entries back), its text's length; for a burst, its lines' count and
 * rows (the first zigzag, then each less the one before less 1, zigzag).
 * `first`: its first entry.
 */
export function packMeta(m: Meta, first: number): PackedMeta {
  const out = new Writer();
  const whole = m.times.subarray(0, m.n).every(Number.isSafeInteger);
  out.byte(whole ? 0 : 1);
  if (!whole) out.bytes(new Uint8Array(m.times.slice(0, m.n).buffer));
  for (let k = 0; k < m.n; k++) {
    if (whole) out.signed((m.times[k] ?? 0) - (k > 0 ? (m.times[k - 1] ?? 0) : 0));
    out.signed(m.rows[k] ?? 0);
    const prev = m.prevs[k] ?? -1;
    out.varint(prev === -1 ? 0 : prev === -2 ? 1 : 1 + first + k - prev);
    out.varint((m.starts[k + 1] ?? 0) - (m.starts[k] ?? 0));
    if (prev !== -2) continue;
    const from = m.burstAt[k] ?? 0;
    const to = m.burstAt[k + 1] ?? 0;
    out.varint(to - from);
    for (let j = from; j < to; j++)
      out.signed((m.burstRows[j] ?? 0) - (j > from ? (m.burstRows[j - 1] ?? 0) + 1 : 0));
  }
  const bytes = out.done();
  return { data: deflateSync(bytes), size: bytes.length };
}

/** Deflated varints, and how many bytes they inflate to. */
export interface PackedMeta {
  data: Uint8Array;
  size: number;
}

/** The Meta packMeta packed, of `n` entries and `lines` burst lines. */
export function unpackMeta(packed: PackedMeta, first: number, n: number, lines: number): Meta {
  const m = emptyMeta(n, lines);
  m.n = n;
  if (scratch.coded.length < packed.size) scratch.coded = new Uint8Array(packed.size * 1.25);
  const r = new Reader(inflateSync(packed.data, { out: scratch.coded.subarray(0, packed.size) }));
  const whole = r.byte() === 0;
  if (!whole) m.times.set(new Float64Array(r.bytes(n * 8).slice().buffer));
  let t = 0;
  let line = 0;
  for (let k = 0; k < n; k++) {
    if (whole) m.times[k] = t += r.signed();
    m.rows[k] = r.signed();
    const code = r.varint();
    m.prevs[k] = code === 0 ? -1 : code === 1 ? -2 : first + k - (code - 1);
    m.starts[k + 1] = (m.starts[k] ?? 0) + r.varint();
    m.burstAt[k] = line;
    if (code === 1) {
      const count = r.varint();
      for (let j = 0; j < count; j++, line++)
        m.burstRows[line] = r.signed() + (j > 0 ? (m.burstRows[line - 1] ?? 0) + 1 : 0);
    }
  }
  m.burstAt[n] = line;
  return m;
}

class Writer {
  private buf = new Uint8Array(1 << 14);
  private at = 0;

  byte(b: number): void {
    if (this.at === this.buf.length) this.grow(1);
    this.buf[this.at++] = b;
  }

  bytes(b: Uint8Array): void {
    if (this.at + b.length > this.buf.length) this.grow(b.length);
    this.buf.set(b, this.at);
    this.at += b.length;
  }

  varint(n: number): void {
    for (; n >= 0x80; n = Math.floor(n / 0x80)) this.byte((n % 0x80) | 0x80);
    this.byte(n);
  }

  signed(n: number): void {
    this.varint(n < 0 ? -2 * n - 1 : 2 * n);
  }

  done(): Uint8Array {
    return this.buf.subarray(0, this.at);
  }

  private grow(more: number): void {
    const grown = new Uint8Array(Math.max(this.buf.length * 2, this.at + more));
    grown.set(this.buf);
    this.buf = grown;
  }
}

class Reader {
  private at = 0;
  constructor(private readonly buf: Uint8Array) {}

  byte(): number {
    return this.buf[this.at++] ?? 0;
  }

  bytes(n: number): Uint8Array {
    this.at += n;
    return this.buf.subarray(this.at - n, this.at);
  }

  varint(): number {
    let n = 0;
    let scale = 1;
    for (let b = this.byte(); ; b = this.byte(), scale *= 0x80) {
      n += (b & 0x7f) * scale;
      if (b < 0x80) return n;
    }
  }

  signed(): number {
    const z = this.varint();
    return z % 2 === 1 ? -(z + 1) / 2 : z / 2;
  }
}
