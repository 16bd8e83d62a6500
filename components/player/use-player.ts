'use client';

import type { Terminal } from '@xterm/xterm';
import { useCallback, useEffect, useState, useSyncExternalStore, type RefObject } from 'react';
import type { FindQuery } from '@/lib/replay/find';
import { REPLAY_TERMINAL_OPTIONS } from '@/lib/replay/terminal-options';
import type { ReplayEngine } from '@/lib/replay/engine';
import { initialView, PlayerSession, type PlayerOptions, type PlayerView } from './player-session';
import { createVisibleTerminal } from './visible-terminal';

/** Set to "off" in localStorage to play without keyframes (the benchmark's baseline). */
export const KEYFRAMES_SETTING = 'auditty:keyframes';

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
  const { recordingId, speed, totalMs, hasInput, live } = options;
  // A late message while following reads the recording again, at the same moment.
  const [reload, setReload] = useState<{ at: number; playing: boolean; n: number } | null>(null);
  const startAt = reload ? reload.at : options.startAt;
  const edge = reload ? false : options.edge === true;
  const playAfterLoad = reload?.playing === true;
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
    const created = new PlayerSession(terminal, {
      recordingId,
      ...(startAt !== undefined ? { startAt } : {}),
      speed,
      totalMs,
      hasInput,
      keyframes: readSetting() !== 'off',
      live: live === true,
      edge,
      playAfterLoad,
      onReload: (at, playing) => setReload({ at, playing, n: generation + 1 }),
    });
    // Opened once the request is out: opening lays out and measures the page.
    terminal.open(element);
    setSession({ session: created, terminal });
    return () => {
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
