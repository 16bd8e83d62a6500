'use client';

import dynamic from 'next/dynamic';

// xterm.js touches `self` when imported: load the player in the browser only.
const Player = dynamic(() => import('./player').then((m) => m.Player), {
  ssr: false,
  loading: () => (
    <div
      data-testid="player"
      data-state="loading"
      data-time="0"
      data-duration="0"
      className="h-[28rem] animate-pulse rounded border border-zinc-800 bg-black"
    />
  ),
});

export function PlayerLoader(props: { recordingId: string; startAt?: number; speed: number }) {
  return <Player {...props} />;
}
