import { describe, expect, it } from 'vitest';
import { CombiningCap, isZeroWidth, MAX_COMBINING } from '@/lib/replay/combining-cap';

const enc = new TextEncoder();
const dec = new TextDecoder();
const ACUTE = '\u0301';

function filterAll(text: string | Uint8Array, pieces = 1): Uint8Array {
  const bytes = typeof text === 'string' ? enc.encode(text) : text;
  const cap = new CombiningCap();
  const out: number[] = [];
  const step = Math.max(1, Math.ceil(bytes.length / pieces));
  for (let i = 0; i < bytes.length; i += step) out.push(...cap.filter(bytes.subarray(i, i + step)));
  return Uint8Array.from(out);
}

describe('CombiningCap', () => {
  it('passes ordinary text untouched, as the same bytes', () => {
    const text = 'ls -la 日本語 👨‍👩‍👧‍👦 🏳️‍🌈 e\u0301 ﷺ \x1b[31mred\x1b[0m\r\n';
    const bytes = enc.encode(text);
    expect(new CombiningCap().filter(bytes)).toBe(bytes);
    expect(dec.decode(filterAll(text, 7))).toBe(text);
  });

  it(`keeps ${MAX_COMBINING} zero-width code points in a row and drops the rest`, () => {
    const cap = new CombiningCap();
    const out = dec.decode(cap.filter(enc.encode(`e${ACUTE.repeat(100_000)}x`)));
    expect(out).toBe(`e${ACUTE.repeat(MAX_COMBINING)}x`);
    expect(cap.dropped).toBe(100_000 - MAX_COMBINING);
  });

  it('counts joiners and variation selectors, and any base character ends a run', () => {
    const run = '\u200d'.repeat(40) + '\ufe0f'.repeat(40);
    expect(dec.decode(filterAll(`${run}a${ACUTE.repeat(5)}`))).toBe(
      `${run.slice(0, MAX_COMBINING)}a${ACUTE.repeat(5)}`,
    );
    expect(dec.decode(filterAll(`a${ACUTE.repeat(30)}b${ACUTE.repeat(30)}`))).toBe(
      `a${ACUTE.repeat(30)}b${ACUTE.repeat(30)}`,
    );
  });

  it('gives the same bytes however the stream is cut', () => {
    const text = `x${'\u{1d167}'.repeat(50)}日${ACUTE.repeat(70)}🏳️‍🌈${'\u0489'.repeat(40)}\r\n`;
    const whole = filterAll(text);
    expect(dec.decode(whole)).toBe(
      `x${'\u{1d167}'.repeat(MAX_COMBINING)}日${ACUTE.repeat(MAX_COMBINING)}🏳️‍🌈${'\u0489'.repeat(MAX_COMBINING)}\r\n`,
    );
    for (const pieces of [2, 3, 5, 17, 101, enc.encode(text).length])
      expect(filterAll(text, pieces)).toEqual(whole);
  });

  it('passes invalid UTF-8 through byte for byte', () => {
    const bytes = Uint8Array.from([
      0x41, 0xff, 0xc3, 0x28, 0xe2, 0x82, 0x41, 0xf0, 0x9f, 0x80, 0xc0, 0x80,
    ]);
    expect(filterAll(bytes)).toEqual(bytes);
    expect(filterAll(bytes, bytes.length)).toEqual(bytes);
  });

  it('starts over after reset', () => {
    const cap = new CombiningCap();
    cap.filter(enc.encode(`e${ACUTE.repeat(MAX_COMBINING)}`));
    cap.filter(Uint8Array.from([0xcc])); // half of an accent, held
    cap.reset();
    expect(dec.decode(cap.filter(enc.encode(`${ACUTE}z`)))).toBe(`${ACUTE}z`);
  });

  it('knows which code points are zero-width', () => {
    for (const cp of [0x0301, 0x200d, 0xfe0f, 0x20dd, 0x1d167, 0xe0001])
      expect(isZeroWidth(cp)).toBe(true);
    for (const cp of [0x41, 0x3042, 0x1f600, 0xad + 1, 0x110000])
      expect(isZeroWidth(cp)).toBe(false);
  });
});
