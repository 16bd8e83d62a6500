'use client';

import { useEffect, useState } from 'react';
import { formatSpan } from '@/lib/format';
import type { LiveView } from './live-follow';

// The live state over the controls: how far behind the recorded time the
// screen is, "no new output for ...", reconnecting, ended; and "Go live"
// (End) when the view is not at the edge.

export function LiveBadge({
  live,
  time,
  durationMs,
  startMs,
  playing,
  onGoLive,
}: {
  live: LiveView;
  /** The position and what has arrived, in ms from the recording's start. */
  time: number;
  durationMs: number;
  /** Unix ms of the recording's start (null: the messages carry no time). */
  startMs: number | null;
  playing: boolean;
  onGoLive: () => void;
}) {
  const [now, setNow] = useState(() => Date.now());
  const [perfNow, setPerfNow] = useState(() => performance.now());
  useEffect(() => {
    const timer = window.setInterval(() => {
      setNow(Date.now());
      setPerfNow(performance.now());
    }, 1000);
    return () => window.clearInterval(timer);
  }, []);
  const following = live.state === 'live' || live.state === 'idle' || live.state === 'connecting';
  const atEdge = playing && durationMs - time < 1500;
  const behindMs = startMs === null ? null : Math.max(0, now - (startMs + time));
  const quietMs = live.quietSince === null ? null : Math.max(0, perfNow - live.quietSince);
  let text: string;
  let tone: string;
  switch (live.state) {
    case 'connecting':
      text = 'Live: connecting…';
      tone = 'bg-zinc-800 text-zinc-200';
      break;
    case 'live':
      text = behindMs === null ? 'Live' : `Live · ${formatSpan(behindMs)} behind`;
      tone = 'bg-red-700 text-white';
      break;
    case 'idle':
      text = `Live · no new output for ${formatSpan(quietMs ?? 0)}`;
      tone = 'bg-amber-800 text-amber-50';
      break;
    case 'reconnecting':
      text = `Live: reconnecting… ${live.message ?? ''}`.trim();
      tone = 'bg-amber-900 text-amber-100';
      break;
    case 'ended':
      text = 'Ended';
      tone = 'bg-zinc-700 text-zinc-100';
      break;
    case 'stopped':
      text = `Live follow stopped: ${live.message ?? ''}`.trim();
      tone = 'bg-zinc-800 text-zinc-200';
      break;
  }
  return (
    <div className="flex items-center gap-2" data-testid="live">
      <span
        role="status"
        data-testid="live-badge"
        data-live-state={live.state}
        data-behind-ms={behindMs ?? undefined}
        data-live-connections={live.connections}
        title={live.state === 'ended' ? (live.message ?? undefined) : undefined}
        className={`rounded px-2 py-0.5 text-xs font-semibold tabular-nums ${tone}`}
      >
        {text}
      </span>
      {following && !atEdge ? (
        <button
          type="button"
          onClick={onGoLive}
          title="Go live (End)"
          className="rounded border border-red-700 px-2 py-0.5 text-xs font-medium text-red-200 hover:bg-red-900/50 focus-visible:outline-2 focus-visible:outline-red-400"
        >
          Go live
        </button>
      ) : null}
    </div>
  );
}
