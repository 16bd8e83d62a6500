import type { Scope, TailMessage } from '@/lib/sources/types';

// One reader of a live stream (lib/live/hub.ts feeds it): the events waiting
// for it, bounded (a reader that falls too far behind is cut off), and why
// its stream ended.

export type LiveState = 'live' | 'idle' | 'ended';

export interface LiveStatus {
  state: LiveState;
  /** ms since the recording last showed a new message (or since its last event, before any). */
  quietMs: number;
}

export type EndReason = 'ended' | 'session' | 'slow' | 'closed' | 'failed' | 'rotate';

export type FollowEvent =
  | { kind: 'message'; message: TailMessage }
  | { kind: 'status'; status: LiveStatus }
  /** Polling failed (the source is down or slow); following goes on and tries again. */
  | { kind: 'problem'; message: string }
  | { kind: 'end'; reason: EndReason; message: string };

export interface FollowRequest {
  recordingId: string;
  /** The caller, for the per-user cap ('' under open access). */
  who: string;
  /** The last id the reader holds; it gets everything above. */
  afterId: number;
  /** The recording's highest id as the source knows it now: where a new feed starts polling. */
  lastKnownId: number;
  /** Ids below afterId the reader lacks (its gaps near the end): a late arrival fills them. */
  missing: readonly number[];
  /** Unix ms of the recording's last event, as known when following starts. */
  lastEventMs: number;
  /** The caller's scope as it is now, or null when their session no longer counts. */
  authorize: () => Promise<Scope | null>;
}

/** Messages a slow reader may have waiting before it is cut off (it reconnects after its last id). */
export const MAX_QUEUED_BYTES = 8 * 1024 * 1024;

const END_TEXT: Record<EndReason, string> = {
  ended: 'The recording has ended: nothing new arrived for the time LIVE_END_SECONDS allows',
  session: 'Your session no longer counts; sign in again to keep watching',
  slow: 'This connection fell too far behind; it reconnects after the last message received',
  closed: 'Live follow stopped on the server',
  failed: 'Reading new messages failed',
  rotate:
    'This connection reached LIVE_STREAM_MAX_SECONDS; it reconnects after the last message received',
};

export class Follower {
  private queue: FollowEvent[] = [];
  private queuedBytes = 0;
  private waiting: (() => void) | null = null;
  private ended = false;
  /** The last id this follower was given (in order). */
  lastId: number;
  scope: Scope = { hosts: [], users: [] };

  constructor(
    readonly request: FollowRequest,
    private readonly onClose: (follower: Follower) => void,
  ) {
    this.lastId = request.afterId;
  }

  get closed(): boolean {
    return this.ended;
  }

  /** The events waiting, or, when there are none, the next ones to come. */
  async next(): Promise<FollowEvent[]> {
    while (this.queue.length === 0 && !this.ended) {
      await new Promise<void>((resolve) => (this.waiting = resolve));
    }
    const events = this.queue;
    this.queue = [];
    this.queuedBytes = 0;
    return events;
  }

  /** The reader left: frees its place. */
  close(): void {
    if (this.ended) return;
    this.ended = true;
    this.wake();
    this.onClose(this);
  }

  push(event: FollowEvent): void {
    if (this.ended) return;
    this.queue.push(event);
    if (event.kind === 'message') {
      this.queuedBytes += event.message.line.length;
      if (this.queuedBytes > MAX_QUEUED_BYTES) return this.end('slow');
    }
    this.wake();
  }

  end(reason: EndReason, detail?: string): void {
    if (this.ended) return;
    this.queue.push({ kind: 'end', reason, message: detail ?? END_TEXT[reason] });
    this.close();
  }

  private wake(): void {
    const waiting = this.waiting;
    this.waiting = null;
    waiting?.();
  }
}
