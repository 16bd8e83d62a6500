// text export: a readable transcript of what appeared on the screen (see
// transcript.ts for which lines are written when), with a line for each gap
// and a line after each command line the user entered (docs/commands.md):
// `[command at 1:23: ls -la (in /tmp)]`. Input is not part of it: what was
// typed shows where the terminal echoed it.

import type { CommandEntry } from '@/lib/replay/commands/types';
import { formatMoment } from '@/lib/replay/moment';
import { concatBytes, TimelineBuilder } from '@/lib/tlog';
import { CommandFeed, commandLabel } from './command-feed';
import { decodeLines, type MessageLines } from './messages';
import { Transcript } from './transcript';

export interface TextOptions {
  /** Mark the commands (default true). */
  commands?: boolean;
  /** The recording holds input (its summary says so). */
  inputLogged?: boolean;
}

/** Output is handed to xterm in batches: each write costs a timer tick. */
const WRITE_BATCH = 256 * 1024;

export async function* exportText(
  lines: MessageLines,
  options: TextOptions = {},
): AsyncGenerator<string> {
  const builder = new TimelineBuilder({ keepEvents: false });
  const feed = options.commands === false ? null : new CommandFeed(options.inputLogged);
  let transcript: Transcript | null = null;
  let batch: Uint8Array[] = [];
  let batchBytes = 0;

  const flush = async (into: Transcript) => {
    if (batchBytes === 0) return;
    const data = concatBytes(batch, batchBytes);
    batch = [];
    batchBytes = 0;
    await into.write(data);
  };

  /** A command's note, right after its line. */
  const noteCommand = (into: Transcript, command: CommandEntry) => {
    const note = `[command at ${formatMoment(command.t)}: ${commandLabel(command)}]`;
    const row = feed?.rowFromCursor(command) ?? null;
    if (row === null) into.note(note);
    else into.noteAfter(row, note);
  };

  try {
    for await (const { events } of decodeLines(lines, builder)) {
      if (!transcript) {
        const first = events.find((e) => e.kind === 'window');
        transcript =
          first?.kind === 'window'
            ? new Transcript(first.cols, first.rows)
            : new Transcript(80, 24);
      }
      for (const event of events) {
        const found = feed ? await feed.next(event) : [];
        if (found.length > 0) {
          // After the command's line (the cursor has left it), before its output.
          await flush(transcript);
          for (const command of found) noteCommand(transcript, command);
        }
        if (event.kind === 'output') {
          batch.push(event.data);
          batchBytes += event.data.length;
        } else if (event.kind === 'window') {
          // Every message repeats the size: only a change costs a flush.
          if (transcript.resizes(event.cols, event.rows)) {
            await flush(transcript);
            transcript.resize(event.cols, event.rows);
          }
        } else if (event.kind === 'gap') {
          await flush(transcript);
          const last = event.firstMissingId + event.missing - 1;
          const ids = event.missing === 1 ? `id ${last}` : `ids ${event.firstMissingId}-${last}`;
          transcript.note(
            `[${event.missing} missing message${event.missing === 1 ? '' : 's'} (${ids}): output lost here]`,
          );
        }
      }
      if (batchBytes >= WRITE_BATCH) await flush(transcript);
      const text = transcript.take();
      if (text) yield text;
    }
    if (transcript) {
      await flush(transcript);
      for (const command of feed ? await feed.end() : []) noteCommand(transcript, command);
      const last = transcript;
      transcript = null;
      await last.end();
      const text = last.take();
      if (text) yield text;
    }
  } finally {
    // Stopped early (client gone) or failed: free the terminals.
    transcript?.dispose();
    feed?.dispose();
  }
}
