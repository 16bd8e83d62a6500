'use client';

import Link from 'next/link';
import { formatDuration, formatTimestamp } from '@/lib/format';
import { playerHref } from '@/lib/links';
import type { RecordingSummary } from '@/lib/sources/types';
import { useLiveSummary } from './live-rows';

// The cells of a row that change while a recording is in progress, kept
// current by live-rows.ts: end, duration, messages and gaps, and the "live"
// mark with its "Watch live" link (which opens the player at the edge).

const cell = 'px-2 py-2 align-top';

/** "2026-11-19 16:40:05" (the header says UTC). */
const utc = (iso: string) => formatTimestamp(iso).replace(/ UTC$/, '');

/** "16:40:05" when the end is on the start's day, the full time otherwise. */
function endText(start: string, end: string): string {
  return start.slice(0, 10) === end.slice(0, 10) ? utc(end).slice(11) : utc(end);
}

export function LiveMark({ item }: { item: RecordingSummary }) {
  const summary = useLiveSummary(item);
  if (!summary.live) return null;
  return (
    <>
      <span
        data-testid="live-mark"
        className="ml-2 inline-flex items-center gap-1 rounded bg-red-950 px-1.5 py-0.5 font-sans text-[11px] font-semibold uppercase tracking-wide text-red-300"
        title="In progress: its last message arrived less than two minutes ago; this row stays current"
      >
        <span aria-hidden="true" className="h-1.5 w-1.5 animate-pulse rounded-full bg-red-400" />
        live
      </span>
      <Link
        href={playerHref(summary.id, { live: true })}
        className="ml-2 rounded font-sans text-xs text-red-300 hover:underline focus-visible:outline focus-visible:outline-2 focus-visible:outline-red-400"
        aria-label={`Watch ${summary.user}@${summary.host} live`}
      >
        Watch live
      </Link>
    </>
  );
}

/** End, duration, messages (with the input cell between, unchanged) and gaps. */
export function ChangingCells({ item, input }: { item: RecordingSummary; input: React.ReactNode }) {
  const summary = useLiveSummary(item);
  return (
    <>
      <td className={`${cell} whitespace-nowrap font-mono text-zinc-400`} data-testid="row-end">
        {endText(summary.start, summary.end)}
      </td>
      <td className={`${cell} text-right font-mono`} data-testid="row-duration">
        {formatDuration(summary.durationMs)}
      </td>
      <td className={`${cell} text-right font-mono text-zinc-300`} data-testid="row-messages">
        {summary.messages.toLocaleString('en')}
      </td>
      {input}
      <td className={`${cell} text-right font-mono`}>
        {summary.gaps > 0 ? (
          <span
            className="rounded bg-amber-950 px-1.5 py-0.5 text-xs text-amber-300"
            title="Messages tlog dropped or that never arrived"
          >
            {summary.gaps.toLocaleString('en')}
          </span>
        ) : (
          <span className="text-zinc-600">0</span>
        )}
      </td>
    </>
  );
}
