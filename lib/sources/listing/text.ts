import { outputMoment } from '@/lib/tlog';
import type { SnippetPart } from '../types';

// Search snippets and the moment of a match. Recorded output is untrusted:
// snippets are plain text parts (React escapes them), with terminal control
// sequences and control characters removed, never HTML.

/** CSI, OSC (BEL or ST terminated, or cut off), other ESC sequences, C0/C1 controls. */
const CONTROL =
  /\u001b\[[0-?]*[ -/]*[@-~]?|\u001b\][^\u0007\u001b]*(?:\u0007|\u001b\\)?|\u001b[PX^_][^\u001b]*(?:\u001b\\)?|\u001b[ -/]*[0-~]?|[\u0000-\u001f\u007f-\u009f]/g;

/**
 * The text with escape sequences and controls turned into spaces (as
 * auditty's index template does), with, for each kept character, its index
 * in the raw text.
 */
export function cleanText(raw: string): { text: string; map: number[] } {
  let text = '';
  const map: number[] = [];
  let last = 0;
  const keep = (from: number, to: number) => {
    for (let i = from; i < to; i++) {
      text += raw[i];
      map.push(i);
    }
  };
  for (const m of raw.matchAll(CONTROL)) {
    keep(last, m.index);
    text += ' ';
    map.push(m.index);
    last = m.index + m[0].length;
  }
  keep(last, raw.length);
  return { text, map };
}

/** A highlighted text (hits between `pre` and `post`) as raw text plus hit ranges. */
export function splitHighlight(highlighted: string, pre: string, post: string) {
  let raw = '';
  const hits: [number, number][] = [];
  let rest = highlighted;
  for (;;) {
    const open = rest.indexOf(pre);
    if (open < 0) break;
    const close = rest.indexOf(post, open + pre.length);
    if (close < 0) break;
    raw += rest.slice(0, open);
    const start = raw.length;
    raw += rest.slice(open + pre.length, close);
    hits.push([start, raw.length]);
    rest = rest.slice(close + post.length);
  }
  raw += rest;
  return { raw: raw.replaceAll(pre, '').replaceAll(post, ''), hits };
}

/**
 * A highlight's text and hits, placed in the field's own text. OpenSearch
 * returns a whole field (number_of_fragments 0) trimmed of leading and
 * trailing characters up to U+0020 (Java's String.trim: escape sequences'
 * ESC, line ends), so its offsets start after them; Elasticsearch returns
 * the field as stored.
 */
export function alignHighlight(
  text: string,
  split: { raw: string; hits: [number, number][] },
): { raw: string; hits: [number, number][] } {
  if (split.raw === text) return split;
  const at = text.indexOf(split.raw);
  if (at < 0 || split.raw === '') return split;
  return { raw: text, hits: split.hits.map(([s, e]) => [s + at, e + at]) };
}

const BEFORE = 50;
const AFTER = 110;

/** A short snippet around the first hit: parts of clean text, hits marked. */
export function buildSnippet(raw: string, hits: [number, number][]): SnippetPart[] {
  const { text, map } = cleanText(raw);
  const isHit = (rawIndex: number) => hits.some(([s, e]) => rawIndex >= s && rawIndex < e);
  const chars = Array.from(text);
  // Code point positions in `chars` back to UTF-16 positions in `text`.
  const offsets: number[] = [];
  let at = 0;
  for (const c of chars) {
    offsets.push(at);
    at += c.length;
  }
  const flags = offsets.map((o) => isHit(map[o] ?? -1));
  const first = Math.max(0, flags.indexOf(true));
  const from = Math.max(0, first - BEFORE);
  const to = Math.min(chars.length, first + AFTER);
  const body: SnippetPart[] = [];
  for (let i = from; i < to; i++) {
    const hit = flags[i] ?? false;
    const last = body[body.length - 1];
    if (last && last.hit === hit) last.text += chars[i] ?? '';
    else body.push({ text: chars[i] ?? '', hit });
  }
  const parts = body.map((p) => ({ ...p, text: p.text.replace(/\s+/g, ' ') }));
  const head = parts[0];
  if (head && !head.hit) head.text = head.text.trimStart();
  const tail = parts[parts.length - 1];
  if (tail && !tail.hit) tail.text = tail.text.trimEnd();
  return [
    ...(from > 0 ? [{ text: '… ', hit: false }] : []),
    ...parts.filter((p) => p.text !== ''),
    ...(to < chars.length ? [{ text: ' …', hit: false }] : []),
  ];
}

/**
 * When a search hit is printed: the moment the last character of the first
 * hit (`hits` are UTF-16 ranges of `text`, the message's out_txt) appears.
 */
export function hitMoment(
  message: { pos: number; timing: string },
  text: string,
  hits: [number, number][],
): number {
  const end = hits[0]?.[1];
  return end === undefined ? message.pos : outputMoment(message, codePointIndex(text, end));
}

/** Code points before UTF-16 index `index` of `text`. */
export function codePointIndex(text: string, index: number): number {
  let n = 0;
  for (let i = 0; i < index && i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c < 0xd800 || c > 0xdbff) n += 1;
  }
  return n;
}
