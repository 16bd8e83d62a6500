// The main thread's side of the keyframe worker: feeds it the timeline's
// events as they load and keeps the keyframes it sends back, for the engine
// to look up. Without Worker support (or if the worker fails) there are
// simply no keyframes, and seeks replay from the start.

import { packEvents, transferables } from '@/lib/replay/event-batch';
import { KeyframeStore, type Keyframe, type KeyframeSource } from '@/lib/replay/keyframes';
import type { TimelineEvent } from '@/lib/tlog';

export type WorkerReply =
  | { type: 'keyframe'; keyframe: Keyframe }
  | { type: 'indexed'; index: number }
  | { type: 'error'; message: string };

export class KeyframeClient implements KeyframeSource {
  readonly store = new KeyframeStore();
  /** Events handed to the worker. */
  private sent = 0;
  /** Events the worker has played. */
  indexed = 0;
  private worker: Worker | null = null;

  constructor(private readonly onIndexed: (indexed: number, store: KeyframeStore) => void) {
    try {
      this.worker = new Worker(new URL('./keyframe-worker.ts', import.meta.url));
      this.worker.onmessage = (event: MessageEvent<WorkerReply>) => this.receive(event.data);
      this.worker.onerror = (event) => this.stop(event.message);
    } catch (err) {
      this.stop(err instanceof Error ? err.message : String(err));
    }
  }

  before(index: number): Keyframe | null {
    return this.store.before(index);
  }

  /** Hands the worker the events it has not seen yet. */
  feed(events: readonly TimelineEvent[]): void {
    if (!this.worker || events.length <= this.sent) return;
    const batch = packEvents(events, this.sent, events.length);
    this.sent = events.length;
    this.worker.postMessage(batch, transferables(batch));
  }

  dispose(): void {
    this.worker?.terminate();
    this.worker = null;
  }

  private receive(reply: WorkerReply): void {
    if (reply.type === 'keyframe') this.store.add(reply.keyframe);
    else if (reply.type === 'indexed') {
      this.indexed = reply.index;
      this.onIndexed(reply.index, this.store);
    } else this.stop(reply.message);
  }

  private stop(reason: string): void {
    console.warn(`keyframes unavailable, seeks replay from the start: ${reason}`);
    this.dispose();
  }
}
