// Reading a message's timing script (docs/tlog-format.md, "The timing
// script"): the scanner every reader of the grammar walks, and what a list
// or a search needs from a script without decoding the message (its end, its
// input, the moment of an output character). Decoding into events is
// timing.ts.

/** tlog's TLOG_DELAY_MAX_MS_NUM: the largest `pos` or `+N` delay tlog accepts. */
export const MAX_DELAY_MS = 2_147_483_647_999;

// One record: `+N`, `>N`, `<N`, `]N/M`, `[N/M` or `=WxH`, after optional
// whitespace (the C locale's isspace set, as tlog skips), N, M, W and H
// decimal digits (at least one each). The one reading of the grammar
// (docs/tlog-format.md, "The timing script"): the decoder, a message's end
// and the moment of an output character all walk it here. A hand-written
// scanner rather than a regular expression: the timing script is read for
// every message the player, the exports and the summarizer see, and a match
// with seven captures per record was a third of the decoder's time.

/** What a timing record does; `a` and `b` are its numbers (0 where it has fewer). */
export type TimingOp = '+' | '>' | '<' | ']' | '[' | '=';

/**
 * Called for each record in order: `+N` (a = N), `>N` / `<N` (a = N
 * characters), `]N/M` / `[N/M` (a = N placeholders, b = M bytes), `=WxH`
 * (a = W, b = H). `offset` is where the record starts in the script.
 * Returning true stops the walk.
 */
export type TimingVisitor = (op: TimingOp, a: number, b: number, offset: number) => boolean | void;

/** Space, tab, line feed, vertical tab, form feed, carriage return. */
const isSpace = (c: number) => c === 0x20 || (c >= 0x09 && c <= 0x0d);
const isDigit = (c: number) => c >= 0x30 && c <= 0x39;
/** More digits than this and the number is not exact as a double: Infinity (always refused). */
const MAX_DIGITS = 15;

/** The value of the last number readNumber read (one module-level slot: no allocation per record). */
let numberRead = 0;

/** Reads the decimal at `from` into numberRead; returns where it ends, or -1 if no digit is there. */
function readNumber(script: string, from: number): number {
  let j = from;
  let value = 0;
  while (j < script.length) {
    const c = script.charCodeAt(j);
    if (!isDigit(c)) break;
    value = value * 10 + (c - 0x30);
    j++;
  }
  if (j === from) return -1;
  numberRead = j - from > MAX_DIGITS ? Infinity : value;
  return j;
}

/**
 * Walks a timing script. Returns null when it was read to its end (or the
 * visitor stopped it), else the offset of the first malformed record, where
 * the walk stopped.
 */
export function scanTiming(script: string, visit: TimingVisitor): number | null {
  const length = script.length;
  let i = 0;
  while (i < length) {
    const start = i;
    while (i < length && isSpace(script.charCodeAt(i))) i++;
    if (i === length) return null;
    const op = script[i] as TimingOp;
    let end: number;
    let a = 0;
    let b = 0;
    if (op === '+' || op === '<' || op === '>') {
      end = readNumber(script, i + 1);
      a = numberRead;
    } else if (op === '[' || op === ']' || op === '=') {
      const separator = op === '=' ? 0x78 /* x */ : 0x2f; /* / */
      end = readNumber(script, i + 1);
      a = numberRead;
      if (end >= 0) {
        end = script.charCodeAt(end) === separator ? readNumber(script, end + 1) : -1;
        b = numberRead;
      }
    } else {
      return start;
    }
    if (end < 0) return start;
    if (visit(op, a, b, start)) return null;
    i = end;
  }
  return null;
}

/**
 * Whether a delay at `t` is one tlog accepts: at most TLOG_DELAY_MAX_MS_NUM,
 * and not running past it (an `end` must stay a time tlog can express).
 */
export function delayError(t: number, delay: number, offset: number): string | null {
  if (delay > MAX_DELAY_MS) return `delay at offset ${offset} is too long`;
  if (t + delay > MAX_DELAY_MS) return `delay at offset ${offset} runs past tlog's largest time`;
  return null;
}

/**
 * When a message's last event happens: `pos` plus its delays, up to the first
 * malformed record or delay tlog refuses. The decoder's `end` is this same
 * time (a message whose text or bytes run short still ends after all its
 * delays), so a list can compute a recording's duration from its last
 * message's `pos` and `timing` alone.
 */
export function messageEnd(pos: number, timing: string): number {
  let t = pos;
  scanTiming(timing, (op, a, _b, offset) => {
    if (op !== '+') return false;
    if (delayError(t, a, offset)) return true;
    t += a;
    return false;
  });
  return t;
}

/**
 * Whether the message holds typed input: a `<N` or `[N/M` record that gives
 * the terminal at least one byte (what makes an input event).
 */
export function messageHasInput(timing: string): boolean {
  let input = false;
  scanTiming(timing, (op, a, b) => {
    input = (op === '<' && a > 0) || (op === '[' && b > 0);
    return input;
  });
  return input;
}

/**
 * When output character number `chars` (a count of code points of
 * `out_txt`, U+FFFD placeholders included) has been printed, in ms from the
 * recording's start: `>N` prints N characters, `]N/M` stands for N
 * placeholders. Past the last character, the time of the last record.
 */
export function outputMoment(message: { pos: number; timing: string }, chars: number): number {
  let t = message.pos;
  let printed = 0;
  scanTiming(message.timing, (op, a, _b, offset) => {
    if (op === '+') {
      if (delayError(t, a, offset)) return true;
      t += a;
    } else if (op === '>' || op === ']') {
      printed += a;
      if (printed >= chars) return true;
    }
    return false;
  });
  return t;
}
