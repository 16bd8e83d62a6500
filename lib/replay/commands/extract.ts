// The command timeline of a whole recording, outside the player: a headless
// terminal set up as the player's shadow plays the events, and the tracker
// reads it (tracker.ts). The server's commands API and exports, the
// summarizer, tests and benchmarks use this; the player's keyframe worker
// runs the same tracker on its own shadow while it builds keyframes.

import type { TimelineEvent } from '../../tlog/timing';
import { HeadlessShadow } from '../adapters/xterm-headless-shadow';
import { KeyframeBuilder, type KeyframePolicy } from '../keyframes';
import { CommandTracker } from '../adapters/xterm-commands';
import type { CommandEntry } from './types';

/** The builder only drives the terminal here: it never takes a keyframe. */
const NO_KEYFRAMES: KeyframePolicy = {
  everyCost: Infinity,
  everyMs: Infinity,
  forceCost: Infinity,
};

export class CommandExtractor {
  private readonly shadow = new HeadlessShadow({ trackRows: false });
  readonly tracker: CommandTracker;
  private readonly builder = new KeyframeBuilder(
    this.shadow,
    () => {},
    NO_KEYFRAMES,
    (t) => this.tracker.moment(t),
    (t, data) => this.tracker.input(t, data),
  );
  private lastT = 0;
  private done = false;

  /** `inputLogged`: the recording is known to hold input (tracker.ts). */
  constructor(options: { inputLogged?: boolean } = {}) {
    this.tracker = new CommandTracker(this.shadow.terminal, options);
  }

  /** The commands found so far (more may follow until `complete`). */
  get commands(): readonly CommandEntry[] {
    return this.tracker.commands;
  }

  /** Consumes the next events; `complete`: they are the last. */
  async push(events: readonly TimelineEvent[], complete = false): Promise<void> {
    if (this.done) throw new Error('the command extractor has finished');
    const last = events[events.length - 1];
    if (last) this.lastT = last.t;
    await this.builder.push(events, complete);
    if (complete) this.finish();
  }

  /** Frees the terminal. */
  dispose(): void {
    this.shadow.dispose();
  }

  private finish(): void {
    this.done = true;
    this.tracker.end(this.lastT);
  }
}

/** The commands of a recording's complete list of events. */
export async function extractCommands(
  events: readonly TimelineEvent[],
  options: { inputLogged?: boolean } = {},
): Promise<CommandEntry[]> {
  const extractor = new CommandExtractor(options);
  try {
    await extractor.push(events, true);
    return [...extractor.commands];
  } finally {
    extractor.dispose();
  }
}
