'use client';

import type { Terminal } from '@xterm/xterm';
import { useCallback, useEffect, useState } from 'react';
import type { ReplayEngine } from '@/lib/replay/engine';
import { PlayerState } from '@/lib/replay/player-state';
import type { StillFrame } from '@/lib/replay/still/types';

/**
 * Whether the still frame still covers the terminal: until the terminal has
 * drawn the frame's moment itself (playback there, nothing left to write),
 * so the screen never goes blank in between. A failed load or a user's own
 * move (`uncover`) ends it at once.
 */
export function useStillCover(
  still: StillFrame | undefined,
  terminal: Terminal | null,
  engine: ReplayEngine | null,
): { covered: boolean; uncover: () => void } {
  const [covered, setCovered] = useState(still !== undefined);
  const uncover = useCallback(() => setCovered(false), []);
  useEffect(() => {
    if (!covered || !still || !terminal || !engine) return;
    const drawn = () => {
      const snapshot = engine.snapshot();
      if (snapshot.state === PlayerState.Error) return setCovered(false);
      if (
        snapshot.state !== PlayerState.Loading &&
        snapshot.waitingFor === null &&
        engine.pendingWrites === 0 &&
        engine.currentTime() >= still.atMs
      )
        setCovered(false);
    };
    const rendered = terminal.onRender(drawn);
    // A render can come before the last write is counted done: look again
    // after the engine's next change too.
    let frame = 0;
    const unsubscribe = engine.subscribe(() => {
      cancelAnimationFrame(frame);
      frame = requestAnimationFrame(drawn);
    });
    return () => {
      rendered.dispose();
      unsubscribe();
      cancelAnimationFrame(frame);
    };
  }, [covered, still, terminal, engine]);
  return { covered: covered && still !== undefined, uncover };
}
