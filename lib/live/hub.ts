import { AppError } from '@/lib/errors';
import { inScope } from '@/lib/sources/scope';
import { OPEN_SCOPE, type RecordingSource, type TailMessage } from '@/lib/sources/types';
import {
  Follower,
  MAX_QUEUED_BYTES,
  type FollowRequest,
  type LiveState,
  type LiveStatus,
} from './follower';
import { MessageOrder } from './order';

export * from './follower';

// Live follow on one instance (docs/live.md): one feed per followed
// recording, shared by everyone watching it. A feed polls the source at most
// every `pollMs` for what is above its edge (and for skipped ids), puts it in
// order (order.ts), and hands it to each follower, filtered by that
// follower's scope as checked on this poll. A feed ends, and costs nothing
// more, when its last follower leaves or when the recording has been quiet
// for `endMs`.

export interface LiveSettings {
  /** ms between polls of a followed recording. */
  pollMs: number;
  /** ms a message waits for a missing id before it, before the id is skipped. */
  gapWaitMs: number;
  /** Quiet this long (ms): "no new output". */
  idleMs: number;
  /** Quiet this long (ms): the recording has ended and following stops. */
  endMs: number;
  /** ms between status lines when nothing else is sent (the heartbeat). */
  heartbeatMs: number;
  /** Concurrent live streams on this instance, and per user. */
  maxStreams: number;
  maxPerUser: number;
}

/** Messages a poll reads at most; a full page is followed by another poll at once. */
const POLL_LIMIT = 1000;
/** Released messages kept for followers that join behind the feed's edge. */
const RING_SIZE = 2000;

class Feed {
  readonly followers = new Set<Follower>();
  private readonly joining: Follower[] = [];
  /** The joiner being caught up (in neither list meanwhile). */
  private admitting: Follower | null = null;
  private readonly order: MessageOrder;
  private readonly ring: TailMessage[] = [];
  /** The edge before the ring's first message: the ring holds everything released above it. */
  private ringFrom: number;
  private lastActivity: number;
  private state: LiveState | null = null;
  private lastStatusAt = 0;
  private timer: ReturnType<typeof setTimeout> | null = null;
  private running = false;
  private stopped = false;
  private readonly abort = new AbortController();

  constructor(
    private readonly source: RecordingSource,
    private readonly settings: LiveSettings,
    private readonly recordingId: string,
    first: FollowRequest,
    private readonly now: () => number,
    private readonly onStop: () => void,
  ) {
    // The source's edge, not the first reader's: no caller sets where everyone's poll starts.
    const edge = Math.max(0, first.lastKnownId);
    this.order = new MessageOrder(edge, settings.gapWaitMs, [], now());
    this.ringFrom = edge;
    this.lastActivity = Math.min(now(), first.lastEventMs);
  }

  add(follower: Follower): void {
    this.joining.push(follower);
    this.order.want(follower.request.missing, this.now());
    this.schedule(0);
  }

  remove(follower: Follower): void {
    this.followers.delete(follower);
    const at = this.joining.indexOf(follower);
    if (at >= 0) this.joining.splice(at, 1);
    if (this.followers.size === 0 && this.joining.length === 0) this.stop();
  }

  stop(): void {
    if (this.stopped) return;
    this.stopped = true;
    if (this.timer) clearTimeout(this.timer);
    this.abort.abort();
    const all = [...this.followers, ...this.joining, ...(this.admitting ? [this.admitting] : [])];
    for (const follower of all) follower.end('closed');
    this.onStop();
  }

  private schedule(delay: number): void {
    if (this.stopped || this.running) return;
    if (this.timer) clearTimeout(this.timer);
    this.timer = setTimeout(() => void this.round(), delay);
  }

  /** One poll: read, order, admit joiners, deliver, report the state. Never two at once. */
  private async round(): Promise<void> {
    this.timer = null;
    this.running = true;
    let again = this.settings.pollMs;
    try {
      const now = this.now();
      const found = await this.source.tail(
        OPEN_SCOPE,
        this.recordingId,
        { afterId: this.order.edge, missing: this.order.missing(now), limit: POLL_LIMIT },
        this.abort.signal,
      );
      if (this.stopped) return;
      // Arrival time, not the recorded one: a host's clock may be off.
      const fresh = found.filter((m) => m.id > this.order.edge || this.order.isMissing(m.id));
      if (fresh.length > 0) this.lastActivity = this.now();
      const { inOrder, late } = this.order.arrive(found, this.now());
      this.remember(inOrder);
      await this.authorize();
      if (this.stopped) return;
      for (const follower of this.followers) {
        for (const message of inOrder) {
          if (message.id <= follower.lastId) continue;
          follower.lastId = message.id;
          if (inScope(follower.scope, message.host, message.user))
            follower.push({ kind: 'message', message });
        }
        for (const message of late)
          if (inScope(follower.scope, message.host, message.user))
            follower.push({ kind: 'message', message });
      }
      // Joiners after this round's delivery: their catch-up reaches the new edge.
      await this.admit();
      if (this.stopped) return;
      this.report(fresh.length > 0);
      // A full page that moved the edge: more is waiting. (One held back by a gap is not.)
      if (found.length >= POLL_LIMIT && inOrder.length > 0) again = 0;
      const deadline = this.order.nextDeadline();
      if (deadline !== null) again = Math.min(again, Math.max(0, deadline - this.now()));
    } catch (err) {
      if (this.stopped) return;
      // The source is down or slow: say so, keep the followers, and try again.
      console.error(`live: polling ${this.recordingId} failed:`, err);
      const detail = err instanceof AppError ? err.message : 'Reading new messages failed';
      for (const follower of this.followers) follower.push({ kind: 'problem', message: detail });
      again = Math.max(this.settings.pollMs, 5000);
    } finally {
      this.running = false;
    }
    if (this.followers.size === 0 && this.joining.length === 0) this.stop();
    else this.schedule(again);
  }

  private remember(released: TailMessage[]): void {
    for (const message of released) this.ring.push(message);
    const extra = this.ring.length - RING_SIZE;
    if (extra > 0) {
      const dropped = this.ring.splice(0, extra);
      this.ringFrom = dropped[dropped.length - 1]?.id ?? this.ringFrom;
    }
  }

  /** Followers that joined since the last poll get what they lack up to the edge, then join. */
  private async admit(): Promise<void> {
    while (this.joining.length > 0 && !this.stopped) {
      const follower = this.joining.shift();
      if (!follower || follower.closed) continue;
      this.admitting = follower;
      try {
        const scope = await follower.request.authorize().catch(() => null);
        if (follower.closed || this.stopped) continue;
        if (scope === null) {
          follower.end('session');
          continue;
        }
        follower.scope = scope;
        const edge = this.order.edge;
        if (follower.lastId < edge) {
          if (follower.lastId >= this.ringFrom) {
            for (const message of this.ring)
              if (message.id > follower.lastId && inScope(scope, message.host, message.user))
                follower.push({ kind: 'message', message });
          } else if (!(await this.read(follower, edge))) {
            // Too much to catch up on at once: it reconnects after what it got.
            follower.end('slow');
            continue;
          }
          if (follower.closed || this.stopped) continue;
          follower.lastId = edge;
        }
        this.followers.add(follower);
        follower.push({ kind: 'status', status: this.status() });
      } catch (err) {
        console.error(`live: catching up on ${this.recordingId} failed:`, err);
        follower.end('failed');
      } finally {
        this.admitting = null;
      }
    }
    // Stopped meanwhile: nobody waits for a feed that no longer polls.
    if (this.stopped) for (const follower of this.joining.splice(0)) follower.end('closed');
  }

  /**
   * A follower far behind the edge reads what it missed itself, in its own
   * scope, up to half of what a reader may have waiting (false: it stopped
   * there, and the follower reconnects after what it got).
   */
  private async read(follower: Follower, edge: number): Promise<boolean> {
    let after = follower.lastId;
    let bytes = 0;
    while (after < edge) {
      const page = await this.source.tail(
        follower.scope,
        this.recordingId,
        { afterId: after, missing: [], limit: POLL_LIMIT },
        this.abort.signal,
      );
      for (const message of page) {
        // A duplicate (rsyslog retried) is left out, as everywhere: the first one counts.
        if (message.id > edge || message.id <= after) continue;
        follower.push({ kind: 'message', message });
        after = message.id;
        bytes += message.line.length;
      }
      if (page.length < POLL_LIMIT || (page[page.length - 1]?.id ?? edge) >= edge) return true;
      if (bytes > MAX_QUEUED_BYTES / 2) return false;
    }
    return true;
  }

  /** Each follower's session and scope, as they are now: checked on every poll. */
  private async authorize(): Promise<void> {
    await Promise.all(
      [...this.followers].map(async (follower) => {
        const scope = await follower.request.authorize().catch(() => null);
        if (scope === null) follower.end('session');
        else follower.scope = scope;
      }),
    );
  }

  private status(): LiveStatus {
    const quietMs = Math.max(0, this.now() - this.lastActivity);
    const state: LiveState =
      quietMs >= this.settings.endMs ? 'ended' : quietMs >= this.settings.idleMs ? 'idle' : 'live';
    return { state, quietMs };
  }

  /** A status line when the state changes or a heartbeat is due; the end when the recording ended. */
  private report(active: boolean): void {
    const status = this.status();
    const now = this.now();
    if (
      status.state !== this.state ||
      active ||
      now - this.lastStatusAt >= this.settings.heartbeatMs
    ) {
      this.state = status.state;
      this.lastStatusAt = now;
      for (const follower of this.followers) follower.push({ kind: 'status', status });
    }
    if (status.state === 'ended') {
      for (const follower of this.followers) follower.end('ended');
      this.stop();
    }
  }
}

export class LiveHub {
  private readonly feeds = new Map<string, Feed>();
  private streams = 0;
  private readonly perUser = new Map<string, number>();

  constructor(
    private readonly source: RecordingSource,
    readonly settings: LiveSettings,
    private readonly now: () => number = Date.now,
  ) {}

  /** Live streams open now, on this instance. */
  get open(): number {
    return this.streams;
  }

  /** Feeds polling now (one per followed recording). */
  get polling(): number {
    return this.feeds.size;
  }

  /** Starts following; throws AppError('too_many_streams') when a cap is reached. */
  follow(request: FollowRequest): Follower {
    const mine = this.perUser.get(request.who) ?? 0;
    if (this.streams >= this.settings.maxStreams)
      throw new AppError(
        'too_many_streams',
        `This instance is following ${this.streams} live streams, its limit (LIVE_MAX_STREAMS); close a live view or try again later`,
      );
    // Under open access there are no users to tell apart: the instance's cap alone applies.
    if (request.who !== '' && mine >= this.settings.maxPerUser)
      throw new AppError(
        'too_many_streams',
        `You are watching ${mine} recordings live, the limit per user (LIVE_MAX_PER_USER); close one of them first`,
      );
    this.streams += 1;
    this.perUser.set(request.who, mine + 1);
    let feed = this.feeds.get(request.recordingId);
    if (!feed) {
      const created: Feed = new Feed(
        this.source,
        this.settings,
        request.recordingId,
        request,
        this.now,
        () => {
          if (this.feeds.get(request.recordingId) === created)
            this.feeds.delete(request.recordingId);
        },
      );
      feed = created;
      this.feeds.set(request.recordingId, feed);
    }
    const joined = feed;
    const follower = new Follower(request, (f) => {
      this.streams -= 1;
      const left = (this.perUser.get(request.who) ?? 1) - 1;
      if (left > 0) this.perUser.set(request.who, left);
      else this.perUser.delete(request.who);
      joined.remove(f);
    });
    feed.add(follower);
    return follower;
  }

  /** Stops every feed (tests, shutdown). */
  stopAll(): void {
    for (const feed of [...this.feeds.values()]) feed.stop();
  }
}
