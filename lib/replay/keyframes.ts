// Keyframes: the terminal's state captured every so often while a shadow
// terminal plays the whole recording, so that reaching any moment costs one
// restore plus a short replay (docs/timeline.md, "Consumers"). The builder runs where
// it is given a ShadowTerminal: in a Web Worker in the browser, in-process in
// tests and benchmarks.

import { concatBytes } from '../tlog/bytes';
import type { TimelineEvent } from '../tlog/timing';
import { outputCost } from './replay-cost';
import { clampSize } from './terminal-options';

export interface Keyframe {
  /** Events before this index are in the state. */
  index: number;
  /** Time of the last event in the state (ms). */
  t: number;
  /** Terminal size the state was captured at. */
  cols: number;
  rows: number;
  /**
   * Written into a fresh terminal of this size, recreates the screen. UTF-8
   * bytes rather than a string: half the memory for most screens, kept off
   * the JS heap, and transferable from the worker without a copy.
   */
  state: Uint8Array;
  /** What writing `state` costs (replay-cost.ts). */
  cost: number;
  /** The normal buffer's scrollback was full: `state` replaces all of it. */
  fullScrollback: boolean;
}

/** Where the engine looks keyframes up. */
export interface KeyframeSource {
  /** The latest keyframe with `index <= index`, if any. */
  before(index: number): Keyframe | null;
}

/** Keyframes in index order. */
export class KeyframeStore implements KeyframeSource {
  readonly keyframes: Keyframe[] = [];
  private bytes = 0;
  /** Times the store was thinned to fit its budget. */
  thinned = 0;
  /** Keyframes that arrive for each one kept: doubles with each thinning. */
  private stride = 1;
  /** Arrivals since the last keyframe kept on the stride. */
  private sinceKept = 0;
  /** The last keyframe is off the stride, kept only as the newest until the next arrives. */
  private provisional = false;

  /**
   * `budget`: bytes of keyframes held at most. Past it, every second
   * keyframe goes (the first and the last stay), and from then on only
   * every second one that arrives is kept, so that the spacing doubles
   * evenly over the whole recording and a seek replays at most about twice
   * as much output as before (docs/memory.md). Without that, what arrived
   * first would be thinned again at every thinning, and the start of a long
   * recording would end up with one keyframe where it had hundreds.
   */
  constructor(private readonly budget = Infinity) {}

  add(keyframe: Keyframe): void {
    const last = this.keyframes[this.keyframes.length - 1];
    if (last && keyframe.index <= last.index) return;
    if (last && this.provisional) {
      // The newest keyframe stays, so a seek near the end replays little.
      this.keyframes.pop();
      this.bytes -= last.state.length;
    }
    this.sinceKept += 1;
    this.provisional = this.sinceKept < this.stride;
    if (!this.provisional) this.sinceKept = 0;
    this.keyframes.push(keyframe);
    this.bytes += keyframe.state.length;
    while (this.bytes > this.budget && this.keyframes.length > 2) this.thin();
  }

  before(index: number): Keyframe | null {
    let lo = 0;
    let hi = this.keyframes.length;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      if ((this.keyframes[mid]?.index ?? Infinity) <= index) lo = mid + 1;
      else hi = mid;
    }
    return this.keyframes[lo - 1] ?? null;
  }

  /** Bytes held. */
  get size(): number {
    return this.bytes;
  }

  private thin(): void {
    const lastAt = this.keyframes.length - 1;
    const kept = this.keyframes.filter((_, i) => i % 2 === 0 || i === lastAt);
    this.keyframes.length = 0;
    this.keyframes.push(...kept);
    this.bytes = kept.reduce((sum, k) => sum + k.state.length, 0);
    this.thinned += 1;
    // The last one kept is where the new stride starts.
    this.stride *= 2;
    this.sinceKept = 0;
    this.provisional = false;
  }
}

/** The headless terminal a KeyframeBuilder plays the recording into. */
export interface ShadowTerminal {
  write(data: Uint8Array): Promise<void>;
  resize(cols: number, rows: number): void;
  /** See adapters/xterm-state.ts `atBoundary`. */
  atBoundary(): boolean;
  capture(): string;
  /** The normal buffer's scrollback is full (at SCROLLBACK lines). */
  scrollbackFull(): boolean;
}

/** When to take keyframes. Costs are in replay-cost.ts units (about bytes). */
export interface KeyframePolicy {
  /** A keyframe after output of about this cost... */
  everyCost: number;
  /** ...or this much recording time with some output in it. */
  everyMs: number;
  /** Past this much output without a boundary, a keyframe is taken anyway. */
  forceCost: number;
}

/**
 * A seek then replays at most about 128 KB of long lines, or 3,000 short
 * ones, after restoring a keyframe; 100 MB of output gets one to two
 * thousand keyframes.
 */
export const DEFAULT_POLICY: KeyframePolicy = {
  everyCost: 128 * 1024,
  everyMs: 30_000,
  forceCost: 2 * 1024 * 1024,
};

const encoder = new TextEncoder();

/** Output written in one go between keyframe checks. */
const WRITE_CHUNK = 64 * 1024;

/** Plays events into a shadow terminal and reports a keyframe now and then. */
export class KeyframeBuilder {
  /** Events consumed so far. */
  index = 0;
  private lastT = 0;
  /** The shadow starts at the default size, as the visible terminal does after a reset. */
  private size = clampSize(0, 0);
  private costSince = 0;
  private sinceT = 0;
  private batch: Uint8Array[] = [];
  private batchBytes = 0;

  /** Output written since the screen was last shown to `onMoment`. */
  private unseen = false;

  /**
   * `onMoment(t)`, if given, is called with the screen as it stands after
   * the last output event of each millisecond t, and before and after each
   * resize (the screen text index reads it then: screen-text.ts).
   * `onInput(t, data)`, if given, is called for each input event with the
   * output before it written (the command timeline reads the line an Enter
   * key ends: commands/tracker.ts).
   */
  constructor(
    private readonly shadow: ShadowTerminal,
    private readonly onKeyframe: (keyframe: Keyframe) => void,
    private readonly policy: KeyframePolicy = DEFAULT_POLICY,
    private readonly onMoment: ((t: number) => void) | null = null,
    private readonly onInput: ((t: number, data: Uint8Array) => void) | null = null,
  ) {}

  /**
   * Consumes `events` (the next ones after those already consumed).
   * `complete`: no more follow, so the last moment is over too.
   */
  async push(events: readonly TimelineEvent[], complete = false): Promise<void> {
    for (const event of events) {
      if (this.unseen && event.t !== this.lastT) await this.showMoment();
      if (event.kind === 'output') {
        this.batch.push(event.data);
        this.batchBytes += event.data.length;
        this.costSince += outputCost(event.data);
        this.unseen = this.onMoment !== null;
      } else if (event.kind === 'window') {
        const size = clampSize(event.cols, event.rows);
        if (size.cols !== this.size.cols || size.rows !== this.size.rows) {
          // The screen before the resize, then after it (reflowed).
          if (this.unseen) await this.showMoment();
          await this.flush();
          this.size = size;
          this.shadow.resize(size.cols, size.rows);
          if (this.onMoment) await this.showMoment(event.t);
        }
      } else if (event.kind === 'input' && this.onInput) {
        await this.flush();
        this.onInput(event.t, event.data);
      }
      this.index += 1;
      this.lastT = event.t;
      if (this.batchBytes >= WRITE_CHUNK || this.due()) await this.flush();
      if (this.due()) await this.maybeCapture();
    }
    await this.flush();
    if (complete && this.unseen) await this.showMoment();
  }

  private async showMoment(t = this.lastT): Promise<void> {
    await this.flush();
    this.unseen = false;
    this.onMoment?.(t);
  }

  private due(): boolean {
    if (this.costSince === 0) return false;
    return (
      this.costSince >= this.policy.everyCost || this.lastT - this.sinceT >= this.policy.everyMs
    );
  }

  private async maybeCapture(): Promise<void> {
    if (!this.shadow.atBoundary() && this.costSince < this.policy.forceCost) return;
    const state = encoder.encode(this.shadow.capture());
    this.onKeyframe({
      index: this.index,
      t: this.lastT,
      cols: this.size.cols,
      rows: this.size.rows,
      state,
      cost: outputCost(state),
      fullScrollback: this.shadow.scrollbackFull(),
    });
    this.costSince = 0;
    this.sinceT = this.lastT;
  }

  private async flush(): Promise<void> {
    if (this.batch.length === 0) return;
    const data = concatBytes(this.batch, this.batchBytes);
    this.batch = [];
    this.batchBytes = 0;
    await this.shadow.write(data);
  }
}
