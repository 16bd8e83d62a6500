// The command timeline (lib/replay/commands) alongside a streaming export:
// events go in one at a time, and each command comes out as soon as the
// tracker has seen the cursor leave its line, before the event that showed
// it, so that an export writes its mark ahead of the command's output.

import { CommandExtractor } from '@/lib/replay/commands/extract';
import type { CommandEntry } from '@/lib/replay/commands/types';
import type { TimelineEvent } from '@/lib/tlog';

export class CommandFeed {
  private readonly extractor: CommandExtractor;
  private taken = 0;

  /** `inputLogged`: the recording's summary says it holds input (doubts known from the start). */
  constructor(inputLogged = false) {
    this.extractor = new CommandExtractor({ inputLogged });
  }

  /** Commands found up to (not including) `event`, then takes it in. */
  async next(event: TimelineEvent): Promise<CommandEntry[]> {
    await this.extractor.push([event]);
    return this.take();
  }

  /** The commands found at the end. */
  async end(): Promise<CommandEntry[]> {
    await this.extractor.push([], true);
    return this.take();
  }

  /** See CommandTracker.rowFromCursor. */
  rowFromCursor(command: CommandEntry): number | null {
    return this.extractor.tracker.rowFromCursor(command);
  }

  dispose(): void {
    this.extractor.dispose();
  }

  private take(): CommandEntry[] {
    const all = this.extractor.commands;
    if (all.length === this.taken) return [];
    const found = all.slice(this.taken);
    this.taken = all.length;
    return found;
  }
}

/** How an export labels a command: `ls -la` (in /tmp), with its doubt when it has one. */
export function commandLabel(command: CommandEntry): string {
  const where = command.cwd ? ` (in ${command.cwd})` : '';
  const doubt = command.doubt ? ` [doubt: ${command.doubt}]` : '';
  return `${command.line}${where}${doubt}`;
}
