'use client';

import { Terminal } from '@xterm/xterm';
import '@xterm/xterm/css/xterm.css';
import { useEffect, useRef, useState } from 'react';
import { realClock } from '@/lib/replay/clock';
import { PlayerState, ReplayEngine, type PlayerSnapshot } from '@/lib/replay/engine';
import { loadRecording } from './load-recording';
import { PlayerControls } from './player-controls';
import { xtermSink } from './xterm-sink';

export interface PlayerProps {
  recordingId: string;
  /** ms; opens paused there (a link to a moment). */
  startAt?: number;
  speed: number;
}

const INITIAL: PlayerSnapshot = {
  state: PlayerState.Loading,
  time: 0,
  durationMs: 0,
  speed: 1,
  complete: false,
  error: null,
};

export function Player({ recordingId, startAt, speed }: PlayerProps) {
  const screenRef = useRef<HTMLDivElement>(null);
  const engineRef = useRef<ReplayEngine | null>(null);
  const [snapshot, setSnapshot] = useState<PlayerSnapshot>(INITIAL);
  const [time, setTime] = useState(0);
  const [loaded, setLoaded] = useState(0);

  useEffect(() => {
    const element = screenRef.current;
    if (!element) return;
    const terminal = new Terminal({
      // Replay only: nothing typed here goes anywhere, and answers to the
      // recording's terminal queries are dropped (onData is never read).
      disableStdin: true,
      cursorBlink: false,
      scrollback: 5000,
      fontFamily: "ui-monospace, 'DejaVu Sans Mono', 'Liberation Mono', monospace",
      fontSize: 14,
      allowProposedApi: false,
    });
    terminal.open(element);
    const engine = new ReplayEngine(realClock, xtermSink(terminal), {
      autoplay: startAt === undefined,
      ...(startAt !== undefined ? { startAt } : {}),
    });
    engine.setSpeed(speed);
    engineRef.current = engine;
    const unsubscribe = engine.subscribe((s) => {
      setSnapshot(s);
      setTime(s.time);
    });

    const abort = new AbortController();
    loadRecording(
      recordingId,
      (timeline, complete) => {
        setLoaded(timeline.messages);
        engine.update(timeline, complete);
      },
      abort.signal,
    ).catch((err: unknown) => {
      if (abort.signal.aborted) return;
      engine.fail(err instanceof Error ? err.message : String(err));
    });

    // The position moves continuously while playing; sample it for the view.
    const interval = window.setInterval(() => setTime(engine.currentTime()), 100);
    return () => {
      window.clearInterval(interval);
      abort.abort();
      unsubscribe();
      engine.dispose();
      terminal.dispose();
      engineRef.current = null;
    };
  }, [recordingId, startAt, speed]);

  return (
    <div
      data-testid="player"
      data-state={snapshot.state}
      data-time={(time / 1000).toFixed(3)}
      data-duration={(snapshot.durationMs / 1000).toFixed(3)}
      className="overflow-hidden rounded border border-zinc-800 bg-black"
    >
      <div className="overflow-auto p-2">
        <div ref={screenRef} data-testid="terminal" />
      </div>
      {snapshot.state === PlayerState.Error ? (
        <p role="alert" className="border-t border-red-900 bg-red-950/50 px-3 py-2 text-sm text-red-200">
          Playback failed: {snapshot.error}
        </p>
      ) : null}
      <PlayerControls
        snapshot={snapshot}
        time={time}
        loadedMessages={loaded}
        onToggle={() => engineRef.current?.togglePlay()}
        onSeek={(ms) => engineRef.current?.seek(ms)}
        onSpeed={(x) => engineRef.current?.setSpeed(x)}
      />
      <span className="sr-only" aria-live="polite">
        {snapshot.state}
      </span>
    </div>
  );
}
