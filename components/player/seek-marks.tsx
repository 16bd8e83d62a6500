import { memo } from 'react';
import { formatMoment } from '@/lib/replay/moment';
import type { Gap, WindowSize } from '@/lib/tlog';

/** Marks of a kind over the bar at most: one per 0.25% of it (gaps, resizes, find's hits). */
export const MARK_SLOTS = 400;

/** Marks that fall in one slot of the bar: at the first one's moment. */
export interface SlotMark<T> {
  slot: number;
  t: number;
  items: T[];
}

/**
 * Groups time-ordered items by the slot of the bar they fall in, so that a
 * recording with a thousand resizes draws at most MARK_SLOTS marks (and
 * re-renders that many), each saying what it stands for.
 */
export function slotMarks<T extends { t: number }>(
  items: readonly T[],
  span: number,
): SlotMark<T>[] {
  const marks: SlotMark<T>[] = [];
  for (const item of items) {
    const at = Math.min(span, Math.max(0, item.t)) / span;
    const slot = Math.min(MARK_SLOTS - 1, Math.floor(at * MARK_SLOTS));
    const last = marks[marks.length - 1];
    if (last && last.slot === slot) last.items.push(item);
    else marks.push({ slot, t: item.t, items: [item] });
  }
  return marks;
}

function gapTitle(gaps: readonly Gap[]): string {
  const missing = gaps.reduce((sum, g) => sum + g.missing, 0);
  const messages = `${missing} message${missing === 1 ? '' : 's'} missing`;
  const first = gaps[0];
  const last = gaps[gaps.length - 1];
  if (!first || !last) return '';
  if (gaps.length === 1) return `Gap: ${messages} at ${formatMoment(first.t)}`;
  return `${gaps.length} gaps: ${messages} from ${formatMoment(first.t)} to ${formatMoment(last.t)}`;
}

function resizeTitle(windows: readonly WindowSize[]): string {
  const first = windows[0];
  const last = windows[windows.length - 1];
  if (!first || !last) return '';
  if (windows.length === 1)
    return `Window resized to ${first.cols}×${first.rows} at ${formatMoment(first.t)}`;
  return `${windows.length} window resizes from ${formatMoment(first.t)} to ${formatMoment(last.t)}, the last to ${last.cols}×${last.rows}`;
}

/**
 * The gaps and resizes marked on the seek bar. Memoized: the bar re-renders
 * at every frame of playback and at every change of the player's state,
 * and these change only as the recording loads.
 */
export const SeekMarks = memo(function SeekMarks({
  gaps,
  windows,
  span,
}: {
  gaps: readonly Gap[];
  windows: readonly WindowSize[];
  span: number;
}) {
  return (
    <>
      <Marks
        marks={slotMarks(gaps, span)}
        span={span}
        kind="gap"
        title={gapTitle}
        className="bottom-2 top-0 w-0.5 bg-amber-400"
      />
      <Marks
        marks={slotMarks(windows.slice(1), span)}
        span={span}
        kind="resize"
        title={resizeTitle}
        className="top-0 size-0 border-x-4 border-t-[6px] border-x-transparent border-t-sky-400"
      />
    </>
  );
});

function Marks<T>({
  marks,
  span,
  kind,
  title,
  className,
}: {
  marks: SlotMark<T>[];
  span: number;
  kind: 'gap' | 'resize';
  title: (items: T[]) => string;
  className: string;
}) {
  return marks.map((mark) => (
    <span
      key={`${kind}-${mark.slot}`}
      title={title(mark.items)}
      data-testid={`${kind}-mark`}
      data-count={mark.items.length}
      className={`absolute -translate-x-1/2 ${className}`}
      style={{ left: `${Math.min(100, Math.max(0, (mark.t / span) * 100))}%` }}
    />
  ));
}
