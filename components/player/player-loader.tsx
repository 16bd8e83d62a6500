'use client';

import dynamic from 'next/dynamic';
import type { PlayerProps } from './player';

// xterm.js touches `self` when imported: load the player in the browser only.
const Player = dynamic(() => import('./player').then((m) => m.Player), {
  ssr: false,
  loading: () => (
    <div
      data-testid="player"
      data-state="loading"
      data-time="0"
      data-duration="0"
      className="h-[28rem] animate-pulse rounded-lg border border-zinc-800 bg-black"
    />
  ),
});

export function PlayerLoader(props: PlayerProps) {
  return <Player {...props} />;
}
