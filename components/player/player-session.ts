import type { Terminal } from '@xterm/xterm';
import { xtermSink } from '@/lib/replay/adapters/xterm-sink';
import { realClock } from '@/lib/replay/clock';
import {
  INITIAL_SNAPSHOT,
  PlayerEvent,
  PlayerState,
  ReplayEngine,
  type PlayerSnapshot,
} from '@/lib/replay/engine';
import { TimelineBuilder, type Timeline, type TlogMessage } from '@/lib/tlog';
import type { FindQuery } from '@/lib/replay/find';
import type { ScreenHit } from '@/lib/replay/screen-text';
import type { CommandEntry } from '@/lib/replay/commands/types';
import { KeyframeClient, type CommandsReply, type FoundReply } from './keyframe-client';
import { followLive, type LiveView } from './live-follow';
import { loadRecording } from './load-recording';
import { fetchOutput } from './refetch';
import { OutputChunks } from '@/lib/replay/output-chunks';
import { markSettled } from './marks';
import {
  EMPTY_PUBLICATION,
  TimelinePublisher,
  type TimelinePublication,
} from './timeline-publisher';

// One recording playing in one terminal: the engine, the keyframe worker,
// the loading, and what the view shows of them (PlayerView), published to
// subscribers. No React here: use-player.ts binds it to a component.

export interface PlayerOptions {
  recordingId: string;
  /** ms; opens paused there (a link to a moment). */
  startAt?: number;
  speed: number;
  /** The recording's duration from its summary (the seek bar's span while loading). */
  totalMs: number;
  /** The recording's summary says it holds input (the command timeline's doubts use it). */
  hasInput: boolean;
  /** false: play without keyframes (the benchmark's baseline). */
  keyframes: boolean;
  /** Bytes of output to hold in the page at most (docs/memory.md). */
  outputBudget: number;
  /** The recording is in progress: keep following it after what has arrived (docs/live.md). */
  live?: boolean;
  /** Open at the live edge (`?live=1`) instead of the start. */
  edge?: boolean;
  /** Play from `startAt` once what has arrived is loaded (a reload that was playing). */
  playAfterLoad?: boolean;
  /**
   * A message that had been given up as missing arrived: the recording must
   * be read again to put it in its place. Called with where the view was.
   */
  onReload?: (at: number, playing: boolean, speed: number) => void;
}

/**
 * Output the keyframe worker may have waiting at most, once a recording
 * holds more output than the budget: the network read waits for it.
 */
const WORKER_BACKLOG = 64 * 1024 * 1024;

/** Keyframes may take half as much as the output (a 100 MB recording has about 50 MB of them). */
export function keyframeBudget(outputBudget: number): number {
  return Math.max(8 * 1024 * 1024, Math.floor(outputBudget / 2));
}

/** The output held in the page, against its budget (docs/memory.md). */
export interface MemoryView {
  held: number;
  peak: number;
  budget: number;
  evictions: number;
  refetches: number;
  /** A write waits for output fetched again: the screen is not at the position yet. */
  refetching: boolean;
  /** Why the last re-fetch failed, or null. */
  error: string | null;
}

const NO_MEMORY: MemoryView = {
  held: 0,
  peak: 0,
  budget: 0,
  evictions: 0,
  refetches: 0,
  refetching: false,
  error: null,
};

/** How many missing ids near the end a reconnect asks for again (lib/live/order.ts MAX_MISSING). */
const MISSING_ASKED = 1000;

/** The command timeline as found so far (lib/replay/commands, docs/commands.md). */
export interface CommandsView {
  list: readonly CommandEntry[];
  /** The whole recording has been played: the list is final. */
  complete: boolean;
  truncated: boolean;
  /** Why there is no list (no worker), or null. */
  error: string | null;
}

export interface PlayerView extends TimelinePublication {
  snapshot: PlayerSnapshot;
  /** The position, sampled while playing. */
  time: number;
  /** Every terminal write after the last jump is done: the screen shows `time`. */
  settled: boolean;
  /** Events played by the keyframe worker. */
  indexed: number;
  /** Keyframes received from the worker, and their size in bytes. */
  keyframeCount: number;
  keyframeBytes: number;
  size: { cols: number; rows: number };
  keyframes: boolean;
  /**
   * Loading failed after part of the recording arrived: that part stays
   * playable, and this says why the rest is missing.
   */
  loadError: string | null;
  /** Lines in the screen text index, and about what they take (bytes). */
  textLines: number;
  textBytes: number;
  /** The moment the screen text index stopped, its budget spent (null: it has not). */
  textFullAt: number | null;
  find: FindResults;
  commands: CommandsView;
  /** Live follow's state; null when the recording is not followed. */
  live: LiveView | null;
  memory: MemoryView;
}

/** The search of the screen's text (the typed input is searched by the view). */
export interface FindResults {
  query: FindQuery | null;
  id: number | null;
  /** In time order. */
  hits: readonly ScreenHit[];
  /** Lines searched, of `lines` indexed so far. */
  searched: number;
  lines: number;
  error: string | null;
}

export const NO_FIND: FindResults = {
  query: null,
  id: null,
  hits: [],
  searched: 0,
  lines: 0,
  error: null,
};

/** How often the view looks at the clock while playing, and at loading progress. */
const SAMPLE_MS = 100;

export function initialView(options: Pick<PlayerOptions, 'startAt'>, size: PlayerView['size']) {
  return {
    ...EMPTY_PUBLICATION,
    snapshot: INITIAL_SNAPSHOT,
    time: options.startAt ?? 0,
    settled: false,
    indexed: 0,
    keyframeCount: 0,
    keyframeBytes: 0,
    size,
    keyframes: true,
    loadError: null,
    textLines: 0,
    textBytes: 0,
    textFullAt: null,
    find: NO_FIND,
    commands: { list: [], complete: false, truncated: false, error: null },
    live: null,
    memory: NO_MEMORY,
  } satisfies PlayerView;
}

export class PlayerSession {
  readonly engine: ReplayEngine;
  private view: PlayerView;
  private readonly listeners = new Set<() => void>();
  private readonly keyframes: KeyframeClient | null;
  private readonly publisher: TimelinePublisher;
  private readonly builder = new TimelineBuilder();
  /** The output's chunks; null without the keyframe worker (nothing is let go then). */
  private readonly output: OutputChunks | null;
  private readonly abort = new AbortController();
  private readonly cleanups: (() => void)[] = [];
  private firstFrame = true;

  constructor(
    private readonly terminal: Terminal,
    options: PlayerOptions,
  ) {
    this.view = {
      ...initialView(options, { cols: terminal.cols, rows: terminal.rows }),
      keyframes: options.keyframes,
    };
    this.publisher = new TimelinePublisher(options.totalMs);
    this.keyframes = options.keyframes
      ? new KeyframeClient(
          ({ index, textLines, textBytes, textFullAt }, store) =>
            this.set((v) =>
              v.indexed === index
                ? v
                : {
                    ...v,
                    indexed: index,
                    keyframeCount: store.keyframes.length,
                    keyframeBytes: store.size,
                    textLines,
                    textBytes,
                    textFullAt,
                  },
            ),
          (reply) => this.found(reply),
          (reply) => this.commandsFound(reply),
          options.hasInput,
          keyframeBudget(options.outputBudget),
        )
      : null;
    if (!this.keyframes?.available)
      this.set((v) => ({
        ...v,
        commands: {
          ...v.commands,
          error: 'The command timeline needs the screen index (a Web Worker), which did not start.',
        },
      }));
    const keyframes = this.keyframes;
    this.output = keyframes?.available
      ? new OutputChunks(this.builder.timeline.events, {
          budget: options.outputBudget,
          fetch: fetchOutput(options.recordingId, this.abort.signal),
          // Both the worker and the activity strip have read these events' bytes.
          releasedBelow: () => Math.min(keyframes.sent, this.publisher.counted),
          onChange: () => this.memoryChanged(),
        })
      : null;
    this.engine = new ReplayEngine(realClock, xtermSink(terminal), {
      autoplay: options.startAt === undefined,
      ...(options.startAt !== undefined ? { startAt: options.startAt } : {}),
      keyframes: this.keyframes,
      output: this.output,
    });
    this.engine.setSpeed(options.speed);
    const resized = terminal.onResize(({ cols, rows }) =>
      this.set((v) => ({ ...v, size: { cols, rows } })),
    );
    this.cleanups.push(() => resized.dispose());
    this.cleanups.push(this.followEngine());
    this.cleanups.push(this.sample());
    this.load(options);
  }

  subscribe = (listener: () => void): (() => void) => {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  };

  getView = (): PlayerView => this.view;

  dispose(): void {
    this.abort.abort();
    for (const cleanup of this.cleanups) cleanup();
    this.engine.dispose();
    this.keyframes?.dispose();
    this.listeners.clear();
  }

  /** Back to the live edge, playing (the "Go live" control and End while following). */
  goLive(): void {
    const snapshot = this.engine.snapshot();
    this.engine.seek(snapshot.durationMs);
    this.engine.play();
  }

  /** Searches the screen's text for `query` (null: stops searching). */
  find(query: FindQuery | null): void {
    if (!query) {
      this.keyframes?.clearFind();
      this.set((v) => ({ ...v, find: NO_FIND }));
      return;
    }
    const id = this.keyframes?.find(query) ?? null;
    const error =
      id !== null
        ? null
        : this.keyframes?.failure
          ? `Find is unavailable: the screen index stopped (${this.keyframes.failure}).`
          : 'Find is unavailable: this browser did not start the screen index (a Web Worker).';
    this.set((v) => ({ ...v, find: { ...NO_FIND, query, id, lines: v.textLines, error } }));
  }

  private found(reply: FoundReply): void {
    this.set((v) =>
      v.find.id !== reply.id
        ? v
        : {
            ...v,
            find: {
              ...v.find,
              hits: reply.hits.length > 0 ? [...v.find.hits, ...reply.hits] : v.find.hits,
              searched: reply.searched,
              lines: reply.lines,
              error: reply.error ?? v.find.error,
            },
          },
    );
  }

  private commandsFound(reply: CommandsReply): void {
    this.set((v) => ({
      ...v,
      commands: {
        list:
          reply.commands.length > 0 || reply.from < v.commands.list.length
            ? [...v.commands.list.slice(0, reply.from), ...reply.commands]
            : v.commands.list,
        complete: reply.complete,
        truncated: reply.truncated,
        error: null,
      },
    }));
  }

  /** The output held, and whether a write waits for a re-fetch, for the view. */
  private memoryChanged(): void {
    const output = this.output;
    if (!output) return;
    const { held, peak, budget, evictions, refetches, error } = output;
    const refetching = output.waiting > 0;
    this.set((v) => {
      const m = v.memory;
      const same =
        m.held === held &&
        m.evictions === evictions &&
        m.refetches === refetches &&
        m.refetching === refetching &&
        m.error === error;
      return same
        ? v
        : { ...v, memory: { held, peak, budget, evictions, refetches, refetching, error } };
    });
  }

  private set(change: (view: PlayerView) => PlayerView): void {
    const next = change(this.view);
    if (next === this.view) return;
    this.view = next;
    for (const listener of this.listeners) listener();
  }

  /** The engine's snapshots, progress thinned out to what the view needs. */
  private followEngine(): () => void {
    let lastProgress = 0;
    return this.engine.subscribe((snapshot) => {
      if (snapshot.event === PlayerEvent.Progress && !snapshot.complete) {
        // Loading reports after every network chunk: the view needs far fewer.
        const now = performance.now();
        if (now - lastProgress < SAMPLE_MS) return;
        lastProgress = now;
      }
      if (snapshot.event === PlayerEvent.Settled) {
        // After the next paint: what a benchmark or a test waits for.
        requestAnimationFrame(() => {
          const first = this.firstFrame && snapshot.state !== PlayerState.Loading;
          if (first) this.firstFrame = false;
          markSettled(first);
          this.set((v) => ({ ...v, settled: this.engine.pendingWrites === 0 }));
        });
      }
      const jumped = snapshot.event === PlayerEvent.Seeked || snapshot.event === PlayerEvent.State;
      this.set((v) => ({
        ...v,
        snapshot,
        time: snapshot.time,
        settled: jumped ? false : v.settled,
      }));
    });
  }

  /** The position moves continuously while playing: sample it for the view. */
  private sample(): () => void {
    const interval = window.setInterval(() => {
      const state = this.engine.snapshot().state;
      if (state === PlayerState.Playing)
        this.set((v) => ({ ...v, time: this.engine.currentTime() }));
      // Playback can also come to rest by itself (paused, ended, failed); while
      // loading, the moment asked for is not on screen yet.
      else if (
        !this.view.settled &&
        state !== PlayerState.Loading &&
        this.engine.pendingWrites === 0
      )
        // After the next paint, as for Settled: the terminal draws at that frame.
        requestAnimationFrame(() => {
          if (this.engine.pendingWrites === 0)
            this.set((v) => (v.settled ? v : { ...v, settled: true }));
        });
    }, SAMPLE_MS);
    return () => window.clearInterval(interval);
  }

  private load(options: PlayerOptions): void {
    const { recordingId } = options;
    let lastPublished = 0;
    let loaded: Timeline | null = null;
    const builder = this.builder;
    const output = this.output;
    const following = options.live === true;
    const publish = (timeline: Timeline, extra: Partial<PlayerView> = {}) =>
      this.set((v) => ({ ...v, ...this.publisher.publish(timeline), ...extra }));
    const progress = (timeline: Timeline, complete: boolean) => {
      loaded = timeline;
      this.keyframes?.feed(timeline.events, complete);
      this.engine.update(timeline, complete);
      const now = performance.now();
      if (complete || now - lastPublished >= SAMPLE_MS) {
        lastPublished = now;
        publish(timeline);
        // The activity strip has counted further: output below it may go now.
        output?.trim();
        this.memoryChanged();
      }
    };
    if (following)
      this.set((v) => ({
        ...v,
        live: { state: 'connecting', quietSince: null, message: null, connections: 0 },
      }));
    loadRecording(
      recordingId,
      // While following, what has arrived is never the whole recording.
      ({ timeline, complete }) => progress(timeline, complete && !following),
      this.abort.signal,
      builder,
      {
        pushed: output ? (id, events) => output.noteMessage(id, events) : undefined,
        // Past the budget, the read keeps pace with the worker: what it has
        // not played yet cannot be let go, in the page or in the worker.
        pace: () =>
          output && this.keyframes && output.total > output.budget
            ? this.keyframes.whenBacklogBelow(Math.min(WORKER_BACKLOG, output.budget))
            : Promise.resolve(),
      },
    )
      .then(() => {
        if (!following || this.abort.signal.aborted) return;
        progress(builder.timeline, false);
        this.engine.setFollowing(true);
        if (options.edge) this.goLive();
        else if (options.playAfterLoad) this.engine.play();
        return this.follow(options, builder, progress);
      })
      .catch((err: unknown) => {
        if (this.abort.signal.aborted) return;
        const message = err instanceof Error ? err.message : String(err);
        const partial: Timeline | null = loaded;
        if (!partial || partial.events.length === 0) return this.engine.fail(message);
        // Keep what arrived: it plays to its end instead of waiting for the rest.
        this.keyframes?.feed(partial.events, true);
        this.engine.update(partial, true);
        publish(partial, { loadError: message, live: null });
        output?.trim();
      });
  }

  /** After the history: new messages as they arrive, until the recording ends. */
  private async follow(
    options: PlayerOptions,
    builder: TimelineBuilder,
    progress: (timeline: Timeline, complete: boolean) => void,
  ): Promise<void> {
    const timeline = builder.timeline;
    let reloading = false;
    const onMessage = (message: TlogMessage) => {
      const lastId = timeline.lastId ?? 0;
      if (message.id > lastId) {
        builder.push(message);
        this.output?.noteMessage(message.id, timeline.events.length);
        progress(timeline, false);
        return;
      }
      const late = timeline.gaps.some(
        (g) => message.id > g.afterId && message.id <= g.afterId + g.missing,
      );
      // Already here (a reconnect overlaps): nothing to do. A late one fills its gap.
      if (!late || reloading || !options.onReload) return;
      reloading = true;
      const { state, speed } = this.engine.snapshot();
      options.onReload(this.engine.currentTime(), state === PlayerState.Playing, speed);
    };
    await followLive({
      recordingId: options.recordingId,
      position: () => ({ afterId: timeline.lastId ?? 0, missing: missingNearEnd(timeline) }),
      onMessage,
      onProblem: (error) => builder.problem(-1, error),
      onView: (live) => this.set((v) => ({ ...v, live })),
      signal: this.abort.signal,
    });
    if (this.abort.signal.aborted) return;
    // Ended or stopped: what arrived is the recording.
    this.engine.setFollowing(false);
    progress(timeline, true);
  }
}

/** The ids missing among the last ones, for a reconnect to ask again. */
function missingNearEnd(timeline: Timeline): number[] {
  const ids: number[] = [];
  for (let i = timeline.gaps.length - 1; i >= 0 && ids.length < MISSING_ASKED; i--) {
    const gap = timeline.gaps[i];
    if (!gap) continue;
    for (let id = gap.afterId + gap.missing; id > gap.afterId && ids.length < MISSING_ASKED; id--)
      ids.push(id);
  }
  return ids.reverse().sort((a, b) => a - b);
}
