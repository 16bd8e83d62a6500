// A test-only tlog writer: turns terminal packets (output and input bytes,
// window sizes, at ms times) into tlog JSON messages the way tlog-rec's JSON
// sink does (tlog lib/tlog/json_stream.c, json_chunk.c, json_sink.c):
//
// - Each stream (input, output) validates UTF-8 with Unicode's Table 3-7.
//   A complete character is text; each invalid byte, or truncated sequence,
//   is one U+FFFD in the text and its bytes in `*_bin`. A partial character
//   at the end of a packet is held until the next byte decides it, so it is
//   never split across messages; only the recording's end writes a dangling
//   partial character, as binary.
// - Runs of text / binary become `>N` / `]N/M` (`<N` / `[N/M` for input);
//   a time step flushes both streams' runs (input first) and writes `+ms`.
// - Every message starts with the current `=WxH`; a window packet of the
//   same size is not written. Messages are cut when the payload is full, and
//   wherever the caller asks (tlog's latency flush).
// - JSON text is escaped like tlog: `"` `\` \b \f \n \r \t, other controls
//   and DEL as \u00XX, everything else verbatim.

import { Utf8State } from './utf8-units';

export type Packet =
  | { kind: 'output' | 'input'; t: number; bytes: Uint8Array }
  | { kind: 'window'; t: number; cols: number; rows: number };

export interface EncodeOptions {
  /** Approximate message payload (timing + text + bytes), as tlog's --payload. At least 64. */
  payload: number;
  /** Indexes of packets after which the message is flushed (tlog's latency). */
  cutAfter?: ReadonlySet<number>;
  host?: string;
  rec?: string;
  user?: string;
  term?: string;
  session?: number;
  /** Unix ms of the first packet. */
  startMs?: number;
}

const SHORT_ESCAPES: Record<number, string> = {
  0x22: '\\"',
  0x5c: '\\\\',
  8: '\\b',
  12: '\\f',
  10: '\\n',
  13: '\\r',
  9: '\\t',
};

/** A complete UTF-8 character as JSON string text, escaped the way tlog does. */
function escapeChar(bytes: number[]): string {
  const [b0 = 0, b1 = 0, b2 = 0, b3 = 0] = bytes;
  switch (bytes.length) {
    case 2:
      return String.fromCodePoint(((b0 & 0x1f) << 6) | (b1 & 0x3f));
    case 3:
      return String.fromCodePoint(((b0 & 0x0f) << 12) | ((b1 & 0x3f) << 6) | (b2 & 0x3f));
    case 4:
      return String.fromCodePoint(
        ((b0 & 0x07) << 18) | ((b1 & 0x3f) << 12) | ((b2 & 0x3f) << 6) | (b3 & 0x3f),
      );
  }
  const short = SHORT_ESCAPES[b0];
  if (short) return short;
  if (b0 < 0x20 || b0 === 0x7f) return `\\u00${b0.toString(16).padStart(2, '0')}`;
  return String.fromCharCode(b0);
}

interface StreamBuf {
  txt: string[];
  bin: number[];
  /** Pending run: characters, and bytes when it is a binary run. */
  txtRun: number;
  binRun: number;
  utf8: Utf8State;
  /** Time of the last byte taken into `utf8`. */
  ts: number;
}

const newStream = (): StreamBuf => ({
  txt: [],
  bin: [],
  txtRun: 0,
  binRun: 0,
  utf8: new Utf8State(),
  ts: 0,
});

/** Encodes packets (times non-decreasing) into tlog JSON lines. */
export function encodeRecording(packets: readonly Packet[], options: EncodeOptions): string[] {
  const payload = Math.max(64, options.payload);
  const host = options.host ?? 'fuzz.example';
  const rec = options.rec ?? '0123456789abcdef0123456789abcdef-1-2';
  const user = options.user ?? 'fuzzer';
  const term = options.term ?? 'xterm-256color';
  const session = options.session ?? 4294967295;
  const startMs = options.startMs ?? 1_700_000_000_000;
  const lines: string[] = [];
  const start = packets[0]?.t ?? 0;

  const output = newStream();
  const input = newStream();
  let timing = '';
  let used = 0;
  let firstTs: number | null = null;
  let lastTs = 0;
  let window: { cols: number; rows: number } | null = null;

  const flushRun = (s: StreamBuf, valid: string, invalid: string) => {
    if (s.txtRun > 0) timing += `${s.binRun === 0 ? valid : invalid}${s.txtRun}`;
    if (s.binRun > 0) timing += `/${s.binRun}`;
    s.txtRun = 0;
    s.binRun = 0;
  };
  const flushRuns = () => {
    flushRun(input, '<', '[');
    flushRun(output, '>', ']');
  };
  const emitMessage = () => {
    if (firstTs === null) return;
    flushRuns();
    const pos = firstTs - start;
    const real = startMs + pos;
    const time = `${Math.floor(real / 1000)}.${String(real % 1000).padStart(3, '0')}`;
    lines.push(
      `{"ver":"2.3","host":${JSON.stringify(host)},"rec":${JSON.stringify(rec)},` +
        `"user":${JSON.stringify(user)},"term":${JSON.stringify(term)},"session":${session},` +
        `"id":${lines.length + 1},"pos":${pos},"time":${time},"timing":"${timing}",` +
        `"in_txt":"${input.txt.join('')}","in_bin":[${input.bin.join(',')}],` +
        `"out_txt":"${output.txt.join('')}","out_bin":[${output.bin.join(',')}]}`,
    );
    for (const s of [input, output]) {
      s.txt = [];
      s.bin = [];
    }
    timing = '';
    used = 0;
    firstTs = null;
  };
  // Time never runs backwards in the output. A truncated sequence is stamped
  // with its last byte's time but written when a later byte ends it, possibly
  // after the other stream wrote something later: it is written at that time.
  let written = 0;
  /** Starts a message if none is open; advances time. Returns the timing records it needs. */
  const advance = (at: number, flush: boolean): string => {
    const ts = Math.max(at, written);
    written = ts;
    if (firstTs === null) {
      firstTs = ts;
      lastTs = ts;
      return window ? `=${window.cols}x${window.rows}` : '';
    }
    const delay = ts - lastTs;
    lastTs = ts;
    if (delay <= 0) return '';
    if (flush) flushRuns();
    return `+${delay}`;
  };
  /** Writes one unit (a character or an invalid sequence), cutting the message when full. */
  const writeUnit = (
    s: StreamBuf,
    marks: [string, string],
    ts: number,
    valid: boolean,
    bytes: number[],
  ) => {
    const text = valid ? escapeChar(bytes) : '\uFFFD';
    const binText = valid ? 0 : bytes.reduce((n, b) => n + String(b).length + 1, 0);
    for (let attempt = 0; ; attempt++) {
      const fresh = firstTs === null;
      const runCost = (valid ? s.binRun > 0 : s.binRun === 0) || s.txtRun === 0 ? 6 : 1;
      const head = fresh ? (window ? `=${window.cols}x${window.rows}`.length : 0) : 8;
      if (!fresh && attempt === 0 && used + head + runCost + text.length + binText > payload) {
        emitMessage();
        continue;
      }
      if (!valid !== (s.binRun !== 0)) flushRun(s, marks[0], marks[1]);
      const record = advance(ts, true);
      timing += record;
      used += record.length + runCost + text.length + binText;
      s.txt.push(text);
      s.txtRun += 1;
      if (!valid) {
        s.bin.push(...bytes);
        s.binRun += bytes.length;
      }
      return;
    }
  };
  const writeBytes = (s: StreamBuf, marks: [string, string], ts: number, bytes: Uint8Array) => {
    let i = 0;
    for (;;) {
      while (!s.utf8.ended) {
        if (i >= bytes.length) return; // a partial character waits for its next byte
        if (s.utf8.add(bytes[i] ?? 0)) {
          i++;
          s.ts = ts;
        }
      }
      if (s.utf8.buf.length === 0) {
        writeUnit(s, marks, ts, false, [bytes[i] ?? 0]);
        i++;
      } else {
        writeUnit(s, marks, s.ts, s.utf8.complete, s.utf8.buf);
      }
      s.utf8.reset();
    }
  };

  packets.forEach((packet, index) => {
    if (packet.kind === 'window') {
      if (!window || window.cols !== packet.cols || window.rows !== packet.rows) {
        const record = `=${packet.cols}x${packet.rows}`;
        if (firstTs !== null && used + record.length + 8 > payload) emitMessage();
        flushRuns();
        const opened = firstTs === null;
        window = { cols: packet.cols, rows: packet.rows };
        const head = advance(packet.t, true);
        // A fresh message already starts with the new size.
        timing += opened ? head : head + record;
        used += opened ? head.length : head.length + record.length;
      }
    } else if (packet.kind === 'output') {
      writeBytes(output, ['>', ']'], packet.t, packet.bytes);
    } else {
      writeBytes(input, ['<', '['], packet.t, packet.bytes);
    }
    if (options.cutAfter?.has(index)) emitMessage();
  });
  // The end of the recording: a dangling partial character is written as binary.
  for (const [s, marks] of [
    [input, ['<', '[']],
    [output, ['>', ']']],
  ] as const) {
    if (s.utf8.buf.length > 0) writeUnit(s, [marks[0], marks[1]], s.ts, false, s.utf8.buf);
    s.utf8.reset();
  }
  emitMessage();
  return lines;
}
