'use client';

import { useEffect, useRef, useState } from 'react';
import type { InputLine } from '@/lib/replay/input-log';
import { formatMoment } from '@/lib/replay/moment';

/** Rows kept in the pane: the latest ones (scroll the recording for older input). */
const MAX_SHOWN = 300;

/** How many lines start at or before `time` (lines are in time order). */
function linesUpTo(lines: readonly InputLine[], time: number): number {
  let lo = 0;
  let hi = lines.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if ((lines[mid]?.t ?? Infinity) <= time) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

const TOKEN_STYLE = {
  text: 'text-zinc-100',
  key: 'mx-px rounded bg-zinc-700/70 px-1 text-[11px] text-sky-200',
  reply: 'mx-px rounded border border-dashed border-zinc-600 px-1 text-[11px] text-zinc-500',
} as const;

/**
 * What was typed, up to the moment on screen: one row per line (a new one
 * after each Enter), the newest at the bottom. Terminal auto-replies are
 * shown dashed and dimmed, or hidden. A row's time seeks there.
 */
export function InputPane({
  lines,
  time,
  onSeek,
}: {
  lines: readonly InputLine[];
  time: number;
  onSeek: (ms: number) => void;
}) {
  const [showReplies, setShowReplies] = useState(false);
  const listRef = useRef<HTMLOListElement>(null);
  const visible = lines
    .slice(Math.max(0, linesUpTo(lines, time) - MAX_SHOWN), linesUpTo(lines, time))
    .map((line) => ({
      ...line,
      tokens: line.tokens.filter(
        (token) => token.t <= time && (showReplies || token.kind !== 'reply'),
      ),
    }))
    .filter((line) => line.tokens.length > 0);
  const count = visible.length;

  useEffect(() => {
    const list = listRef.current;
    if (list) list.scrollTop = list.scrollHeight;
  }, [count, time]);

  return (
    <section
      aria-label="Typed input"
      className="flex min-h-0 flex-col border-zinc-800 bg-zinc-950/80 text-sm"
      data-testid="input-pane"
    >
      <header className="flex items-center justify-between gap-2 border-b border-zinc-800 px-3 py-1.5">
        <h2 className="text-xs font-semibold uppercase tracking-wide text-zinc-400">Typed input</h2>
        <label className="flex items-center gap-1.5 text-xs text-zinc-400">
          <input
            type="checkbox"
            checked={showReplies}
            onChange={(e) => setShowReplies(e.currentTarget.checked)}
            className="accent-emerald-500"
          />
          Terminal replies
        </label>
      </header>
      <ol ref={listRef} className="min-h-24 flex-1 overflow-y-auto px-1 py-1 font-mono text-xs">
        {count === 0 ? <li className="px-2 py-1 text-zinc-500">Nothing typed yet.</li> : null}
        {visible.map((line, i) => (
          <li key={i} className="flex gap-2 rounded px-1 py-0.5 hover:bg-zinc-900">
            <button
              type="button"
              onClick={() => onSeek(line.t)}
              className="shrink-0 tabular-nums text-zinc-500 hover:text-emerald-300"
              aria-label={`Go to ${formatMoment(line.t)}`}
            >
              {formatMoment(Math.floor(line.t / 1000) * 1000)}
            </button>
            <span className="min-w-0 whitespace-pre-wrap break-all">
              {line.tokens.map((token, i) => (
                <span
                  key={i}
                  className={TOKEN_STYLE[token.kind]}
                  title={token.kind === 'reply' ? 'Terminal auto-reply' : undefined}
                >
                  {token.text}
                </span>
              ))}
            </span>
          </li>
        ))}
      </ol>
    </section>
  );
}
