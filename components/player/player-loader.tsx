'use client';

import { useEffect } from 'react';
import dynamic from 'next/dynamic';
import { cancelMessagesEarly, requestMessagesEarly } from './early-messages';
import type { PlayerProps } from './player';

// xterm.js touches `self` when imported: load the player in the browser only.
// Its chunk is asked for as soon as this module runs in the browser (before
// hydration reaches the player), and the recording's messages while it loads
// (early-messages.ts): the first frame waits for the slower of the two, not
// for both in turn.
const loadPlayer = () => import('./player').then((m) => m.Player);
if (typeof window !== 'undefined') void loadPlayer();

const Player = dynamic(loadPlayer, {
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
  const { recordingId } = props;
  // During render, not in an effect: effects run only once the whole page has hydrated.
  requestMessagesEarly(recordingId);
  useEffect(() => () => cancelMessagesEarly(recordingId), [recordingId]);
  return <Player {...props} />;
}
