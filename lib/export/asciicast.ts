// asciicast v2 export (https://docs.asciinema.org/manual/asciicast/v2/): a
// header line, then one `[time, code, data]` line per event, time in seconds
// from the recording's start.
//
// - Header: version 2, the first window's width and height, `timestamp` (unix
//   seconds of the start) when known, `env.TERM`, and a title.
// - `o` output and `i` input: asciicast data is text, so bytes are decoded as
//   a stream: a character split across events comes out whole in the later
//   event, and bytes that are not UTF-8 become U+FFFD (what asciinema's own
//   recorder does). The raw export keeps the exact bytes.
// - `r` "WxH" for each window size change after the first.
// - `m` marker for each gap (missing messages), and, with `commands`, for
//   each command line the user entered (docs/commands.md): asciinema-player
//   shows markers as chapters on its timeline; `asciinema cat` and `play`
//   ignore them.

import { TimelineBuilder } from '@/lib/tlog';
import { CommandFeed, commandLabel } from './command-feed';
import { decodeLines, startOf, type ExportContext, type MessageLines } from './messages';

export interface AsciicastOptions extends ExportContext {
  /** A marker for each command (runs a terminal: the server does it in a worker). */
  commands?: boolean;
  /** The recording holds input (its summary says so). */
  inputLogged?: boolean;
}

const DEFAULT_SIZE = { cols: 80, rows: 24 };
const BATCH = 64 * 1024;

const seconds = (ms: number) => ms / 1000;
const line = (value: unknown) => `${JSON.stringify(value)}\n`;

export async function* exportAsciicast(
  lines: MessageLines,
  context: AsciicastOptions = {},
): AsyncGenerator<string> {
  const builder = new TimelineBuilder({ keepEvents: false });
  const feed = context.commands ? new CommandFeed(context.inputLogged) : null;
  /** Markers go at the command's moment, or just after what is already written. */
  const marker = (ms: number, label: string) => line([seconds(Math.max(ms, lastT)), 'm', label]);
  // ignoreBOM keeps a recorded U+FEFF instead of swallowing it.
  const output = new TextDecoder('utf-8', { ignoreBOM: true });
  const input = new TextDecoder('utf-8', { ignoreBOM: true });
  let size: { cols: number; rows: number } | null = null;
  let lastT = 0;
  let batch = '';

  const header = (term: string, cols: number, rows: number) => {
    const start = startOf(builder.timeline, context);
    return line({
      version: 2,
      width: cols,
      height: rows,
      ...(start !== null ? { timestamp: Math.floor(start / 1000) } : {}),
      ...(context.title ? { title: context.title } : {}),
      env: { TERM: term },
    });
  };

  try {
    for await (const { message, events } of decodeLines(lines, builder)) {
      if (size === null) {
        const first = events.find((e) => e.kind === 'window');
        size =
          first?.kind === 'window' && first.cols > 0 && first.rows > 0
            ? { cols: first.cols, rows: first.rows }
            : DEFAULT_SIZE;
        batch += header(message.term, size.cols, size.rows);
      }
      for (const event of events) {
        for (const command of feed ? await feed.next(event) : [])
          batch += marker(command.t, `command: ${commandLabel(command)}`);
        lastT = event.t;
        const t = seconds(event.t);
        if (event.kind === 'output') {
          const text = output.decode(event.data, { stream: true });
          if (text) batch += line([t, 'o', text]);
        } else if (event.kind === 'input') {
          const text = input.decode(event.data, { stream: true });
          if (text) batch += line([t, 'i', text]);
        } else if (event.kind === 'window') {
          // 0x0 (a pty never sized) is no size a player can use.
          if (
            event.cols > 0 &&
            event.rows > 0 &&
            (event.cols !== size.cols || event.rows !== size.rows)
          ) {
            size = { cols: event.cols, rows: event.rows };
            batch += line([t, 'r', `${event.cols}x${event.rows}`]);
          }
        } else {
          const last = event.firstMissingId + event.missing - 1;
          const ids = event.missing === 1 ? `id ${last}` : `ids ${event.firstMissingId}-${last}`;
          batch += line([
            t,
            'm',
            `gap: ${event.missing} missing message${event.missing === 1 ? '' : 's'} (${ids})`,
          ]);
        }
      }
      if (batch.length >= BATCH) {
        yield batch;
        batch = '';
      }
    }
    if (size === null) batch += header('', DEFAULT_SIZE.cols, DEFAULT_SIZE.rows);
    for (const command of feed ? await feed.end() : [])
      batch += marker(command.t, `command: ${commandLabel(command)}`);
  } finally {
    // Stopped early (client gone) or failed: free the terminal.
    feed?.dispose();
  }
  // A character still incomplete at the very end: U+FFFD, as the stream ends there.
  const tailOut = output.decode();
  if (tailOut) batch += line([seconds(lastT), 'o', tailOut]);
  const tailIn = input.decode();
  if (tailIn) batch += line([seconds(lastT), 'i', tailIn]);
  if (batch) yield batch;
}
