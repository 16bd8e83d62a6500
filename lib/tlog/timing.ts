// Decoding of one message's timing script into events (docs/tlog-format.md,
// "The timing script"; the events are docs/timeline.md's model).
//
// Characters are Unicode code points: `>3` takes three code points of
// `out_txt`, whatever their UTF-16 length. `]N/M` skips N placeholder
// characters (each an U+FFFD standing for bytes that were not valid UTF-8) and
// emits the next M bytes of `out_bin` instead. Delays accumulate from `pos`.
//
// The rules and limits are those of tlog's reader (lib/tlog/json_msg.c), so
// that the output bytes equal what `tlog-play` writes: records may be
// separated by ASCII whitespace, `+0` and zero-length I/O are no-ops, a delay
// is at most TLOG_DELAY_MAX_MS_NUM, a window side at most 65535. Where tlog
// refuses a whole message, this decoder keeps what decoded before the damage
// and says why.

import { concatBytes } from './bytes';
import type { TlogMessage } from './message';

/** A timeline event. `t` is in ms from the recording's first event. */
export type TimelineEvent =
  | { kind: 'output'; t: number; data: Uint8Array }
  | { kind: 'input'; t: number; data: Uint8Array }
  /** The recorded size, 0..65535 each (a pty that was never sized reports 0x0): consumers clamp. */
  | { kind: 'window'; t: number; cols: number; rows: number }
  | { kind: 'gap'; t: number; firstMissingId: number; missing: number };

export interface DecodedMessage {
  events: TimelineEvent[];
  /** Time of the message's last event: pos plus all its delays. */
  end: number;
  /**
   * Set when the message is damaged: a malformed script, a record that
   * overruns the text or bytes, or text and bytes the script never uses.
   * `events` hold what decoded before the damage.
   */
  error?: string;
}

/** tlog's TLOG_DELAY_MAX_MS_NUM: the largest `pos` or `+N` delay tlog accepts. */
export const MAX_DELAY_MS = 2_147_483_647_999;
/** tlog stores window sides as unsigned short. */
export const MAX_WINDOW_SIDE = 65_535;

const encoder = new TextEncoder();
const EMPTY = new Uint8Array(0);

/**
 * Messages' text is encoded into shared slabs rather than an array each:
 * events are views into them. A slab is at least 1 MiB; text that does not
 * fit in the rest of the current one starts a new one.
 */
const SLAB = 1 << 20;
let slab = new Uint8Array(0);
let slabUsed = 0;

function encodeText(text: string): Uint8Array {
  // UTF-8 takes at most 3 bytes per UTF-16 code unit.
  const room = text.length * 3;
  if (slab.length - slabUsed < room) {
    slab = new Uint8Array(Math.max(SLAB, room));
    slabUsed = 0;
  }
  const { written } = encoder.encodeInto(text, slab.subarray(slabUsed));
  const bytes = slab.subarray(slabUsed, slabUsed + written);
  slabUsed += written;
  return bytes;
}

class TimingError extends Error {}

/** Length of the UTF-8 sequence a lead byte starts (the input is valid UTF-8 from TextEncoder). */
function sequenceLength(lead: number): number {
  if (lead < 0x80) return 1;
  if (lead < 0xe0) return 2;
  if (lead < 0xf0) return 3;
  return 4;
}

/**
 * A cursor over one stream (output or input): the text as UTF-8 bytes walked
 * a code point at a time, as tlog does, and the raw bytes of `*_bin`.
 */
class StreamCursor {
  private readonly text: Uint8Array;
  /**
   * Every character is ASCII (one byte, one code point): the common case,
   * where counting code points is arithmetic instead of a walk (UTF-8 is
   * never shorter than UTF-16, and as long only when all of it is ASCII).
   */
  private readonly ascii: boolean;
  private textPos = 0;
  private binPos = 0;

  constructor(
    text: string,
    private readonly bin: number[],
    private readonly name: string,
  ) {
    this.text = text === '' ? EMPTY : encodeText(text);
    this.ascii = this.text.length === text.length;
  }

  /** Advances over `count` code points; returns the byte offset where they start. */
  private skip(count: number, what: string): number {
    const start = this.textPos;
    if (this.ascii) {
      if (count > this.text.length - start) {
        throw new TimingError(`timing ${what} more ${this.name} text than the message holds`);
      }
      this.textPos = start + count;
      return start;
    }
    let pos = start;
    for (let i = 0; i < count; i++) {
      const lead = this.text[pos];
      if (lead === undefined) {
        throw new TimingError(`timing ${what} more ${this.name} text than the message holds`);
      }
      pos += sequenceLength(lead);
    }
    this.textPos = pos;
    return start;
  }

  chars(count: number): Uint8Array {
    const start = this.skip(count, 'asks for');
    return this.text.subarray(start, this.textPos);
  }

  /**
   * Skips `skip` placeholders and takes `count` raw bytes. Returns the bytes,
   * and whether every skipped character was U+FFFD as tlog's writer puts
   * there (tlog-play does not check; the bytes are emitted either way).
   */
  binary(skip: number, count: number): { bytes: Uint8Array; placeholders: boolean } {
    const start = this.skip(skip, 'skips');
    let placeholders = true;
    for (let i = start; i < this.textPos; i += 3) {
      if (this.text[i] !== 0xef || this.text[i + 1] !== 0xbf || this.text[i + 2] !== 0xbd) {
        placeholders = false;
        break;
      }
    }
    if (count > this.bin.length - this.binPos) {
      throw new TimingError(`timing asks for more ${this.name} bytes than the message holds`);
    }
    const bytes = Uint8Array.from(this.bin.slice(this.binPos, this.binPos + count));
    this.binPos += count;
    return { bytes, placeholders };
  }

  /** What the script left unused, or null. */
  leftover(): string | null {
    let chars = this.ascii ? this.text.length - this.textPos : 0;
    for (let pos = this.ascii ? this.text.length : this.textPos; pos < this.text.length; chars++) {
      pos += sequenceLength(this.text[pos] ?? 0);
    }
    const bytes = this.bin.length - this.binPos;
    if (chars === 0 && bytes === 0) return null;
    const parts = [];
    if (chars > 0) parts.push(`${chars} character${chars === 1 ? '' : 's'} of ${this.name} text`);
    if (bytes > 0) parts.push(`${bytes} ${this.name} byte${bytes === 1 ? '' : 's'}`);
    return `timing leaves ${parts.join(' and ')} unused`;
  }
}

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
function delayError(t: number, delay: number, offset: number): string | null {
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

/**
 * Decodes a message's timing script. Consecutive chunks of the same stream at
 * the same moment are merged into one event. Never throws: a damaged script
 * yields the events decoded before the damage, an error, and the `end` that
 * messageEnd gives (every well-formed delay counts).
 */
export function decodeTiming(message: TlogMessage): DecodedMessage {
  const out = new StreamCursor(message.out_txt, message.out_bin, 'output');
  const inp = new StreamCursor(message.in_txt, message.in_bin, 'input');
  const events: TimelineEvent[] = [];
  let t = message.pos;
  // Chunks of the event being built, merged when the stream or time changes.
  let pending: { kind: 'output' | 'input'; t: number; parts: Uint8Array[] } | null = null;

  const flush = () => {
    if (pending)
      events.push({ kind: pending.kind, t: pending.t, data: concatBytes(pending.parts) });
    pending = null;
  };
  const push = (kind: 'output' | 'input', data: Uint8Array) => {
    if (data.length === 0) return;
    if (pending && pending.kind === kind && pending.t === t) {
      const last = pending.parts[pending.parts.length - 1];
      // Text records read on from where the last one ended, in the same
      // encoded buffer: the merged chunk is a longer view of it, not a copy.
      if (last && last.buffer === data.buffer && last.byteOffset + last.length === data.byteOffset)
        pending.parts[pending.parts.length - 1] = new Uint8Array(
          last.buffer,
          last.byteOffset,
          last.length + data.length,
        );
      else pending.parts.push(data);
    } else {
      flush();
      pending = { kind, t, parts: [data] };
    }
  };

  // Damage that does not stop decoding: the first one found is reported.
  let damage: string | undefined;
  // Damage that does: no more events, but the delays after it still count
  // towards `end` (messageEnd's rule).
  let broken: string | undefined;
  const malformed = scanTiming(message.timing, (op, a, b, offset) => {
    if (op === '+') {
      const refused = delayError(t, a, offset);
      if (refused) {
        broken ??= refused;
        return true;
      }
      t += a;
      return false;
    }
    if (broken) return false;
    try {
      if (op === '>') {
        push('output', out.chars(a));
      } else if (op === '<') {
        push('input', inp.chars(a));
      } else if (op === ']' || op === '[') {
        const taken = (op === ']' ? out : inp).binary(a, b);
        damage ??= taken.placeholders
          ? undefined
          : `binary record at offset ${offset} skips text that is not U+FFFD`;
        push(op === ']' ? 'output' : 'input', taken.bytes);
      } else {
        if (a > MAX_WINDOW_SIDE || b > MAX_WINDOW_SIDE) {
          throw new TimingError(`window size at offset ${offset} is out of range`);
        }
        flush();
        events.push({ kind: 'window', t, cols: a, rows: b });
      }
    } catch (err) {
      if (!(err instanceof TimingError)) throw err;
      broken = err.message;
    }
    return false;
  });
  flush();
  if (malformed !== null) broken ??= `bad timing record at offset ${malformed}`;
  const error = broken ?? damage ?? out.leftover() ?? inp.leftover() ?? undefined;
  return error ? { events, end: t, error: `message ${message.id}: ${error}` } : { events, end: t };
}
