// Writes timeline events back out as tlog JSON lines, the way tlog-rec's
// writer lays them out: messages of at most `payload` output bytes (tlog's
// default is 2048), each starting with the window size, `+N` delays between
// events, `>N` for N code points of valid UTF-8 and `]N/M` for bytes that are
// not (one U+FFFD placeholder per byte), never a character split between
// messages, and a new message at least every `latencyMs` (tlog's --latency).

import type { TimelineEvent } from '../../lib/tlog/index';
import { tlogLine } from '../../tests/support/tlog-line';

export interface WriterOptions {
  rec: string;
  host: string;
  user: string;
  /** Unix seconds of the recording's first event. */
  startTime: number;
  payload?: number;
  latencyMs?: number;
}

interface Open {
  pos: number;
  lastT: number;
  timing: string;
  text: string;
  bin: number[];
  bytes: number;
}

const utf8 = new TextDecoder('utf-8', { fatal: true });

/** Length of the valid UTF-8 character starting at `i`, or 0 when the byte there starts none. */
function charLength(data: Uint8Array, i: number): number {
  const lead = data[i] ?? 0;
  if (lead < 0x80) return 1;
  const n =
    lead >= 0xc2 && lead < 0xe0
      ? 2
      : lead >= 0xe0 && lead < 0xf0
        ? 3
        : lead >= 0xf0 && lead < 0xf5
          ? 4
          : 0;
  if (n === 0 || i + n > data.length) return 0;
  try {
    utf8.decode(data.subarray(i, i + n));
    return n;
  } catch {
    return 0;
  }
}

export class TlogWriter {
  readonly lines: string[] = [];
  private open: Open | null = null;
  private size = { cols: 0, rows: 0 };
  private readonly payload: number;
  private readonly latencyMs: number;

  constructor(private readonly options: WriterOptions) {
    this.payload = options.payload ?? 2048;
    this.latencyMs = options.latencyMs ?? 10_000;
  }

  add(event: TimelineEvent): void {
    if (event.kind === 'window') {
      if (event.cols === this.size.cols && event.rows === this.size.rows) return;
      this.size = { cols: event.cols, rows: event.rows };
      const message = this.at(event.t);
      message.timing += `=${event.cols}x${event.rows}`;
    } else if (event.kind === 'output') {
      this.output(event.t, event.data);
    }
  }

  /** Flushes the last message; returns every line. */
  finish(): string[] {
    this.flush();
    return this.lines;
  }

  private output(t: number, data: Uint8Array): void {
    let i = 0;
    while (i < data.length) {
      let message = this.at(t);
      if (message.bytes >= this.payload) {
        this.flush();
        message = this.at(t);
      }
      // One run of valid characters, or one invalid byte.
      const first = charLength(data, i);
      if (first === 0) {
        message.text += '\ufffd';
        message.bin.push(data[i] ?? 0);
        message.timing += ']1/1';
        message.bytes += 1;
        i += 1;
        continue;
      }
      let end = i;
      let chars = 0;
      while (end < data.length && message.bytes + (end - i) < this.payload) {
        const n = charLength(data, end);
        if (n === 0 || message.bytes + (end - i) + n > this.payload) break;
        end += n;
        chars += 1;
      }
      if (end === i) {
        this.flush();
        continue;
      }
      message.text += new TextDecoder().decode(data.subarray(i, end));
      message.timing += `>${chars}`;
      message.bytes += end - i;
      i = end;
    }
  }

  /** The message open at time `t`, opening one (or a new one after `latencyMs`). */
  private at(t: number): Open {
    if (this.open && t - this.open.pos >= this.latencyMs) this.flush();
    if (!this.open) {
      this.open = {
        pos: t,
        lastT: t,
        timing: `=${this.size.cols}x${this.size.rows}`,
        text: '',
        bin: [],
        bytes: 0,
      };
    }
    if (t > this.open.lastT) {
      this.open.timing += `+${t - this.open.lastT}`;
      this.open.lastT = t;
    }
    return this.open;
  }

  private flush(): void {
    const m = this.open;
    if (!m) return;
    this.open = null;
    const { rec, host, user, startTime } = this.options;
    this.lines.push(
      tlogLine({
        ver: '2.3',
        host,
        rec,
        user,
        term: 'xterm-256color',
        session: 4294967295,
        id: this.lines.length + 1,
        pos: m.pos,
        time: startTime + m.pos / 1000,
        timing: m.timing,
        in_txt: '',
        in_bin: [],
        out_txt: m.text,
        out_bin: m.bin,
      }),
    );
  }
}
