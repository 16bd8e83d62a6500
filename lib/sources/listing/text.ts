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

/** Code points before UTF-16 index `index` of `text`. */
export function codePointIndex(text: string, index: number): number {
  let n = 0;
  for (let i = 0; i < index && i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c < 0xd800 || c > 0xdbff) n += 1;
  }
  return n;
}

/**
 * When output character `chars` (a count of code points of out_txt, placeholders
 * included) has been printed, in ms from the recording start: walks the timing
 * script, whose `>N` and `]N/M` records print N characters each.
 */
export function momentOfOutput(message: { pos: number; timing: string }, chars: number): number {
  let t = message.pos;
  let printed = 0;
  for (const [, op, n] of message.timing.matchAll(/([+<>\][=])(\d+)/g)) {
    if (op === '+') t += Number(n);
    else if (op === '>' || op === ']') {
      printed += Number(n);
      if (printed >= chars) return t;
    }
  }
  return t;
}

const RECORD = /[ \t\n\v\f\r]*(?:([+<>])(\d+)|([[\]])(\d+)\/(\d+)|=(\d+)x(\d+))/y;

/**
 * When a message's last event happens: pos plus its delays, as lib/tlog's
 * decoder computes it, without decoding the text (a list summarizes many
 * recordings; only this is needed of their last message). Stops at a damaged
 * record, as the decoder does.
 */
export function messageEnd(pos: number, timing: string): number {
  RECORD.lastIndex = 0;
  let t = pos;
  while (RECORD.lastIndex < timing.length) {
    const m = RECORD.exec(timing);
    if (!m) break;
    if (m[1] === '+') t += m[2] && m[2].length <= 15 ? Number(m[2]) : 0;
  }
  return t;
}
