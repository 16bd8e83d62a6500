// Moving through the command timeline: which command the screen is at, and
// where the previous and next ones are (the `[` and `]` keys, the panel).

import type { CommandEntry } from './types';

/** How many commands have `t <= time` (commands are in time order). */
export function commandsUpTo(commands: readonly CommandEntry[], time: number): number {
  let lo = 0;
  let hi = commands.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if ((commands[mid]?.t ?? Infinity) <= time) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

/**
 * The moment of the first command after `time` (direction 1) or of the last
 * one before it (-1), or null when there is none. At a command's own moment,
 * -1 goes to the one before, so that `[` pressed again walks back.
 */
export function commandMoment(
  commands: readonly CommandEntry[],
  time: number,
  direction: 1 | -1,
): number | null {
  if (direction > 0) return commands[commandsUpTo(commands, time)]?.t ?? null;
  return commands[commandsUpTo(commands, time - 1) - 1]?.t ?? null;
}
