import { formatMoment } from '@/lib/replay/moment';
import type { TimelineView } from './timeline-view';

/**
 * What the timeline holds beyond the summary above the player: each gap
 * (missing messages) and window size with a link to its moment, the damaged
 * messages, and how far loading and keyframe indexing have got.
 */
export function DetailsPanel({
  timeline,
  totalMessages,
  indexedPercent,
  keyframes,
  onSeek,
}: {
  timeline: TimelineView;
  totalMessages: number;
  /** null: keyframes are off. */
  indexedPercent: number | null;
  keyframes: { count: number; bytes: number };
  onSeek: (ms: number) => void;
}) {
  const windows = timeline.windows;
  const problems = timeline.problemCount;
  const seekButton = (ms: number) => (
    <button
      type="button"
      onClick={() => onSeek(ms)}
      className="font-mono tabular-nums text-emerald-300 underline-offset-2 hover:underline"
    >
      {formatMoment(ms)}
    </button>
  );
  return (
    <section
      aria-label="Timeline details"
      className="space-y-3 p-3 text-xs text-zinc-300"
      data-testid="details-panel"
    >
      <dl className="grid grid-cols-[auto_1fr] gap-x-3 gap-y-1">
        <dt className="text-zinc-500">Loaded</dt>
        <dd>
          {timeline.messages.toLocaleString('en')} of {totalMessages.toLocaleString('en')} messages
        </dd>
        <dt className="text-zinc-500">Keyframes</dt>
        <dd>
          {indexedPercent === null
            ? 'off (seeks replay from the start)'
            : `${indexedPercent}% indexed, ${keyframes.count.toLocaleString('en')} (${(keyframes.bytes / 1048576).toFixed(1)} MiB)`}
        </dd>
        <dt className="text-zinc-500">Duplicates</dt>
        <dd>{timeline.duplicates} dropped</dd>
        <dt className="text-zinc-500">Problems</dt>
        <dd>{problems === 0 ? 'none' : `${problems.toLocaleString('en')} (see below)`}</dd>
      </dl>
      <div>
        <h3 className="mb-1 font-semibold text-zinc-400">Gaps ({timeline.gaps.length})</h3>
        {timeline.gaps.length === 0 ? <p className="text-zinc-500">No missing messages.</p> : null}
        <ul className="max-h-32 space-y-0.5 overflow-y-auto">
          {timeline.gaps.map((gap) => (
            <li key={gap.afterId}>
              <span
                className="mr-1 inline-block size-2 rounded-sm bg-amber-400"
                aria-hidden="true"
              />
              {seekButton(gap.t)}: {gap.missing.toLocaleString('en')} missing after message{' '}
              {gap.afterId}
            </li>
          ))}
        </ul>
      </div>
      <div>
        <h3 className="mb-1 font-semibold text-zinc-400">Window sizes ({windows.length})</h3>
        <ul className="max-h-32 space-y-0.5 overflow-y-auto">
          {windows.map((w, i) => (
            <li key={i}>
              <span className="mr-1 inline-block size-2 rounded-sm bg-sky-400" aria-hidden="true" />
              {seekButton(w.t)}: {w.cols}×{w.rows}
            </li>
          ))}
        </ul>
      </div>
      {problems > 0 ? (
        <div>
          <h3 className="mb-1 font-semibold text-zinc-400">Problems</h3>
          <ul className="max-h-32 space-y-0.5 overflow-y-auto text-amber-200/90">
            {timeline.problems.slice(0, 50).map((p, i) => (
              <li key={i}>{p.error}</li>
            ))}
          </ul>
        </div>
      ) : null}
    </section>
  );
}
