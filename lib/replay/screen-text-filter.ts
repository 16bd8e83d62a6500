// The trigram filter of a compressed chunk of the screen text index
// (screen-text-store.ts, docs/find.md): a bit set of the chunk's trigrams,
// so that a search inflates only the chunks that can hold its literal text.
// It may say yes wrongly, never no wrongly.
//
// Trigrams are folded so that one filter serves every kind of match: ASCII
// letters lowercased, and the only two other characters that match an ASCII
// letter under /iu (simple case folding: U+017F ſ is s, U+212A K is k) taken
// as that letter. A trigram with any other non-ASCII character is left out,
// in the text and in the query alike: a query without an ASCII trigram
// inflates every chunk.

/** Bits per distinct trigram (one hash: about 1 in 6 wrong yeses per trigram). */
const BITS_PER_TRIGRAM = 6;
const MIN_BITS = 256;
const MAX_BITS = 1 << 16;

/** A character folded to 0..127, or -1 (not in a trigram). */
function fold(c: number): number {
  if (c < 128) return c >= 65 && c <= 90 ? c + 32 : c;
  if (c === 0x17f) return 115; // ſ
  if (c === 0x212a) return 107; // K (Kelvin sign)
  return -1;
}

/** Calls `each` with each folded trigram of `text` as a 21-bit code, repeats included. */
function forTrigrams(text: string, each: (code: number) => void): void {
  let a = -1;
  let b = -1;
  for (let i = 0; i < text.length; i++) {
    const c = fold(text.charCodeAt(i));
    if (a >= 0 && b >= 0 && c >= 0) each((a << 14) | (b << 7) | c);
    a = b;
    b = c;
  }
}

const hash = (code: number, shift: number): number => Math.imul(code, 0x9e3779b1) >>> shift;

/** Scratch for the distinct trigrams of one text: a bit per possible code (256 KiB). */
const seen = new Uint8Array(1 << 18);

/** The filter of `text`: a bit set whose size (a power of two) follows its distinct trigrams. */
export function trigramFilter(text: string): Uint32Array {
  const codes: number[] = [];
  // (forTrigrams inlined: this runs on every character the index seals.)
  let a = -1;
  let b = -1;
  for (let i = 0; i < text.length; i++) {
    const c = fold(text.charCodeAt(i));
    if (a >= 0 && b >= 0 && c >= 0) {
      const code = (a << 14) | (b << 7) | c;
      const bit = 1 << (code & 7);
      if (((seen[code >>> 3] ?? 0) & bit) === 0) {
        seen[code >>> 3] = (seen[code >>> 3] ?? 0) | bit;
        codes.push(code);
      }
    }
    a = b;
    b = c;
  }
  let bits = MIN_BITS;
  while (bits < codes.length * BITS_PER_TRIGRAM && bits < MAX_BITS) bits *= 2;
  const filter = new Uint32Array(bits / 32);
  const shift = 32 - Math.log2(bits);
  for (const code of codes) {
    seen[code >>> 3] = 0;
    const h = hash(code, shift);
    filter[h >>> 5] = (filter[h >>> 5] ?? 0) | (1 << (h & 31));
  }
  return filter;
}

/** The distinct folded trigrams of a query's literal text (none: it filters nothing). */
export function queryTrigrams(literal: string | null): number[] {
  const grams = new Set<number>();
  if (literal) forTrigrams(literal, (code) => grams.add(code));
  return [...grams];
}

/** Whether a text with this filter can hold all of `grams`. */
export function mayHold(filter: Uint32Array, grams: readonly number[]): boolean {
  const shift = 32 - Math.log2(filter.length * 32);
  for (const code of grams) {
    const h = hash(code, shift);
    if (((filter[h >>> 5] ?? 0) & (1 << (h & 31))) === 0) return false;
  }
  return true;
}
