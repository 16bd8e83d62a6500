'use client';

import { useState } from 'react';
import { formatTimestamp } from '@/lib/format';
import { formatMoment } from '@/lib/replay/moment';
import type { Gap, WindowSize } from '@/lib/tlog';
import type { FindHit } from '@/lib/replay/find-hits';
import { ActivityGraph } from './activity-graph';
import { SeekMarks, slotMarks } from './seek-marks';

/**
 * The seek bar: a native range input (keyboard and screen-reader friendly)
 * laid over the activity graph, with what has loaded, the gaps and the
 * resizes marked (seek-marks.tsx), and the time under the pointer shown on
 * hover.
 */
export function SeekBar({
  time,
  totalMs,
  loadedMs,
  levels,
  gaps,
  windows,
  hits = [],
  currentHit = null,
  startMs,
  disabled,
  onSeek,
}: {
  time: number;
  totalMs: number;
  loadedMs: number;
  levels: readonly number[];
  gaps: readonly Gap[];
  windows: readonly WindowSize[];
  /** Find hits: a tick each (one per 0.25% of the bar), the current one brighter. */
  hits?: readonly FindHit[];
  currentHit?: number | null;
  startMs: number | null;
  disabled: boolean;
  onSeek: (ms: number) => void;
}) {
  const [hover, setHover] = useState<{ x: number; ms: number } | null>(null);
  const span = Math.max(1, totalMs);
  const percent = (ms: number) => `${Math.min(100, Math.max(0, (ms / span) * 100))}%`;
  const max = Math.max(1, Math.round(totalMs));
  return (
    <div
      className="group relative h-9 select-none rounded has-[input:focus-visible]:ring-2 has-[input:focus-visible]:ring-emerald-400"
      onPointerMove={(e) => {
        const rect = e.currentTarget.getBoundingClientRect();
        const x = Math.min(Math.max(0, e.clientX - rect.left), rect.width);
        setHover({ x, ms: (x / Math.max(1, rect.width)) * span });
      }}
      onPointerLeave={() => setHover(null)}
    >
      <div className="absolute inset-x-0 bottom-3 top-1 overflow-hidden rounded bg-zinc-800/80">
        <div
          className="absolute inset-y-0 left-0 bg-zinc-700/60"
          style={{ width: percent(loadedMs) }}
        />
        <ActivityGraph levels={levels} />
        <div
          className="absolute inset-y-0 left-0 bg-emerald-500/25"
          style={{ width: percent(time) }}
        />
      </div>
      <SeekMarks gaps={gaps} windows={windows} span={span} />
      {slotMarks(hits, span).map((tick) => (
        <span
          key={`hit-${tick.slot}`}
          data-testid="find-tick"
          data-t={(tick.t / 1000).toFixed(3)}
          title={`${tick.items.length} hit${tick.items.length === 1 ? '' : 's'} at ${formatMoment(tick.t)}`}
          className="pointer-events-none absolute bottom-2 h-2.5 w-0.5 -translate-x-1/2 bg-fuchsia-400"
          style={{ left: percent(tick.t) }}
        />
      ))}
      {currentHit !== null && hits[currentHit] ? (
        <span
          data-testid="find-tick-current"
          className="pointer-events-none absolute bottom-1.5 size-2 -translate-x-1/2 rounded-full bg-fuchsia-300 ring-2 ring-fuchsia-500"
          style={{ left: percent(hits[currentHit]?.t ?? 0) }}
        />
      ) : null}
      <div
        className="pointer-events-none absolute bottom-2 top-0 w-0.5 -translate-x-1/2 rounded bg-emerald-300 shadow-[0_0_6px] shadow-emerald-400"
        style={{ left: percent(time) }}
      />
      <input
        type="range"
        aria-label="Seek"
        aria-valuetext={`${formatMoment(Math.floor(time))} of ${formatMoment(totalMs)}`}
        min={0}
        max={max}
        step={1}
        value={Math.min(max, Math.round(time))}
        disabled={disabled}
        onChange={(e) => onSeek(Number(e.currentTarget.value))}
        className="absolute inset-x-0 bottom-2 top-0 h-auto w-full cursor-pointer appearance-none bg-transparent opacity-0 disabled:cursor-default"
      />
      {hover && !disabled ? (
        <div
          role="tooltip"
          className="pointer-events-none absolute -top-9 z-10 -translate-x-1/2 whitespace-nowrap rounded bg-zinc-950 px-2 py-1 font-mono text-xs text-zinc-100 shadow ring-1 ring-zinc-700"
          style={{ left: hover.x }}
        >
          {formatMoment(Math.round(hover.ms / 100) * 100)}
          {startMs !== null ? (
            <span className="ml-2 text-zinc-400">
              {formatTimestamp(new Date(startMs + hover.ms).toISOString()).slice(11)}
            </span>
          ) : null}
        </div>
      ) : null}
    </div>
  );
}
