import { formatTimestamp } from '@/lib/format';
import { formatMoment } from '@/lib/replay/moment';

/** Elapsed / total, and the wall-clock time of the moment on screen. */
export function TimeReadout({
  time,
  totalMs,
  startMs,
}: {
  time: number;
  totalMs: number;
  startMs: number | null;
}) {
  const iso = startMs === null ? null : new Date(startMs + time).toISOString();
  return (
    <div className="flex min-w-0 flex-col leading-tight">
      <span className="font-mono text-sm tabular-nums text-zinc-100" data-testid="clock">
        {formatMoment(Math.floor(time / 100) * 100)}
        <span className="text-zinc-500"> / {formatMoment(Math.round(totalMs / 1000) * 1000)}</span>
      </span>
      {iso ? (
        <time
          className="truncate font-mono text-[11px] tabular-nums text-zinc-500"
          dateTime={iso}
          title="Wall-clock time of this moment"
          data-testid="wall-clock"
        >
          {formatTimestamp(iso)}
        </time>
      ) : null}
    </div>
  );
}
