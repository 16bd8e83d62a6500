// Makes a still frame from a recording's first messages (docs/still-frame.md):
// the events up to the moment are played into a headless terminal set up and
// hardened as the visible one is (replayTerminal), through the player's own
// Playhead, and the screen is read out as styled runs.

import { parseMessageLine, TimelineBuilder } from '../../tlog';
import { headlessSink, replayTerminal } from '../adapters/xterm-headless-shadow';
import { Playhead } from '../playhead';
import { TimelineIndex } from '../timeline-index';
import { readScreen } from '../adapters/xterm-still-screen';
import type { StillFrame } from './types';

/** Messages read for a still frame: a link to a moment past them gets none. */
export const STILL_MESSAGES = 500;
/** Output played for a still frame at most: a frame is a preview, not a replay. */
export const STILL_MAX_OUTPUT = 256 * 1024;
/** Opened from the start, the frame shows the first output if it comes this soon. */
export const STILL_FIRST_OUTPUT_MS = 1000;
/**
 * Styled runs in a frame at most: a screen where every cell has its own
 * colour would make the HTML heavier than the player it stands in for. A
 * colourful full screen (htop, ls --color, 256 colours) takes a few hundred.
 */
export const STILL_MAX_RUNS = 4000;

export interface StillRequest {
  /** The moment a link opens at (`?t=`); without it, the player plays from the start. */
  startAt?: number;
  /** The lines are the whole recording (fewer than asked for came back). */
  complete: boolean;
}

/**
 * The screen the player will show first, or null when there is none worth
 * showing: no output by then, a moment beyond the messages read, more
 * output than STILL_MAX_OUTPUT to get there, or a screen of more than
 * STILL_MAX_RUNS styled runs. Lines that are not valid
 * messages are skipped, as the player skips them.
 */
export async function makeStillFrame(
  lines: readonly string[],
  request: StillRequest,
): Promise<StillFrame | null> {
  const builder = new TimelineBuilder();
  for (const line of lines) {
    const message = parseMessageLine(line);
    if (message.ok) builder.push(message.value);
  }
  const { events, durationMs } = builder.timeline;
  const index = new TimelineIndex(events);
  index.sync(events);

  let atMs: number;
  if (request.startAt !== undefined) {
    // Later messages could still hold events before the moment.
    if (!request.complete && durationMs <= request.startAt) return null;
    atMs = request.startAt;
  } else {
    const first = events.find((e) => e.kind === 'output');
    if (!first || first.t > STILL_FIRST_OUTPUT_MS) return null;
    atMs = first.t;
  }
  const count = index.countAt(atMs);
  let output = 0;
  for (let i = 0; i < count; i++) {
    const event = events[i];
    if (event?.kind === 'output') output += event.data.length;
  }
  if (output === 0 || output > STILL_MAX_OUTPUT) return null;

  const terminal = replayTerminal();
  try {
    const playhead = new Playhead(headlessSink(terminal), index, null);
    playhead.moveTo(events, count);
    await playhead.idle();
    const lines = readScreen(terminal);
    if (lines.reduce((sum, runs) => sum + runs.length, 0) > STILL_MAX_RUNS) return null;
    return { atMs, cols: terminal.cols, rows: terminal.rows, lines };
  } finally {
    terminal.dispose();
  }
}
