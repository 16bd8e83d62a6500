'use client';

import type { Terminal } from '@xterm/xterm';
import {
  useCallback,
  useEffect,
  useRef,
  useState,
  useSyncExternalStore,
  type RefObject,
} from 'react';
import type { FindQuery } from '@/lib/replay/find';
import { REPLAY_TERMINAL_OPTIONS } from '@/lib/replay/terminal-options';
import type { ReplayEngine } from '@/lib/replay/engine';
import { initialView, PlayerSession, type PlayerOptions, type PlayerView } from './player-session';
import { createVisibleTerminal, skipEmptySelectionRedraws } from './visible-terminal';

interface Reload {
  at: number;
  playing: boolean;
  speed: number;
  n: number;
}

/** Reloads for late messages come at most this often. */
const RELOAD_EVERY_MS = 30_000;

/** Set to "off" in localStorage to play without keyframes (the benchmark's baseline). */
export const KEYFRAMES_SETTING = 'auditty:keyframes';

/** A number of bytes in localStorage: the output budget instead of the server's (tests, benchmarks). */
export const OUTPUT_BUDGET_SETTING = 'auditty:output-budget';

export interface PlayerModel extends PlayerView {
  engine: ReplayEngine | null;
  terminal: Terminal | null;
  /** Searches the screen's text (PlayerSession.find); null stops. */
  search: (query: FindQuery | null) => void;
  /** Back to the live edge, playing. */
  goLive: () => void;
}

const noSession = () => () => undefined;

/** Creates the terminal and a PlayerSession on it, and follows what it shows. */
export function usePlayer(
  screenRef: RefObject<HTMLDivElement | null>,
  options: Omit<PlayerOptions, 'keyframes' | 'onReload' | 'playAfterLoad'>,
): PlayerModel {
  const { recordingId, totalMs, hasInput, live, outputBudget } = options;
  // A late message while following reads the recording again, at the same
  // moment and speed: at most every RELOAD_EVERY_MS, so that a pipeline that
  // keeps delivering out of order does not keep the view reloading.
  const [reload, setReload] = useState<Reload | null>(null);
  const lastReload = useRef(0);
  const startAt = reload ? reload.at : options.startAt;
  const edge = reload ? false : options.edge === true;
  const playAfterLoad = reload?.playing === true;
  const speed = reload?.speed ?? options.speed;
  const generation = reload?.n ?? 0;
  const [session, setSession] = useState<{ session: PlayerSession; terminal: Terminal } | null>(
    null,
  );
  const [placeholder] = useState(() =>
    initialView(
      { startAt },
      { cols: REPLAY_TERMINAL_OPTIONS.cols, rows: REPLAY_TERMINAL_OPTIONS.rows },
    ),
  );

  useEffect(() => {
    const element = screenRef.current;
    if (!element) return;
    const terminal = createVisibleTerminal();
    const reloadTimers: number[] = [];
    const created = new PlayerSession(terminal, {
      recordingId,
      ...(startAt !== undefined ? { startAt } : {}),
      speed,
      totalMs,
      hasInput,
      keyframes: readSetting() !== 'off',
      outputBudget: readBudget() ?? outputBudget,
      live: live === true,
      edge,
      playAfterLoad,
      onReload: (at, playing, now) => {
        const wait = Math.max(0, lastReload.current + RELOAD_EVERY_MS - Date.now());
        const timer = window.setTimeout(() => {
          lastReload.current = Date.now();
          // Where the view is by then (it kept playing meanwhile).
          const moved = created.engine.snapshot();
          setReload({
            at: wait > 0 ? created.engine.currentTime() : at,
            playing: wait > 0 ? moved.state === 'playing' : playing,
            speed: wait > 0 ? moved.speed : now,
            n: generation + 1,
          });
        }, wait);
        reloadTimers.push(timer);
      },
    });
    // Opened once the request is out: opening lays out and measures the page.
    terminal.open(element);
    skipEmptySelectionRedraws(terminal);
    setSession({ session: created, terminal });
    return () => {
      for (const timer of reloadTimers) window.clearTimeout(timer);
      created.dispose();
      terminal.dispose();
      setSession(null);
    };
  }, [
    screenRef,
    recordingId,
    startAt,
    speed,
    totalMs,
    hasInput,
    live,
    outputBudget,
    edge,
    playAfterLoad,
    generation,
  ]);

  const view = useSyncExternalStore(
    session?.session.subscribe ?? noSession,
    session?.session.getView ?? (() => placeholder),
    () => placeholder,
  );
  const current = session?.session;
  const search = useCallback((query: FindQuery | null) => current?.find(query), [current]);
  const goLive = useCallback(() => current?.goLive(), [current]);
  return {
    ...view,
    goLive,
    engine: current?.engine ?? null,
    terminal: session?.terminal ?? null,
    search,
  };
}

function readSetting(): string | null {
  try {
    return window.localStorage.getItem(KEYFRAMES_SETTING);
  } catch {
    return null;
  }
}

/** OUTPUT_BUDGET_SETTING's bytes, or null when it is not set or not a positive number. */
function readBudget(): number | null {
  try {
    const bytes = Number(window.localStorage.getItem(OUTPUT_BUDGET_SETTING) ?? NaN);
    return Number.isSafeInteger(bytes) && bytes > 0 ? bytes : null;
  } catch {
    return null;
  }
}
