// The common first step of every export: stored message lines (in id order,
// as RecordingSource.messages yields them) become validated messages and their
// decoded events, one message at a time, so that exports stream.

import {
  parseMessageLine,
  TimelineBuilder,
  type Timeline,
  type TimelineEvent,
  type TlogMessage,
} from '@/lib/tlog';

/** Stored message lines: an async iterable from a source, or an array in tests. */
export type MessageLines = AsyncIterable<string> | Iterable<string>;

export interface DecodedLine {
  /** The line as stored. */
  line: string;
  message: TlogMessage;
  /** The message's events, a gap event first when ids are missing before it. */
  events: TimelineEvent[];
}

/**
 * The accepted messages of a recording, decoded. Lines that are not messages,
 * repeated ids, ids out of order and messages of another recording are left
 * out and counted in `builder.timeline` (problems, duplicates), which also
 * holds the metadata (start, duration, windows, gaps) as far as read.
 */
export async function* decodeLines(
  lines: MessageLines,
  builder: TimelineBuilder = new TimelineBuilder({ keepEvents: false }),
): AsyncGenerator<DecodedLine> {
  for await (const line of lines) {
    if (line.trim() === '') continue;
    const parsed = parseMessageLine(line);
    if (!parsed.ok) {
      builder.problem(-1, parsed.error);
      continue;
    }
    const before = builder.timeline.messages;
    const events = builder.push(parsed.value);
    if (builder.timeline.messages > before) yield { line, message: parsed.value, events };
  }
}

/** Recording-level facts an export may need before the first message is read. */
export interface ExportContext {
  /** Unix ms of the recording's start, used when messages carry no `time`. */
  fallbackStartMs?: number;
  /** A title for formats that have one, e.g. "user@host". */
  title?: string;
}

/** The timeline's start, or the fallback. */
export function startOf(timeline: Timeline, context: ExportContext): number | null {
  return timeline.startMs ?? context.fallbackStartMs ?? null;
}
