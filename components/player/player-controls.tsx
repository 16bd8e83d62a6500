'use client';

import { PlayerState, type PlayerSnapshot } from '@/lib/replay/engine';
import { formatMoment } from '@/lib/replay/moment';

const SPEEDS = [0.25, 0.5, 1, 2, 4, 8, 16];

export function PlayerControls({
  snapshot,
  time,
  loadedMessages,
  onToggle,
  onSeek,
  onSpeed,
}: {
  snapshot: PlayerSnapshot;
  time: number;
  loadedMessages: number;
  onToggle: () => void;
  onSeek: (ms: number) => void;
  onSpeed: (speed: number) => void;
}) {
  const ready = snapshot.state !== PlayerState.Loading && snapshot.state !== PlayerState.Error;
  const playing = snapshot.state === PlayerState.Playing;
  return (
    <div className="flex flex-wrap items-center gap-3 border-t border-zinc-800 bg-zinc-900 px-3 py-2 text-sm">
      <button
        type="button"
        onClick={onToggle}
        disabled={!ready}
        aria-label={playing ? 'Pause' : 'Play'}
        className="w-20 rounded bg-emerald-700 px-3 py-1 font-medium hover:bg-emerald-600 disabled:opacity-40"
      >
        {playing ? 'Pause' : 'Play'}
      </button>
      <input
        type="range"
        aria-label="Seek"
        min={0}
        max={Math.max(1, Math.round(snapshot.durationMs))}
        step={1}
        value={Math.round(time)}
        disabled={!ready}
        onChange={(e) => onSeek(Number(e.currentTarget.value))}
        className="min-w-48 flex-1 accent-emerald-500"
      />
      <span className="font-mono tabular-nums text-zinc-300" data-testid="clock">
        {formatMoment(Math.floor(time / 1000) * 1000)} / {formatMoment(Math.round(snapshot.durationMs / 1000) * 1000)}
      </span>
      <label className="flex items-center gap-1 text-zinc-400">
        Speed
        <select
          value={snapshot.speed}
          onChange={(e) => onSpeed(Number(e.currentTarget.value))}
          className="rounded bg-zinc-800 px-1 py-0.5 text-zinc-100"
        >
          {SPEEDS.includes(snapshot.speed) ? null : (
            <option value={snapshot.speed}>{snapshot.speed}x</option>
          )}
          {SPEEDS.map((s) => (
            <option key={s} value={s}>
              {s}x
            </option>
          ))}
        </select>
      </label>
      {!snapshot.complete && snapshot.state !== PlayerState.Error ? (
        <span className="text-xs text-zinc-500" aria-live="polite">
          loading… {loadedMessages.toLocaleString('en')} messages
        </span>
      ) : null}
    </div>
  );
}
