// The command timeline of a stored recording, as the commands API returns it
// (docs/http-api.md, `GET /api/recordings/{rec}/commands`): the message
// lines are decoded and played through the tracker's terminal
// (lib/replay/commands), and one JSON document comes out at the end. Runs in
// the export worker (terminal-budget.ts), like the text export.

import { CommandExtractor } from '@/lib/replay/commands/extract';
import type { CommandEntry } from '@/lib/replay/commands/types';
import { TimelineBuilder } from '@/lib/tlog';
import { decodeLines, type MessageLines } from './messages';

export interface CommandsDocument {
  commands: CommandEntry[];
  /** More commands than the tracker keeps (MAX_COMMANDS): the first ones are listed. */
  truncated: boolean;
  /** Messages read, and the ids missing among them (commands there are not known). */
  messages: number;
  missingMessages: number;
}

/** Events handed to the terminal at a time. */
const BATCH = 2000;

export async function* exportCommands(
  lines: MessageLines,
  options: { inputLogged?: boolean } = {},
): AsyncGenerator<string> {
  const builder = new TimelineBuilder({ keepEvents: false });
  const extractor = new CommandExtractor(options);
  try {
    let batch = [];
    for await (const { events } of decodeLines(lines, builder)) {
      batch.push(...events);
      if (batch.length >= BATCH) {
        await extractor.push(batch);
        batch = [];
      }
    }
    await extractor.push(batch, true);
    const timeline = builder.timeline;
    const document: CommandsDocument = {
      commands: [...extractor.commands],
      truncated: extractor.tracker.truncated,
      messages: timeline.messages,
      missingMessages: timeline.gaps.reduce((sum, gap) => sum + gap.missing, 0),
    };
    yield JSON.stringify(document);
  } finally {
    extractor.dispose();
  }
}
