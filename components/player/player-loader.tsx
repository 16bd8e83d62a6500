'use client';

import { useEffect } from 'react';
import dynamic from 'next/dynamic';
import { cancelMessagesEarly, requestMessagesEarly } from './early-messages';
import type { PlayerProps } from './player';

// xterm.js touches `self` when imported: load the player in the browser only.
// The recording's messages are asked for while its chunk loads
// (early-messages.ts): the first frame waits for the slower of the two, not
// for both in turn. (Importing the chunk at this module's top level gains
// nothing: a trace shows the module runs only when hydration renders it.)
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
  const { recordingId } = props;
  // During render, not in an effect: effects run only once the whole page has hydrated.
  requestMessagesEarly(recordingId);
  useEffect(() => () => cancelMessagesEarly(recordingId), [recordingId]);
  return <Player {...props} />;
}
