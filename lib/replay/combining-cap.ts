// xterm.js stacks every zero-width code point (combining marks, joiners,
// variation selectors) onto the cell before it, and its DOM renderer lays out
// that cell's whole stack on every frame. One cell with 100,000 combining
// accents takes Chromium minutes to draw (measured: over 60 s for 200 KB of
// them, while 900 KB of CJK text draws in 0.6 s). No script stacks more than
// a handful on one character, so runs beyond MAX_COMBINING are dropped before
// the terminal sees them, in the visible terminal and the keyframe shadow
// alike, so that keyframes restore to exactly what a replay from the start shows.

/** Zero-width code points kept in a row; the rest of a longer run is dropped. */
export const MAX_COMBINING = 32;

const ZERO_WIDTH = /^[\p{M}\p{Cf}]$/u;

/** 1 where a BMP code point is zero-width; built on first use. */
let bmpTable: Uint8Array | null = null;

function table(): Uint8Array {
  if (bmpTable) return bmpTable;
  const t = new Uint8Array(0x10000);
  // Nothing below U+00AD is a mark or a format character.
  for (let cp = 0xad; cp < 0x10000; cp++) {
    if (cp >= 0xd800 && cp <= 0xdfff) continue;
    if (ZERO_WIDTH.test(String.fromCharCode(cp))) t[cp] = 1;
  }
  bmpTable = t;
  return t;
}

export function isZeroWidth(cp: number): boolean {
  if (cp < 0x10000) return table()[cp] === 1;
  return cp <= 0x10ffff && ZERO_WIDTH.test(String.fromCodePoint(cp));
}

/** Length of the UTF-8 sequence a lead byte starts (1 for anything else). */
function sequenceLength(lead: number): number {
  if (lead >= 0xf0 && lead <= 0xf4) return 4;
  if (lead >= 0xe0) return lead <= 0xef ? 3 : 1;
  if (lead >= 0xc2) return 2;
  return 1;
}

/**
 * A streaming filter over UTF-8 output: drops the zero-width code points of
 * a run past MAX_COMBINING. Everything else passes byte for byte, including
 * invalid UTF-8 (the terminal shows it as it would have). A sequence cut at
 * the end of one chunk is held and completed by the next.
 */
export class CombiningCap {
  private run = 0;
  private held: Uint8Array = new Uint8Array(0);
  /** Code points dropped so far. */
  dropped = 0;

  reset(): void {
    this.run = 0;
    this.held = new Uint8Array(0);
  }

  filter(chunk: Uint8Array): Uint8Array {
    let data = chunk;
    if (this.held.length > 0) {
      data = new Uint8Array(this.held.length + chunk.length);
      data.set(this.held);
      data.set(chunk, this.held.length);
      this.held = new Uint8Array(0);
    }
    const zw = table();
    let out: Uint8Array | null = null;
    let outLength = 0;
    let kept = 0; // start of the bytes not yet copied to out
    let i = 0;
    const n = data.length;
    while (i < n) {
      const b = data[i] as number;
      if (b < 0x80) {
        this.run = 0;
        i += 1;
        continue;
      }
      const len = sequenceLength(b);
      if (i + len > n) {
        // Possibly cut by the chunk boundary: hold it (unless it cannot be one).
        let valid = true;
        for (let j = i + 1; j < n; j++) if (((data[j] as number) & 0xc0) !== 0x80) valid = false;
        if (valid && len > 1) {
          this.held = data.slice(i);
          break;
        }
        this.run = 0;
        i += 1;
        continue;
      }
      let cp = len === 1 ? -1 : b & (0xff >> (len + 1));
      for (let j = 1; j < len && cp >= 0; j++) {
        const c = data[i + j] as number;
        cp = (c & 0xc0) === 0x80 ? (cp << 6) | (c & 0x3f) : -1;
      }
      if (cp < 0) {
        this.run = 0;
        i += 1;
        continue;
      }
      const zero = cp < 0x10000 ? zw[cp] === 1 : isZeroWidth(cp);
      if (!zero) {
        this.run = 0;
      } else if (++this.run > MAX_COMBINING) {
        out ??= new Uint8Array(n);
        out.set(data.subarray(kept, i), outLength);
        outLength += i - kept;
        kept = i + len;
        this.dropped += 1;
      }
      i += len;
    }
    const end = this.held.length > 0 ? n - this.held.length : n;
    if (!out) return end === data.length ? data : data.subarray(0, end);
    out.set(data.subarray(kept, end), outLength);
    outLength += end - kept;
    return out.subarray(0, outLength);
  }
}
