// Where the screen text index (screen-text.ts, docs/find.md) keeps its
// entries. The newest block of up to 4,096 is open: its texts as strings,
// its per-entry data in typed arrays. A full block is sealed: cut into
// chunks of about CHUNK characters of whole entries, each with its text
// joined with "\n", front-coded and deflated, its per-entry data packed
// (screen-text-codec.ts), and a trigram filter (screen-text-filter.ts) so
// that a search unpacks only the chunks that can hold its literal text. The
// last few chunks unpacked are kept for the next look.

import {
  emptyMeta,
  grownMeta,
  metaBytes,
  packMeta,
  packText,
  sliceMeta,
  unpackMeta,
  unpackText,
  type Meta,
  type PackedMeta,
  type PackedText,
} from './screen-text-codec';
import { trigramFilter } from './screen-text-filter';

/** Entries per block. */
export const BLOCK = 4096;
/** About how many characters of text a sealed chunk holds (an entry is never cut). */
const CHUNK = 32 * 1024;
/** Unpacked chunks kept (the one searched, and those of the entries its hits' rows showed before). */
const KEEP = 16;
/** The open block's first room, in entries (it grows to BLOCK). */
const FIRST_ROOM = 256;
/** About what V8 takes for an object or a typed array besides its contents. */
const OVERHEAD = 64;
/** About what V8 takes for a string besides its characters, and its slot in an array. */
const STRING = 20;

/** A sealed chunk: entries [first, end). */
export interface Chunk {
  first: number;
  end: number;
  filter: Uint32Array;
  text: PackedText;
  meta: PackedMeta;
  /** Burst lines in its entries. */
  lines: number;
}

/** A sealed chunk unpacked: its per-entry data, and its text once asked for. */
interface Unpacked {
  meta: Meta;
  text: string | null;
}

/** Entry k of `meta`'s entries. */
export interface At {
  meta: Meta;
  k: number;
}

export class EntryStore {
  /** Per sealed block: its chunks. */
  private sealed: Chunk[][] = [];
  private open: Meta = emptyMeta(FIRST_ROOM, FIRST_ROOM);
  private texts: string[] = [];
  private size = 0;
  /** Bytes held by sealed blocks, and by the open block's strings. */
  private sealedBytes = 0;
  private textBytes = 0;
  private unpacked = new Map<Chunk, Unpacked>();
  /** The chunk last unpacked or looked at, and its data. */
  private newest: Chunk | null = null;
  private newestUnpacked: Unpacked | null = null;

  get length(): number {
    return this.size;
  }

  /**
   * What the store holds, in bytes: the sealed chunks' packed data and
   * filters; the open block's typed arrays, and its strings at a byte a
   * character (two with any character past Latin-1, as V8 keeps them) and
   * STRING each; and what it keeps unpacked (text at two bytes a character).
   */
  get bytes(): number {
    let kept = 0;
    for (const u of this.unpacked.values())
      kept += metaBytes(u.meta) + (u.text?.length ?? 0) * 2 + 2 * OVERHEAD;
    return this.sealedBytes + metaBytes(this.open) + this.textBytes + kept;
  }

  /** Adds an entry (a burst: `prev` -2 and each line's row in `burstRows`); returns its index. */
  add(
    t: number,
    row: number,
    text: string,
    prev: number,
    burstRows: readonly number[] = [],
  ): number {
    if (this.open.n === this.open.times.length)
      this.open = grownMeta(this.open, Math.min(BLOCK, this.open.n * 2));
    const m = this.open;
    const k = m.n;
    m.times[k] = t;
    m.rows[k] = row;
    m.prevs[k] = prev;
    m.starts[k + 1] = (m.starts[k] ?? 0) + text.length + 1;
    const lines = m.burstAt[k] ?? 0;
    if (lines + burstRows.length > m.burstRows.length) {
      const grown = new Int16Array(Math.ceil((lines + burstRows.length) * 1.5));
      grown.set(m.burstRows);
      m.burstRows = grown;
    }
    m.burstRows.set(burstRows, lines);
    m.burstAt[k + 1] = lines + burstRows.length;
    m.n += 1;
    this.texts.push(text);
    this.textBytes += STRING + text.length * (/[^\u0000-\u00ff]/.test(text) ? 2 : 1);
    this.size += 1;
    if (m.n === BLOCK) this.seal();
    return this.size - 1;
  }

  /** Where entry i's data is: the open block's, or its chunk's (unpacked). */
  at(i: number): At {
    const chunk = this.chunkOf(i);
    if (!chunk) return { meta: this.open, k: i % BLOCK };
    return { meta: this.unpack(chunk).meta, k: i - chunk.first };
  }

  time(i: number): number {
    const { meta, k } = this.at(i);
    return meta.times[k] ?? 0;
  }

  /** The text of entry i. */
  text(i: number): string {
    const chunk = this.chunkOf(i);
    if (!chunk) return this.texts[i % BLOCK] ?? '';
    const { meta } = this.unpack(chunk);
    const k = i - chunk.first;
    return this.textOf(chunk).slice(meta.starts[k], (meta.starts[k + 1] ?? 0) - 1);
  }

  /** The sealed chunk holding entry i, or null (it is in the open block). */
  chunkOf(i: number): Chunk | null {
    const chunks = this.sealed[Math.floor(i / BLOCK)];
    if (!chunks) return null;
    let lo = 0;
    let hi = chunks.length - 1;
    while (lo < hi) {
      const mid = (lo + hi + 1) >> 1;
      if ((chunks[mid]?.first ?? 0) <= i) lo = mid;
      else hi = mid - 1;
    }
    return chunks[lo] ?? null;
  }

  /** A sealed chunk's entries' texts, joined with "\n" (and one at the end). */
  textOf(chunk: Chunk): string {
    const u = this.unpack(chunk);
    u.text ??= unpackText(chunk.text);
    return u.text;
  }

  /** A sealed chunk's per-entry data. */
  metaOf(chunk: Chunk): Meta {
    return this.unpack(chunk).meta;
  }

  private unpack(chunk: Chunk): Unpacked {
    if (chunk === this.newest && this.newestUnpacked) return this.newestUnpacked;
    let u = this.unpacked.get(chunk);
    if (u) {
      // Made the newest (a Map iterates oldest first).
      this.unpacked.delete(chunk);
      this.unpacked.set(chunk, u);
    } else {
      u = {
        meta: unpackMeta(chunk.meta, chunk.first, chunk.end - chunk.first, chunk.lines),
        text: null,
      };
      this.unpacked.set(chunk, u);
      if (this.unpacked.size > KEEP)
        this.unpacked.delete(this.unpacked.keys().next().value as Chunk);
    }
    this.newest = chunk;
    this.newestUnpacked = u;
    return u;
  }

  private seal(): void {
    const m = this.open;
    const first = this.size - m.n;
    const chunks: Chunk[] = [];
    for (let k = 0; k < m.n;) {
      let end = k + 1;
      while (end < m.n && (m.starts[end] ?? 0) - (m.starts[k] ?? 0) < CHUNK) end += 1;
      const text = this.texts.slice(k, end).join('\n') + '\n';
      const packed = packText(text);
      const chunk: Chunk = {
        first: first + k,
        end: first + end,
        filter: trigramFilter(text),
        text: packed,
        meta: packMeta(sliceMeta(m, k, end), first + k),
        lines: (m.burstAt[end] ?? 0) - (m.burstAt[k] ?? 0),
      };
      chunks.push(chunk);
      this.sealedBytes +=
        chunk.text.data.byteLength +
        chunk.meta.data.byteLength +
        chunk.filter.byteLength +
        4 * OVERHEAD;
      k = end;
    }
    this.sealed.push(chunks);
    this.open = emptyMeta(FIRST_ROOM, FIRST_ROOM);
    this.texts = [];
    this.textBytes = 0;
  }
}
