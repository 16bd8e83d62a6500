// The main thread's side of the keyframe worker: feeds it the timeline's
// events as they load, keeps the keyframes it sends back for the engine to
// look up, and passes searches of the screen's text to it. Without Worker
// support (or if the worker fails) there are simply no keyframes, seeks
// replay from the start, and find says it is unavailable.

import { packEvents, transferables } from '@/lib/replay/event-batch';
import type { FindQuery } from '@/lib/replay/find';
import { KeyframeStore, type Keyframe, type KeyframeSource } from '@/lib/replay/keyframes';
import type { TimelineEvent } from '@/lib/tlog';
import type { WorkerReply, WorkerRequest } from './worker-protocol';

export type FoundReply = Extract<WorkerReply, { type: 'found' }>;

export type IndexedReply = Omit<Extract<WorkerReply, { type: 'indexed' }>, 'type'>;

export type CommandsReply = Extract<WorkerReply, { type: 'commands' }>;

export class KeyframeClient implements KeyframeSource {
  readonly store: KeyframeStore;
  /** Events handed to the worker. */
  sent = 0;
  /** Each batch handed over and not played yet: its end, and output bytes up to it. */
  private batches: { end: number; bytes: number }[] = [];
  private sentBytes = 0;
  /** Output bytes up to the last batch the worker has played. */
  private playedBytes = 0;
  private drained: (() => void)[] = [];
  /** Events the worker has played. */
  indexed = 0;
  private worker: Worker | null = null;
  private findId = 0;
  private completeSent = false;
  /** Why the worker stopped, if it did. */
  failure: string | null = null;

  constructor(
    private readonly onIndexed: (indexed: IndexedReply, store: KeyframeStore) => void,
    private readonly onFound: (reply: FoundReply) => void = () => undefined,
    private readonly onCommands: (reply: CommandsReply) => void = () => undefined,
    inputLogged = false,
    /** Bytes of keyframes to hold at most (KeyframeStore thins past it). */
    keyframeBudget = Infinity,
  ) {
    this.store = new KeyframeStore(keyframeBudget);
    try {
      this.worker = new Worker(new URL('./keyframe-worker.ts', import.meta.url));
      this.worker.onmessage = (event: MessageEvent<WorkerReply>) => this.receive(event.data);
      this.worker.onerror = (event) => this.stop(event.message);
      this.post({ type: 'init', inputLogged });
    } catch (err) {
      this.stop(err instanceof Error ? err.message : String(err));
    }
  }

  before(index: number): Keyframe | null {
    return this.store.before(index);
  }

  /** Hands the worker the events it has not seen yet; `complete`: the last of them. */
  feed(events: readonly TimelineEvent[], complete = false): void {
    if (!this.worker || (events.length <= this.sent && !complete)) return;
    if (this.completeSent) return;
    const batch = packEvents(events, this.sent, events.length);
    this.sent = events.length;
    this.sentBytes += batch.data.length;
    this.batches.push({ end: this.sent, bytes: this.sentBytes });
    this.completeSent = complete;
    this.post({ type: 'events', batch, complete }, transferables(batch));
  }

  /** Bytes handed to the worker that it has not played yet. */
  get backlog(): number {
    return this.sentBytes - this.playedBytes;
  }

  /** Resolves once the worker's backlog is at most `bytes` (at once without a worker). */
  whenBacklogBelow(bytes: number): Promise<void> {
    if (!this.worker || this.backlog <= bytes) return Promise.resolve();
    return new Promise((resolve) => {
      const check = () => {
        if (!this.worker || this.backlog <= bytes) resolve();
        else this.drained.push(check);
      };
      this.drained.push(check);
    });
  }

  /** Starts a search (answered through onFound with its id); null if the worker is not there. */
  find(query: FindQuery): number | null {
    if (!this.worker) return null;
    this.findId += 1;
    this.post({ type: 'find', id: this.findId, query });
    return this.findId;
  }

  clearFind(): void {
    this.post({ type: 'find-clear' });
  }

  get available(): boolean {
    return this.worker !== null;
  }

  private post(request: WorkerRequest, transfer: Transferable[] = []): void {
    this.worker?.postMessage(request, transfer);
  }

  dispose(): void {
    this.worker?.terminate();
    this.worker = null;
    // A read waiting for the worker to drain goes on (and sees its abort).
    this.release();
  }

  private receive(reply: WorkerReply): void {
    if (reply.type === 'keyframe') this.store.add(reply.keyframe);
    else if (reply.type === 'indexed') {
      this.indexed = reply.index;
      this.release();
      this.onIndexed(reply, this.store);
    } else if (reply.type === 'found') this.onFound(reply);
    else if (reply.type === 'commands') this.onCommands(reply);
    else this.stop(reply.message);
  }

  /** Forgets the batches the worker has played, and wakes who waits for it to drain. */
  private release(): void {
    while (this.batches.length > 0 && (this.batches[0]?.end ?? Infinity) <= this.indexed) {
      this.playedBytes = this.batches.shift()?.bytes ?? this.playedBytes;
    }
    const waiting = this.drained;
    this.drained = [];
    for (const check of waiting) check();
  }

  private stop(reason: string): void {
    console.warn(`keyframes unavailable, seeks replay from the start: ${reason}`);
    this.failure = reason;
    this.dispose();
  }
}
