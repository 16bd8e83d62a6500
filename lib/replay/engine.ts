// The playback state machine. It owns the position in the recording and
// decides what reaches the terminal and when; the view only subscribes and
// calls play/pause/seek/step/setSpeed. Time comes from an injected Clock,
// output goes to an injected TerminalSink through a Playhead, which restores
// keyframes from an optional KeyframeSource so that no seek replays from the
// start.

import type { Timeline } from '../tlog/recording';
import { emptyTimeline } from '../tlog/recording';
import type { Clock } from './clock';
import { Playhead, type TerminalSink } from './playhead';
import { TimelineIndex } from './timeline-index';
import {
  MAX_SPEED,
  MIN_SPEED,
  PlayerEvent,
  PlayerState,
  type EngineOptions,
  type PlayerSnapshot,
} from './player-state';

export type { TerminalSink } from './playhead';
export * from './player-state';

export class ReplayEngine {
  private timeline: Timeline = emptyTimeline();
  private complete = false;
  private state: PlayerState = PlayerState.Loading;
  private error: string | null = null;
  private speed = 1;
  private idleLimitMs: number | null = null;
  private waitingFor: number | null = null;
  /** Position at `anchorClock`; while playing, time = anchorTime + elapsed * speed. */
  private anchorTime = 0;
  private anchorClock = 0;
  /** Playing but at the end of what has loaded: time stands still until more arrives. */
  private stalled = false;
  /**
   * Following a recording live: a stall at the end is the recording's own
   * quiet, already waited out in real time, so when more arrives playing
   * goes on from its first event instead of replaying the quiet (docs/live.md).
   */
  private following = false;
  private cancelTimer: (() => void) | null = null;
  private readonly index = new TimelineIndex();
  private readonly playhead: Playhead;
  private readonly listeners = new Set<(snapshot: PlayerSnapshot) => void>();

  constructor(
    private readonly clock: Clock,
    sink: TerminalSink,
    private readonly options: EngineOptions = { autoplay: true },
  ) {
    this.playhead = new Playhead(sink, this.index, options.keyframes ?? null, options.output);
  }

  subscribe(listener: (snapshot: PlayerSnapshot) => void): () => void {
    this.listeners.add(listener);
    listener(this.snapshot(PlayerEvent.State));
    return () => this.listeners.delete(listener);
  }

  snapshot(event: PlayerEvent = PlayerEvent.State): PlayerSnapshot {
    const { state, speed, complete, error, waitingFor, idleLimitMs } = this;
    const [time, durationMs] = [this.currentTime(), this.timeline.durationMs];
    return { state, event, time, durationMs, speed, complete, waitingFor, idleLimitMs, error };
  }

  currentTime(): number {
    if (this.state !== PlayerState.Playing || this.stalled || this.waitingFor !== null)
      return this.anchorTime;
    const elapsed = (this.clock.now() - this.anchorClock) * this.speed;
    return Math.min(this.anchorTime + elapsed, this.timeline.durationMs);
  }

  /** Terminal operations not processed yet (0: the screen shows the position). */
  get pendingWrites(): number {
    return this.playhead.pending;
  }

  /** Keyframe restores so far (tests and benchmarks). */
  get restores(): number {
    return this.playhead.restores;
  }

  /** Called as messages stream in; `timeline` only ever grows. */
  update(timeline: Timeline, complete: boolean): void {
    this.timeline = timeline;
    this.complete = complete;
    this.index.sync(timeline.events);
    const loaded = (ms: number) => complete || ms <= timeline.durationMs;
    if (this.state === PlayerState.Loading) {
      const start = this.options.startAt;
      if ((timeline.events.length === 0 && !complete) || (start !== undefined && !loaded(start))) {
        this.emit(PlayerEvent.Progress);
        return;
      }
      this.state =
        start !== undefined || !this.options.autoplay ? PlayerState.Paused : PlayerState.Playing;
      this.moveTo(start ?? 0, PlayerEvent.State);
      return;
    }
    if (this.waitingFor !== null && loaded(this.waitingFor)) {
      this.moveTo(this.waitingFor, PlayerEvent.Seeked);
      return;
    }
    if (this.stalled) {
      this.stalled = false;
      // Live: the quiet before the new output was waited out as it happened;
      // the new output starts now, at its recorded pace from there.
      if (this.following)
        this.anchorTime = Math.min(
          this.index.nextEventTime(this.anchorTime) ?? this.anchorTime,
          timeline.durationMs,
        );
      this.anchorClock = this.clock.now();
    }
    if (this.state === PlayerState.Playing) this.schedule(0);
    this.emit(PlayerEvent.Progress);
  }

  /** Live follow on or off (see `following`). */
  setFollowing(on: boolean): void {
    this.following = on;
  }

  fail(message: string): void {
    this.stopTimer();
    this.error = message;
    this.state = PlayerState.Error;
    this.emit(PlayerEvent.State);
  }

  play(): void {
    if (this.state !== PlayerState.Paused && this.state !== PlayerState.Ended) return;
    if (this.state === PlayerState.Ended) this.moveTo(0, PlayerEvent.Seeked);
    this.state = PlayerState.Playing;
    this.anchorClock = this.clock.now();
    this.schedule(0);
    this.emit(PlayerEvent.State);
  }

  pause(): void {
    if (this.state !== PlayerState.Playing) return;
    this.anchorTime = this.currentTime();
    this.state = PlayerState.Paused;
    this.stopTimer();
    this.emit(PlayerEvent.State);
  }

  togglePlay(): void {
    if (this.state === PlayerState.Playing) this.pause();
    else this.play();
  }

  setSpeed(speed: number): void {
    const clamped = Math.min(MAX_SPEED, Math.max(MIN_SPEED, Number.isFinite(speed) ? speed : 1));
    this.rebase();
    this.speed = clamped;
    if (this.state === PlayerState.Playing) this.schedule(0);
    this.emit(PlayerEvent.Settings);
  }

  /** Caps pauses longer than `ms` while playing; null turns the limit off. */
  setIdleLimit(ms: number | null): void {
    this.rebase();
    this.idleLimitMs = ms !== null && ms > 0 ? ms : null;
    if (this.state === PlayerState.Playing) this.schedule(0);
    this.emit(PlayerEvent.Settings);
  }

  seek(ms: number): void {
    if (this.state === PlayerState.Loading || this.state === PlayerState.Error) return;
    this.moveTo(ms, PlayerEvent.Seeked);
  }

  /** Moves by `deltaMs` from the current position (or from a pending seek target). */
  skip(deltaMs: number): void {
    this.seek((this.waitingFor ?? this.currentTime()) + deltaMs);
  }

  /** Pauses and shows the next moment with output. */
  stepForward(): void {
    this.pause();
    const next = this.index.nextOutputTime(this.currentTime());
    this.seek(next ?? this.timeline.durationMs);
  }

  /** Pauses and shows the previous moment with output. */
  stepBack(): void {
    this.pause();
    this.seek(this.index.previousOutputTime(this.currentTime()) ?? 0);
  }

  dispose(): void {
    this.stopTimer();
    this.listeners.clear();
  }

  /** Resolves when every queued terminal write has been processed. */
  flushed(): Promise<void> {
    return this.playhead.idle();
  }

  private rebase(): void {
    this.anchorTime = this.currentTime();
    this.anchorClock = this.clock.now();
  }

  /** Jumps to `ms`, or to the end of what has loaded and waits for the rest. */
  private moveTo(ms: number, event: PlayerEvent): void {
    const duration = this.timeline.durationMs;
    const target = Math.max(0, ms);
    this.waitingFor = !this.complete && target > duration ? target : null;
    const at = Math.min(target, duration);
    this.playhead.moveTo(this.timeline.events, this.index.countAt(at));
    this.anchorTime = at;
    this.anchorClock = this.clock.now();
    this.stalled = false;
    if (this.complete && at >= duration) {
      this.stopTimer();
      this.state = PlayerState.Ended;
    } else if (this.state === PlayerState.Ended) {
      this.state = PlayerState.Paused;
    }
    if (this.state === PlayerState.Playing) this.schedule(0);
    this.emit(event);
    this.whenSettled();
  }

  /** Emits Settled once the terminal has caught up with everything queued. */
  private whenSettled(): void {
    const writes = this.playhead.idle();
    void writes.then(() => {
      if (this.playhead.idle() === writes) this.emit(PlayerEvent.Settled);
      else this.whenSettled();
    });
  }

  private tick = (): void => {
    this.cancelTimer = null;
    if (this.state !== PlayerState.Playing || this.waitingFor !== null) return;
    const now = this.currentTime();
    this.playhead.moveTo(this.timeline.events, this.index.countAt(now));
    const duration = this.timeline.durationMs;
    if (now >= duration) {
      this.anchorTime = duration;
      this.anchorClock = this.clock.now();
      if (this.complete) {
        this.state = PlayerState.Ended;
        this.emit(PlayerEvent.State);
      } else {
        this.stalled = true; // update() resumes when more arrives.
      }
      return;
    }
    if (this.playhead.pending > 0) {
      // Flow control: let the terminal catch up, then look at the clock again.
      void this.playhead.idle().then(() => {
        if (this.state === PlayerState.Playing && this.cancelTimer === null) this.schedule(0);
      });
      return;
    }
    const dueAt = this.index.nextEventTime(now) ?? duration;
    if (this.idleLimitMs !== null && dueAt - now > this.idleLimitMs) {
      // Idle-time limit: jump over the quiet part, keeping `idleLimitMs` of it.
      this.anchorTime = dueAt - this.idleLimitMs;
      this.anchorClock = this.clock.now();
    }
    this.schedule(Math.max(0, (dueAt - this.currentTime()) / this.speed));
  };

  private schedule(delay: number): void {
    this.stopTimer();
    this.cancelTimer = this.clock.setTimer(this.tick, delay);
  }

  private stopTimer(): void {
    this.cancelTimer?.();
    this.cancelTimer = null;
  }

  private emit(event: PlayerEvent): void {
    const snapshot = this.snapshot(event);
    for (const listener of this.listeners) listener(snapshot);
  }
}
