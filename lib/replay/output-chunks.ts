// Bounded memory for the output of a recording of any length
// (docs/memory.md). The timeline's events are cut into chunks of about
// CHUNK_BYTES of output, each remembered with the ids of the messages it
// came from. When the output held passes a budget, the chunks used longest
// ago are let go: their output events keep their time and place, and their
// bytes are dropped. A write that needs a chunk that was let go waits while
// the chunk's messages are fetched again by id range and decoded, and the
// bytes are checked against what was there before they are put back.

import { validateMessage } from '../tlog/message';
import { decodeTiming, type TimelineEvent } from '../tlog/timing';

/** Output per chunk: a seek needs one to four fetched again (docs/memory.md). */
export const CHUNK_BYTES = 128 * 1024;

/** The default budget for output held in the page (OUTPUT_BUDGET_MB in lib/env.ts). */
export const DEFAULT_OUTPUT_BUDGET = 256 * 1024 * 1024;

/** The smallest budget: a chunk being written, the next, and two more. */
export const MIN_CHUNKS = 4;

const EMPTY = new Uint8Array(0);

export interface OutputChunk {
  /** events[first..end) */
  first: number;
  end: number;
  /** The ids of the messages the chunk's events came from, both included. */
  firstId: number;
  lastId: number;
  /** Output bytes, and output events, in the chunk. */
  bytes: number;
  outputs: number;
  resident: boolean;
  /** When it was last used (a counter): the lowest goes first. */
  used: number;
}

/** The output events' bytes of messages `firstId..lastId`, in order. */
export type FetchOutput = (firstId: number, lastId: number) => Promise<Uint8Array[]>;

export interface OutputChunksOptions {
  /** Bytes of output to hold at most (no fewer than MIN_CHUNKS chunks). */
  budget: number;
  fetch: FetchOutput;
  /**
   * Events below this index may be let go: the keyframe worker has its own
   * copy of them. Nothing is let go without it (no worker, no keyframes).
   */
  releasedBelow: () => number;
  /** A write started or stopped waiting for a re-fetch, or one failed. */
  onChange?: () => void;
}

export class OutputChunks {
  /** Closed chunks, in event order; the open one is not in it. */
  readonly chunks: OutputChunk[] = [];
  private open: OutputChunk | null = null;
  /** Events already counted into a chunk. */
  private noted = 0;
  private stamp = 0;
  /** Output bytes held. */
  held = 0;
  /** Output bytes of the timeline, held or not. */
  total = 0;
  /** The most output ever held at once. */
  peak = 0;
  evictions = 0;
  refetches = 0;
  /** Writes waiting for a re-fetch now. */
  waiting = 0;
  /** Why the last re-fetch failed (null after one that worked). */
  error: string | null = null;
  readonly chunkBytes: number;
  readonly budget: number;
  private readonly fetching = new Map<OutputChunk, Promise<void>>();

  constructor(
    private readonly events: TimelineEvent[],
    private readonly options: OutputChunksOptions,
  ) {
    this.chunkBytes = Math.max(1, Math.min(CHUNK_BYTES, Math.floor(options.budget / MIN_CHUNKS)));
    this.budget = Math.max(options.budget, this.chunkBytes * MIN_CHUNKS);
  }

  /** Message `id` was pushed, and the timeline now has `end` events. */
  noteMessage(id: number, end: number): void {
    if (end <= this.noted) return;
    const chunk = (this.open ??= {
      first: this.noted,
      end: this.noted,
      firstId: id,
      lastId: id,
      bytes: 0,
      outputs: 0,
      resident: true,
      used: 0,
    });
    let added = 0;
    for (let i = this.noted; i < end; i++) {
      const event = this.events[i];
      if (event?.kind !== 'output') continue;
      added += event.data.length;
      chunk.outputs += 1;
    }
    chunk.bytes += added;
    chunk.end = end;
    chunk.lastId = id;
    chunk.used = ++this.stamp;
    this.noted = end;
    this.held += added;
    this.total += added;
    this.peak = Math.max(this.peak, this.held);
    if (chunk.bytes >= this.chunkBytes) {
      this.chunks.push(chunk);
      this.open = null;
      this.trim();
    }
  }

  /**
   * Output events[from..to) can be read: null when they are held now,
   * otherwise a promise that settles once they are back (or failed).
   */
  ensure(from: number, to: number): Promise<void> | null {
    const wanted = this.missing(from, to);
    if (wanted.length === 0) return null;
    this.waiting += 1;
    this.options.onChange?.();
    return Promise.all(wanted.map((chunk) => this.refetch(chunk))).then(
      () => this.waited(),
      (err: unknown) => {
        this.waited();
        throw err;
      },
    );
  }

  /**
   * Starts fetching the chunk that holds event `index` if it was let go
   * (playing on, or the next chunks of a jump). No more chunks are in flight
   * than the budget holds with two to spare, so a prefetch never lets go a
   * chunk fetched for the write before it.
   */
  prefetch(index: number): void {
    const chunk = this.chunkAt(index);
    if (!chunk || chunk.resident || this.fetching.has(chunk)) return;
    if (this.fetching.size + 2 >= Math.floor(this.budget / this.chunkBytes)) return;
    this.refetch(chunk).catch(() => undefined);
  }

  /** Where the chunk that holds event `index` ends (events.length for the open one). */
  chunkEnd(index: number): number {
    return this.chunkAt(index)?.end ?? Infinity;
  }

  private waited(): void {
    this.waiting -= 1;
    this.options.onChange?.();
  }

  /** The chunks of events[from..to) not held, each marked used. */
  private missing(from: number, to: number): OutputChunk[] {
    const wanted: OutputChunk[] = [];
    for (let i = this.indexOf(from); i < this.chunks.length; i++) {
      const chunk = this.chunks[i];
      if (!chunk || chunk.first >= to) break;
      chunk.used = ++this.stamp;
      if (!chunk.resident) wanted.push(chunk);
    }
    return wanted;
  }

  private chunkAt(index: number): OutputChunk | null {
    const chunk = this.chunks[this.indexOf(index)];
    return chunk && chunk.first <= index && index < chunk.end ? chunk : null;
  }

  /** The first closed chunk that ends after event `index`. */
  private indexOf(index: number): number {
    let [lo, hi] = [0, this.chunks.length];
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      if ((this.chunks[mid]?.end ?? Infinity) <= index) lo = mid + 1;
      else hi = mid;
    }
    return lo;
  }

  private refetch(chunk: OutputChunk): Promise<void> {
    const running = this.fetching.get(chunk);
    if (running) return running;
    const done = this.options
      .fetch(chunk.firstId, chunk.lastId)
      .then((outputs) => {
        this.putBack(chunk, outputs);
        this.error = null;
      })
      .catch((err: unknown) => {
        this.error = err instanceof Error ? err.message : String(err);
        this.options.onChange?.();
        throw err;
      })
      .finally(() => this.fetching.delete(chunk));
    this.fetching.set(chunk, done);
    return done;
  }

  /** A chunk's bytes again: the same number of output events, each the same length. */
  private putBack(chunk: OutputChunk, outputs: Uint8Array[]): void {
    if (chunk.resident) return;
    let bytes = 0;
    for (const data of outputs) bytes += data.length;
    if (outputs.length !== chunk.outputs || bytes !== chunk.bytes)
      throw new Error(
        `messages ${chunk.firstId}-${chunk.lastId} came back with ${outputs.length} outputs of ${bytes} bytes, not ${chunk.outputs} of ${chunk.bytes}: the recording changed on the server`,
      );
    let next = 0;
    for (let i = chunk.first; i < chunk.end; i++) {
      const event = this.events[i];
      if (event?.kind !== 'output') continue;
      event.data = outputs[next++] ?? EMPTY;
    }
    chunk.resident = true;
    chunk.used = ++this.stamp;
    this.refetches += 1;
    this.held += chunk.bytes;
    this.peak = Math.max(this.peak, this.held);
    this.trim();
  }

  /**
   * Lets the chunks used longest ago go until the output held fits the
   * budget. It runs as chunks close and come back, and must run again when
   * releasedBelow() moves on: what could not be let go before may be now.
   */
  trim(): void {
    if (this.held <= this.budget) return;
    const below = this.options.releasedBelow();
    const candidates = this.chunks
      .filter((c) => c.resident && c.end <= below && !this.fetching.has(c))
      .sort((a, b) => a.used - b.used);
    for (const chunk of candidates) {
      if (this.held <= this.budget) break;
      // The chunk used last is the one a write is about to read.
      if (chunk.used === this.stamp) continue;
      for (let i = chunk.first; i < chunk.end; i++) {
        const event = this.events[i];
        if (event?.kind === 'output') event.data = EMPTY;
      }
      chunk.resident = false;
      this.held -= chunk.bytes;
      this.evictions += 1;
    }
  }
}

/**
 * The bytes of the output events of some messages (parsed JSON, in id
 * order), decoded as TimelineBuilder decodes them: what is not a valid
 * message, and a repeated or out-of-order id, adds nothing.
 */
export function decodeOutputs(values: Iterable<unknown>): Uint8Array[] {
  const outputs: Uint8Array[] = [];
  let lastId = 0;
  for (const value of values) {
    const message = validateMessage(value);
    if (!message.ok || message.value.id <= lastId) continue;
    lastId = message.value.id;
    for (const event of decodeTiming(message.value).events)
      if (event.kind === 'output') outputs.push(event.data);
  }
  return outputs;
}
