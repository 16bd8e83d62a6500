// Decoding of one message's timing script into events (shared/TLOG_FORMAT.md).
//
// Characters are Unicode code points: `>3` takes three code points of
// `out_txt`, whatever their UTF-16 length. `]N/M` skips N placeholder
// characters (each an U+FFFD standing for bytes that were not valid UTF-8) and
// emits the next M bytes of `out_bin` instead. Delays accumulate from `pos`.

import type { TlogMessage } from './message';

/** A timeline event. `t` is in ms from the recording's first event. */
export type TimelineEvent =
  | { kind: 'output'; t: number; data: Uint8Array }
  | { kind: 'input'; t: number; data: Uint8Array }
  | { kind: 'window'; t: number; cols: number; rows: number }
  | { kind: 'gap'; t: number; firstMissingId: number; missing: number };

export interface DecodedMessage {
  events: TimelineEvent[];
  /** Time of the message's last event: pos plus all its delays. */
  end: number;
  /** Set when the script is malformed or overruns its text; events hold what decoded before. */
  error?: string;
}

const encoder = new TextEncoder();

/** A cursor over one stream (output or input): code points of text, and raw bytes. */
class StreamCursor {
  private readonly chars: string[];
  private charPos = 0;
  private binPos = 0;

  constructor(
    text: string,
    private readonly bin: number[],
    private readonly name: string,
  ) {
    this.chars = Array.from(text);
  }

  text(count: number): Uint8Array {
    if (this.charPos + count > this.chars.length) {
      throw new RangeError(`timing asks for more ${this.name} text than the message holds`);
    }
    const slice = this.chars.slice(this.charPos, this.charPos + count).join('');
    this.charPos += count;
    return encoder.encode(slice);
  }

  binary(skip: number, count: number): Uint8Array {
    if (this.charPos + skip > this.chars.length) {
      throw new RangeError(`timing skips more ${this.name} text than the message holds`);
    }
    if (this.binPos + count > this.bin.length) {
      throw new RangeError(`timing asks for more ${this.name} bytes than the message holds`);
    }
    this.charPos += skip;
    const bytes = Uint8Array.from(this.bin.slice(this.binPos, this.binPos + count));
    this.binPos += count;
    return bytes;
  }
}

function concat(a: Uint8Array, b: Uint8Array): Uint8Array {
  const out = new Uint8Array(a.length + b.length);
  out.set(a, 0);
  out.set(b, a.length);
  return out;
}

const RECORD = /\s*(?:([+<>])(\d+)|([[\]])(\d+)\/(\d+)|=(\d+)x(\d+))/y;

/**
 * Decodes a message's timing script. Consecutive chunks of the same stream at
 * the same moment are merged into one event. Never throws: a damaged script
 * yields the events decoded so far and an error.
 */
export function decodeTiming(message: TlogMessage): DecodedMessage {
  const out = new StreamCursor(message.out_txt, message.out_bin, 'output');
  const inp = new StreamCursor(message.in_txt, message.in_bin, 'input');
  const events: TimelineEvent[] = [];
  let t = message.pos;

  const push = (kind: 'output' | 'input', data: Uint8Array) => {
    if (data.length === 0) return;
    const last = events[events.length - 1];
    if (last && last.kind === kind && last.t === t) {
      last.data = concat(last.data, data);
    } else {
      events.push({ kind, t, data });
    }
  };

  const script = message.timing;
  RECORD.lastIndex = 0;
  try {
    while (RECORD.lastIndex < script.length) {
      const start = RECORD.lastIndex;
      const m = RECORD.exec(script);
      if (!m) {
        if (/^\s*$/.test(script.slice(start))) break;
        throw new SyntaxError(`bad timing record at offset ${start}`);
      }
      const [, op, n, binOp, skip, count, cols, rows] = m;
      if (op === '+') {
        t += Number(n);
      } else if (op === '>') {
        push('output', out.text(Number(n)));
      } else if (op === '<') {
        push('input', inp.text(Number(n)));
      } else if (binOp === ']') {
        push('output', out.binary(Number(skip), Number(count)));
      } else if (binOp === '[') {
        push('input', inp.binary(Number(skip), Number(count)));
      } else {
        events.push({ kind: 'window', t, cols: Number(cols), rows: Number(rows) });
      }
    }
  } catch (err) {
    const reason = err instanceof Error ? err.message : String(err);
    return { events, end: t, error: `message ${message.id}: ${reason}` };
  }
  return { events, end: t };
}
