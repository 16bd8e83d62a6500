'use client';

import { useEffect, useRef } from 'react';
import type { FindQuery } from '@/lib/replay/find';
import { MAX_FIND_LENGTH } from '@/lib/replay/find';
import type { FindHit } from '@/lib/replay/find-hits';
import { formatMoment } from '@/lib/replay/moment';
import { ControlButton } from './control-button';
import { Icon } from './icon';
import { MAX_HITS } from './worker-protocol';

/**
 * Find in the recording: the search box over the terminal, its options, the
 * hit count and the way through the hits. Enter / Shift+Enter go to the next
 * / previous hit, Esc closes it.
 */
export function FindBar({
  query,
  onQuery,
  hits,
  current,
  onStep,
  onClose,
  error,
  status,
  focusKey,
}: {
  query: FindQuery;
  onQuery: (query: FindQuery) => void;
  hits: readonly FindHit[];
  current: number | null;
  onStep: (direction: 1 | -1) => void;
  onClose: () => void;
  error: string | null;
  /** Where the search stands: "searching…", "all 12,345 lines", … */
  status: string;
  /** Changes each time the box should take focus (Ctrl+F, /). */
  focusKey: number;
}) {
  const input = useRef<HTMLInputElement>(null);
  useEffect(() => {
    input.current?.focus();
    input.current?.select();
  }, [focusKey]);
  const hit = current !== null ? hits[current] : undefined;
  const typed = hits.filter((h) => h.source === 'input').length;
  const count =
    query.text === '' || error
      ? ''
      : hits.length === 0
        ? 'No hits'
        : `${current !== null ? `${(current + 1).toLocaleString('en')} of ` : ''}${hits.length.toLocaleString('en')}${hits.length >= MAX_HITS ? '+' : ''}${typed > 0 ? ` (${typed.toLocaleString('en')} typed)` : ''}`;
  const toggle = (key: 'caseSensitive' | 'wholeWord' | 'regex') =>
    onQuery({ ...query, [key]: !query[key] });
  return (
    <div
      role="search"
      aria-label="Find in the recording"
      data-testid="find-bar"
      className="flex flex-wrap items-center gap-x-2 gap-y-1 border-b border-zinc-800 bg-zinc-900 px-3 py-1.5 text-sm"
    >
      <input
        ref={input}
        type="search"
        aria-label="Find in the recording"
        placeholder="Find on screen and in typed input"
        maxLength={MAX_FIND_LENGTH}
        value={query.text}
        spellCheck={false}
        autoComplete="off"
        aria-invalid={error ? true : undefined}
        aria-describedby="find-status"
        onChange={(e) => onQuery({ ...query, text: e.currentTarget.value })}
        onKeyDown={(e) => {
          if (e.key === 'Enter') {
            e.preventDefault();
            onStep(e.shiftKey ? -1 : 1);
          } else if (e.key === 'Escape') {
            e.preventDefault();
            onClose();
          }
        }}
        className={`h-8 w-64 min-w-0 rounded-md border bg-zinc-950 px-2 font-mono text-zinc-100 placeholder:text-zinc-500 focus:outline-2 focus:outline-emerald-400 ${error ? 'border-amber-600' : 'border-zinc-700'}`}
      />
      <div className="flex items-center gap-0.5">
        <ControlButton
          label="Match case"
          pressed={query.caseSensitive}
          onClick={() => toggle('caseSensitive')}
        >
          Aa
        </ControlButton>
        <ControlButton
          label="Whole word"
          pressed={query.wholeWord}
          onClick={() => toggle('wholeWord')}
        >
          <span className="underline underline-offset-2">ab</span>
        </ControlButton>
        <ControlButton
          label="Regular expression"
          pressed={query.regex}
          onClick={() => toggle('regex')}
        >
          .*
        </ControlButton>
      </div>
      <span
        className="min-w-20 font-mono text-xs tabular-nums text-zinc-300"
        data-testid="find-count"
        aria-live="polite"
      >
        {count}
      </span>
      <div className="flex items-center gap-0.5">
        <ControlButton
          label="Previous hit"
          keys="Shift+Enter, N"
          onClick={() => onStep(-1)}
          disabled={hits.length === 0}
        >
          <Icon name="up" />
        </ControlButton>
        <ControlButton
          label="Next hit"
          keys="Enter, n"
          onClick={() => onStep(1)}
          disabled={hits.length === 0}
        >
          <Icon name="down" />
        </ControlButton>
      </div>
      <span id="find-status" className="min-w-0 truncate text-xs text-zinc-500">
        {error ? (
          <span role="alert" className="text-amber-300">
            {error}
          </span>
        ) : hit ? (
          `${hit.source === 'input' ? 'typed' : 'on screen'} at ${formatMoment(Math.floor(hit.t))} · ${status}`
        ) : (
          status
        )}
      </span>
      <ControlButton label="Close find" keys="Esc" onClick={onClose}>
        <Icon name="close" />
      </ControlButton>
    </div>
  );
}
