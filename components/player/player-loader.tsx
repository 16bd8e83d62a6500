'use client';

import { createContext, useContext, useEffect } from 'react';
import dynamic from 'next/dynamic';
import type { StillFrame } from '@/lib/replay/still/types';
import { cancelMessagesEarly, requestMessagesEarly } from './early-messages';
import type { PlayerProps } from './player';
import { StillScreen } from './still-screen';

/** The still frame, for the placeholder (next/dynamic gives `loading` no props). */
const StillContext = createContext<StillFrame | null>(null);

function Placeholder() {
  const still = useContext(StillContext);
  return (
    <div
      data-testid="player"
      data-state="loading"
      data-time="0"
      data-duration="0"
      className={`h-[28rem] rounded-lg border border-zinc-800 bg-black ${still ? 'p-2' : 'animate-pulse'}`}
    >
      {still ? <StillScreen frame={still} /> : null}
    </div>
  );
}

// xterm.js touches `self` when imported: load the player in the browser only.
// The recording's messages are asked for while its chunk loads
// (early-messages.ts): the first frame waits for the slower of the two, not
// for both in turn. (Importing the chunk at this module's top level gains
// nothing: a trace shows the module runs only when hydration renders it.)
// Until then the server's still frame, if there is one, is the screen.
const Player = dynamic(() => import('./player').then((m) => m.Player), {
  ssr: false,
  loading: Placeholder,
});

export function PlayerLoader(props: PlayerProps) {
  const { recordingId } = props;
  // During render, not in an effect: effects run only once the whole page has hydrated.
  requestMessagesEarly(recordingId);
  useEffect(() => () => cancelMessagesEarly(recordingId), [recordingId]);
  return (
    <StillContext value={props.still ?? null}>
      <Player {...props} />
    </StillContext>
  );
}
