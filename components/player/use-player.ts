'use client';

import { Terminal } from '@xterm/xterm';
import { useEffect, useRef, useState, type RefObject } from 'react';
import { ActivityIndex } from '@/lib/replay/activity';
import { realClock } from '@/lib/replay/clock';
import {
  INITIAL_SNAPSHOT,
  PlayerEvent,
  PlayerState,
  ReplayEngine,
  type PlayerSnapshot,
} from '@/lib/replay/engine';
import { harden } from '@/lib/replay/adapters/xterm-harden';
import { InputLog, type InputLine } from '@/lib/replay/input-log';
import { REPLAY_TERMINAL_OPTIONS } from '@/lib/replay/terminal-options';
import { emptyTimeline, type Timeline } from '@/lib/tlog';
import { KeyframeClient } from './keyframe-client';
import { loadRecording } from './load-recording';
import { xtermSink } from '@/lib/replay/adapters/xterm-sink';

/** Set to "off" in localStorage to play without keyframes (the benchmark's baseline). */
export const KEYFRAMES_SETTING = 'auditty:keyframes';

export interface PlayerOptions {
  recordingId: string;
  /** ms; opens paused there (a link to a moment). */
  startAt?: number;
  speed: number;
  /** The recording's duration from its summary (the seek bar's span while loading). */
  totalMs: number;
}

export interface PlayerModel {
  engine: ReplayEngine | null;
  terminal: Terminal | null;
  snapshot: PlayerSnapshot;
  /** The position, sampled while playing. */
  time: number;
  /** The timeline object grows in place; `version` changes when it did. */
  timeline: Timeline;
  version: number;
  /** Every terminal write after the last jump is done: the screen shows `time`. */
  settled: boolean;
  /** Events played by the keyframe worker. */
  indexed: number;
  /** Keyframes received from the worker, and their size in bytes. */
  keyframeCount: number;
  keyframeBytes: number;
  size: { cols: number; rows: number };
  /** Output density per slice of the recording, 0..1, for the seek bar. */
  levels: number[];
  /** Typed input as lines, for the input pane. */
  inputLines: readonly InputLine[];
  keyframes: boolean;
  /**
   * Loading failed after part of the recording arrived: that part stays
   * playable, and this says why the rest is missing.
   */
  loadError: string | null;
}

/** How often the view looks at the clock while playing, and at loading progress. */
const SAMPLE_MS = 100;

/** Creates the terminal, the engine and the keyframe worker, and loads the recording. */
export function usePlayer(
  screenRef: RefObject<HTMLDivElement | null>,
  options: PlayerOptions,
): PlayerModel {
  const { recordingId, startAt, speed, totalMs } = options;
  const [model, setModel] = useState<PlayerModel>(() => ({
    engine: null,
    terminal: null,
    snapshot: INITIAL_SNAPSHOT,
    time: startAt ?? 0,
    timeline: emptyTimeline(),
    version: 0,
    settled: false,
    indexed: 0,
    keyframeCount: 0,
    keyframeBytes: 0,
    size: { cols: REPLAY_TERMINAL_OPTIONS.cols, rows: REPLAY_TERMINAL_OPTIONS.rows },
    levels: [],
    inputLines: [],
    keyframes: true,
    loadError: null,
  }));
  const update = useRef(setModel);

  useEffect(() => {
    const element = screenRef.current;
    if (!element) return;
    const set = update.current;
    const terminal = new Terminal({
      ...REPLAY_TERMINAL_OPTIONS,
      cursorBlink: false,
      cursorInactiveStyle: 'outline',
      fontFamily:
        "ui-monospace, 'DejaVu Sans Mono', 'Cascadia Mono', 'Liberation Mono', Menlo, monospace",
      fontSize: 14,
      theme: { background: '#000000', foreground: '#e4e4e7', selectionBackground: '#10b98166' },
      // OSC 8 links are dropped by harden(); should one get through, activating it does nothing.
      linkHandler: { activate: () => undefined, allowNonHttpProtocols: false },
    });
    harden(terminal);
    // Keys belong to the player's shortcuts: the terminal takes none (replay only).
    terminal.attachCustomKeyEventHandler(() => false);
    terminal.onResize(({ cols, rows }) => set((m) => ({ ...m, size: { cols, rows } })));

    const useKeyframes = readSetting() !== 'off';
    const keyframes = useKeyframes
      ? new KeyframeClient((indexed, store) =>
          set((m) =>
            m.indexed === indexed
              ? m
              : { ...m, indexed, keyframeCount: store.keyframes.length, keyframeBytes: store.size },
          ),
        )
      : null;
    const engine = new ReplayEngine(realClock, xtermSink(terminal), {
      autoplay: startAt === undefined,
      ...(startAt !== undefined ? { startAt } : {}),
      keyframes,
    });
    engine.setSpeed(speed);

    let firstFrame = true;
    let lastProgress = 0;
    const unsubscribe = engine.subscribe((snapshot) => {
      if (snapshot.event === PlayerEvent.Progress && !snapshot.complete) {
        // Loading reports after every network chunk: the view needs far fewer.
        const now = performance.now();
        if (now - lastProgress < SAMPLE_MS) return;
        lastProgress = now;
      }
      if (snapshot.event === PlayerEvent.Settled) {
        // After the next paint: what a benchmark or a test waits for.
        requestAnimationFrame(() => {
          performance.mark('auditty:settled');
          if (firstFrame && snapshot.state !== PlayerState.Loading) {
            firstFrame = false;
            performance.mark('auditty:first-frame');
          }
          set((m) => ({ ...m, settled: engine.pendingWrites === 0 }));
        });
      }
      const jumped = snapshot.event === PlayerEvent.Seeked || snapshot.event === PlayerEvent.State;
      set((m) => ({ ...m, snapshot, time: snapshot.time, settled: jumped ? false : m.settled }));
    });
    set((m) => ({ ...m, engine, terminal, keyframes: keyframes !== null }));

    const activity = new ActivityIndex(Math.max(1, totalMs));
    const inputLog = new InputLog();
    const abort = new AbortController();
    let last = 0;
    let loaded: Timeline | null = null;
    // The view's copy of the timeline, with the seek bar's activity and the input pane.
    const publish = (timeline: Timeline, extra: Partial<PlayerModel> = {}) => {
      const levels = activity.sync(timeline.events, timeline.durationMs) ? activity.levels() : null;
      const lines =
        timeline.hasInput && inputLog.sync(timeline.events) ? [...inputLog.lines] : null;
      set((m) => ({
        ...m,
        timeline,
        version: m.version + 1,
        levels: levels ?? m.levels,
        inputLines: lines ?? m.inputLines,
        ...extra,
      }));
    };
    loadRecording(
      recordingId,
      ({ timeline, complete }) => {
        loaded = timeline;
        keyframes?.feed(timeline.events);
        engine.update(timeline, complete);
        const now = performance.now();
        if (complete || now - last >= SAMPLE_MS) {
          last = now;
          publish(timeline);
        }
      },
      abort.signal,
    ).catch((err: unknown) => {
      if (abort.signal.aborted) return;
      const message = err instanceof Error ? err.message : String(err);
      const partial: Timeline | null = loaded;
      if (!partial || partial.events.length === 0) return engine.fail(message);
      // Keep what arrived: it plays to its end instead of waiting for the rest.
      engine.update(partial, true);
      publish(partial, { loadError: message });
    });
    // Opened once the request is out: opening lays out and measures the page.
    terminal.open(element);

    // The position moves continuously while playing; sample it for the view.
    const interval = window.setInterval(() => {
      const state = engine.snapshot().state;
      if (state === PlayerState.Playing) set((m) => ({ ...m, time: engine.currentTime() }));
      // Playback can also come to rest by itself (paused, ended, failed); while
      // loading, the moment asked for is not on screen yet.
      else if (state !== PlayerState.Loading && engine.pendingWrites === 0)
        set((m) => (m.settled ? m : { ...m, settled: true }));
    }, SAMPLE_MS);
    return () => {
      window.clearInterval(interval);
      abort.abort();
      unsubscribe();
      engine.dispose();
      keyframes?.dispose();
      terminal.dispose();
      set((m) => ({ ...m, engine: null, terminal: null }));
    };
  }, [screenRef, recordingId, startAt, speed, totalMs]);

  return model;
}

function readSetting(): string | null {
  try {
    return window.localStorage.getItem(KEYFRAMES_SETTING);
  } catch {
    return null;
  }
}
