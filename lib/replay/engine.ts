// The playback state machine. It owns the position in the recording and
// decides what reaches the terminal and when; the view only subscribes and
// calls play/pause/seek/setSpeed. Time comes from an injected Clock, output
// goes to an injected TerminalSink.

import type { Timeline } from '../tlog/recording';
import type { TimelineEvent } from '../tlog/timing';
import type { Clock } from './clock';

export const PlayerState = {
  /** Waiting for the first messages of the recording. */
  Loading: 'loading',
  /** Time advances and output is written as it comes due. */
  Playing: 'playing',
  /** Time stands still at `time`. */
  Paused: 'paused',
  /** The position reached the end of a fully loaded recording. */
  Ended: 'ended',
  /** The recording could not be loaded; `error` says why. */
  Error: 'error',
} as const;
export type PlayerState = (typeof PlayerState)[keyof typeof PlayerState];

/** Where output goes. `write` resolves once the terminal has processed the data. */
export interface TerminalSink {
  reset(): void;
  resize(cols: number, rows: number): void;
  write(data: Uint8Array): Promise<void>;
}

export interface PlayerSnapshot {
  state: PlayerState;
  /** Position in ms from the recording's start. */
  time: number;
  durationMs: number;
  speed: number;
  /** False while messages are still arriving. */
  complete: boolean;
  error: string | null;
}

export const MIN_SPEED = 1 / 16;
export const MAX_SPEED = 16;

const EMPTY: Timeline = {
  events: [],
  durationMs: 0,
  startMs: null,
  messages: 0,
  firstId: null,
  lastId: null,
  duplicates: 0,
  gaps: [],
  hasInput: false,
  problems: [],
};

export class ReplayEngine {
  private timeline: Timeline = EMPTY;
  private complete = false;
  private state: PlayerState = PlayerState.Loading;
  private error: string | null = null;
  private speed = 1;
  /** Position at `anchorClock`; while playing, time = anchorTime + elapsed * speed. */
  private anchorTime = 0;
  private anchorClock = 0;
  /** Index of the next event not yet written to the sink. */
  private next = 0;
  private size: { cols: number; rows: number } | null = null;
  private cancelTimer: (() => void) | null = null;
  /** Sink operations run one after another (flow control). */
  private queue: Promise<void> = Promise.resolve();
  /** Sink operations queued and not yet finished. */
  private pending = 0;
  private readonly listeners = new Set<(snapshot: PlayerSnapshot) => void>();

  constructor(
    private readonly clock: Clock,
    private readonly sink: TerminalSink,
    private readonly options: { autoplay: boolean; startAt?: number } = { autoplay: true },
  ) {}

  subscribe(listener: (snapshot: PlayerSnapshot) => void): () => void {
    this.listeners.add(listener);
    listener(this.snapshot());
    return () => this.listeners.delete(listener);
  }

  snapshot(): PlayerSnapshot {
    return {
      state: this.state,
      time: this.currentTime(),
      durationMs: this.timeline.durationMs,
      speed: this.speed,
      complete: this.complete,
      error: this.error,
    };
  }

  currentTime(): number {
    if (this.state !== PlayerState.Playing) return this.anchorTime;
    const elapsed = (this.clock.now() - this.anchorClock) * this.speed;
    return Math.min(this.anchorTime + elapsed, this.timeline.durationMs);
  }

  /** Called as messages stream in; `timeline` only ever grows. */
  update(timeline: Timeline, complete: boolean): void {
    this.timeline = timeline;
    this.complete = complete;
    if (this.state === PlayerState.Loading && (timeline.events.length > 0 || complete)) {
      const start = this.options.startAt;
      if (start !== undefined) {
        // A link to a moment opens paused there, once that moment has loaded.
        if (start > timeline.durationMs && !complete) return;
        this.state = PlayerState.Paused;
        this.seek(start);
        return;
      }
      this.state = this.options.autoplay ? PlayerState.Playing : PlayerState.Paused;
      this.anchorClock = this.clock.now();
      this.anchorTime = 0;
    }
    if (this.state === PlayerState.Playing) this.schedule(0);
    this.emit();
  }

  fail(message: string): void {
    this.stopTimer();
    this.error = message;
    this.state = PlayerState.Error;
    this.emit();
  }

  play(): void {
    if (this.state === PlayerState.Loading || this.state === PlayerState.Error) return;
    if (this.state === PlayerState.Playing) return;
    if (this.state === PlayerState.Ended) this.seekTo(0);
    this.state = PlayerState.Playing;
    this.anchorClock = this.clock.now();
    this.schedule(0);
    this.emit();
  }

  pause(): void {
    if (this.state !== PlayerState.Playing) return;
    this.anchorTime = this.currentTime();
    this.state = PlayerState.Paused;
    this.stopTimer();
    this.emit();
  }

  togglePlay(): void {
    if (this.state === PlayerState.Playing) this.pause();
    else this.play();
  }

  setSpeed(speed: number): void {
    const clamped = Math.min(MAX_SPEED, Math.max(MIN_SPEED, speed));
    if (this.state === PlayerState.Playing) {
      this.anchorTime = this.currentTime();
      this.anchorClock = this.clock.now();
    }
    this.speed = clamped;
    if (this.state === PlayerState.Playing) this.schedule(0);
    this.emit();
  }

  seek(ms: number): void {
    if (this.state === PlayerState.Loading || this.state === PlayerState.Error) return;
    this.seekTo(ms);
    if (this.state === PlayerState.Ended && this.anchorTime < this.timeline.durationMs) {
      this.state = PlayerState.Paused;
    }
    if (this.state === PlayerState.Playing) this.schedule(0);
    this.emit();
  }

  dispose(): void {
    this.stopTimer();
    this.listeners.clear();
  }

  /** Resolves when every queued terminal write has been processed. */
  flushed(): Promise<void> {
    return this.queue;
  }

  private seekTo(ms: number): void {
    const target = Math.min(Math.max(0, ms), this.timeline.durationMs);
    const applied = this.next > 0 ? (this.timeline.events[this.next - 1]?.t ?? 0) : 0;
    if (target < applied) {
      // Replays from the start; keyframes (issue 4) will shorten this.
      this.next = 0;
      this.size = null;
      this.enqueue(() => this.sink.reset());
    }
    this.writeUntil(target);
    this.anchorTime = target;
    this.anchorClock = this.clock.now();
  }

  /** Writes every event with t <= until, output batched between resizes. */
  private writeUntil(until: number): void {
    const events = this.timeline.events;
    let batch: Uint8Array[] = [];
    const flush = () => {
      if (batch.length === 0) return;
      const data = joinBytes(batch);
      batch = [];
      this.enqueue(() => this.sink.write(data));
    };
    while (this.next < events.length) {
      const event: TimelineEvent | undefined = events[this.next];
      if (!event || event.t > until) break;
      this.next += 1;
      if (event.kind === 'output') {
        batch.push(event.data);
      } else if (event.kind === 'window') {
        if (this.size && this.size.cols === event.cols && this.size.rows === event.rows) continue;
        flush();
        this.size = { cols: event.cols, rows: event.rows };
        const { cols, rows } = event;
        this.enqueue(() => this.sink.resize(cols, rows));
      }
    }
    flush();
  }

  private enqueue(op: () => void | Promise<void>): void {
    this.pending += 1;
    const done = () => {
      this.pending -= 1;
    };
    this.queue = this.queue.then(op).then(done, done);
  }

  private tick = (): void => {
    this.cancelTimer = null;
    if (this.state !== PlayerState.Playing) return;
    const now = this.currentTime();
    this.writeUntil(now);
    const events = this.timeline.events;
    if (this.next >= events.length && this.complete && now >= this.timeline.durationMs) {
      this.anchorTime = this.timeline.durationMs;
      this.state = PlayerState.Ended;
      this.emit();
      return;
    }
    const upcoming = events[this.next];
    const dueAt = upcoming ? upcoming.t : this.complete ? this.timeline.durationMs : null;
    if (dueAt === null) return; // Waiting for more messages: update() resumes.
    if (this.pending > 0) {
      // Flow control: let the terminal catch up, then look at the clock again.
      const queued = this.queue;
      void queued.then(() => {
        if (this.state === PlayerState.Playing && this.cancelTimer === null) this.schedule(0);
      });
      return;
    }
    this.schedule(Math.max(0, (dueAt - now) / this.speed));
  };

  private schedule(delay: number): void {
    this.stopTimer();
    this.cancelTimer = this.clock.setTimer(this.tick, delay);
  }

  private stopTimer(): void {
    this.cancelTimer?.();
    this.cancelTimer = null;
  }

  private emit(): void {
    const snapshot = this.snapshot();
    for (const listener of this.listeners) listener(snapshot);
  }
}

function joinBytes(chunks: Uint8Array[]): Uint8Array {
  if (chunks.length === 1 && chunks[0]) return chunks[0];
  const total = chunks.reduce((sum, chunk) => sum + chunk.length, 0);
  const out = new Uint8Array(total);
  let offset = 0;
  for (const chunk of chunks) {
    out.set(chunk, offset);
    offset += chunk.length;
  }
  return out;
}
