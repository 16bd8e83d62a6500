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
import { delayError, scanTiming } from './timing-script';

export * from './timing-script';

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
