// What the terminal shows, as a count of the timeline's events applied to
// it, and the flow-controlled queue of terminal operations that gets it
// there. Moving to any count picks the cheapest way: carry on from the
// current state, or restore a keyframe (or the empty terminal) and replay the
// events after it. Backwards and forwards cost the same.

import type { TimelineEvent } from '../tlog/timing';
import { concatBytes } from '../tlog/bytes';
import { type Keyframe, type KeyframeSource } from './keyframes';
import { clampSize, type TerminalSize } from './terminal-options';
import type { TimelineIndex } from './timeline-index';

/**
 * Where output goes. `write` resolves once the terminal has processed the
 * data; so does `reset`, which must also drop a half-read escape sequence
 * or UTF-8 character (xterm's terminal.reset() keeps both).
 */
export interface TerminalSink {
  /** Back to a fresh terminal's state at this size: write `resetSequence(cols, keepScrollback)`. */
  reset(cols: number, rows: number, keepScrollback: boolean): void | Promise<void>;
  resize(cols: number, rows: number): void;
  /** `endsBatch`: the batch begun with begin() ends with this write (see end). */
  write(data: Uint8Array | string, endsBatch?: boolean): Promise<void>;
  /**
   * Optional: a batch of operations starts / ends, and the terminal may hold
   * back drawing in between (xterm.js: synchronized output, DEC 2026), so a
   * jump draws its final screen once rather than every step on the way.
   * `end` resolves once the terminal has taken it in: the playhead is idle,
   * and the screen settled, only when the terminal may draw again. A batch
   * that ends with output ends in its last write instead, which saves
   * xterm.js a turn of the event loop (often a frame) before it draws.
   */
  begin?(): void;
  end?(): void | Promise<void>;
}

/**
 * Brings a terminal back to its state after creation, the way RIS would,
 * without RIS: xterm.js's RIS rebuilds the terminal (buffers, services) and
 * redraws synchronously, a cost every seek would pay. CAN first ends any
 * half-read escape sequence (and, as a byte, any half-read UTF-8 character).
 *
 * `keepScrollback` leaves the scrollback as it is, for a state that fills
 * it: writing that state pushes every old line out, and a full scrollback
 * stays the same length, which xterm.js handles far faster than one that
 * grows line by line (each new line resizes the scrollbar).
 */
export function resetSequence(cols: number, keepScrollback = false): Uint8Array {
  let tabs = '\x1b[3g';
  for (let col = 0; col < cols; col += 8) tabs += `\x1b[${col + 1}G\x1bH`;
  return new TextEncoder().encode(
    '\x18' + // CAN: back to the ground state
      '\x1b[?1049l' + // leave the alternate screen
      '\x1b[H\x1b[2J' + // empty screen
      (keepScrollback ? '' : '\x1b[3J') + // empty scrollback
      '\x1b[!p' + // DECSTR: modes, margins, pen, charsets, saved cursor (home, now), cursor shown
      '\x1b[?9l\x1b[?1000l\x1b[?1002l\x1b[?1003l\x1b[?1006l\x1b[?1016l' + // mouse reports off
      tabs + // default tab stops
      '\x1b[H',
  );
}

/**
 * Output the playhead may have to wait for (output-chunks.ts): what was let
 * go over the memory budget is fetched again before it is written.
 */
export interface OutputReader {
  /** null: events[from..to) are held; otherwise settles once they are back. */
  ensure(from: number, to: number): Promise<void> | null;
  /** Starts fetching the chunk holding event `index` again, without waiting. */
  prefetch(index: number): void;
  /** Where the chunk holding event `index` ends: a write stays within one chunk. */
  chunkEnd(index: number): number;
}

/** Chunks a jump starts fetching at once: a jump from a keyframe spans one to four. */
const PREFETCH_CHUNKS = 8;

/** Output handed to the terminal in one write: xterm drops data past ~50 MB pending. */
const MAX_WRITE = 1024 * 1024;

/** The empty terminal: what a reset shows before the first event. */
const START: Keyframe = {
  index: 0,
  t: 0,
  ...clampSize(0, 0),
  state: new Uint8Array(0),
  cost: 0,
  fullScrollback: false,
};

export class Playhead {
  /** Events applied (or queued to be) to the terminal. */
  applied = 0;
  /** Terminal operations queued and not finished yet. */
  pending = 0;
  /** Restores done, for tests and benchmarks. */
  restores = 0;
  private size: TerminalSize | null = null;
  private queue: Promise<void> = Promise.resolve();
  /** Bumped by every restore: queued operations of an older generation are skipped. */
  private generation = 0;
  /** The last operation queued, when it is an output write: the batch may end with it. */
  private lastWrite: { endsBatch: boolean } | null = null;

  constructor(
    private readonly sink: TerminalSink,
    private readonly index: TimelineIndex,
    private readonly keyframes: KeyframeSource | null,
    private readonly output: OutputReader | null = null,
  ) {}

  /** Makes the terminal show events[0..count). */
  moveTo(events: readonly TimelineEvent[], count: number): void {
    const target = Math.min(Math.max(0, count), events.length);
    const keyframe = this.keyframes?.before(target) ?? START;
    const cost = (from: number) => this.index.costBefore(target) - this.index.costBefore(from);
    const mustRestore = target < this.applied || this.size === null;
    // Restoring writes the keyframe's screen and scrollback, then the output after it.
    if (
      mustRestore ||
      (keyframe.index > this.applied && keyframe.cost + cost(keyframe.index) < cost(this.applied))
    ) {
      this.restore(keyframe);
    } else if (target > this.applied) {
      this.enqueue(() => this.sink.begin?.());
    } else {
      return;
    }
    this.writeRange(events, target);
    if (this.lastWrite) this.lastWrite.endsBatch = true;
    else this.enqueue(() => this.sink.end?.());
  }

  /** Resolves when every queued operation has finished. */
  idle(): Promise<void> {
    return this.queue;
  }

  private restore(keyframe: Keyframe): void {
    this.generation += 1;
    this.restores += 1;
    this.applied = keyframe.index;
    this.size = { cols: keyframe.cols, rows: keyframe.rows };
    const { cols, rows, state, fullScrollback } = keyframe;
    this.enqueue(async () => {
      this.sink.resize(cols, rows);
      await this.sink.reset(cols, rows, fullScrollback);
      // After the reset, which ends any batch.
      this.sink.begin?.();
      if (state.length > 0) await this.sink.write(state);
    });
  }

  /**
   * Queues events[applied..to): output batched between resizes, in bounded
   * writes that each stay within one output chunk. The bytes are read when
   * the write runs, after waiting for a chunk that was let go to come back.
   */
  private writeRange(events: readonly TimelineEvent[], to: number): void {
    let start = -1;
    let end = -1;
    let bytes = 0;
    let chunkEnd = -1;
    let prefetched = 0;
    const flush = () => {
      if (start === -1) return;
      const [from, until] = [start, end];
      start = -1;
      bytes = 0;
      const write = { endsBatch: false };
      this.enqueue(() => this.writeOutput(events, from, until, write.endsBatch));
      this.lastWrite = write;
    };
    for (let i = this.applied; i < to; i++) {
      const event = events[i];
      if (event?.kind === 'output') {
        if (start !== -1 && (bytes + event.data.length > MAX_WRITE || i >= chunkEnd)) flush();
        if (start === -1) {
          start = i;
          if (i >= chunkEnd && this.output && prefetched < PREFETCH_CHUNKS) {
            // The chunks a jump needs are fetched together, not one after the other.
            this.output.prefetch(i);
            prefetched += 1;
          }
          chunkEnd = this.output?.chunkEnd(i) ?? Infinity;
        }
        end = i + 1;
        bytes += event.data.length;
      } else if (event?.kind === 'window') {
        const size = clampSize(event.cols, event.rows);
        if (this.size && this.size.cols === size.cols && this.size.rows === size.rows) continue;
        flush();
        this.size = size;
        this.enqueue(() => this.sink.resize(size.cols, size.rows));
      }
    }
    flush();
    this.applied = Math.max(this.applied, to);
  }

  /** Writes the output events in events[from..to), once they are held. */
  private async writeOutput(
    events: readonly TimelineEvent[],
    from: number,
    to: number,
    endsBatch: boolean,
  ): Promise<void> {
    const generation = this.generation;
    for (let wait = this.output?.ensure(from, to); wait; wait = this.output?.ensure(from, to)) {
      await wait;
      // A seek while waiting: this write is not wanted any more.
      if (generation !== this.generation) return;
    }
    if (this.output) this.output.prefetch(to);
    const parts: Uint8Array[] = [];
    let bytes = 0;
    for (let i = from; i < to; i++) {
      const event = events[i];
      if (event?.kind !== 'output') continue;
      parts.push(event.data);
      bytes += event.data.length;
    }
    if (bytes > 0) await this.sink.write(concatBytes(parts, bytes), endsBatch);
    else if (endsBatch) await this.sink.end?.();
  }

  private enqueue(op: () => void | Promise<void>): void {
    this.lastWrite = null;
    const generation = this.generation;
    this.pending += 1;
    const run = () => (generation === this.generation ? op() : undefined);
    const done = () => {
      this.pending -= 1;
    };
    this.queue = this.queue.then(run).then(done, done);
  }
}
