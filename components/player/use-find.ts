'use client';

import type { Terminal } from '@xterm/xterm';
import { useCallback, useEffect, useMemo, useRef, useState } from 'react';
import { compileQuery, EMPTY_QUERY, queryFromParam, type FindQuery } from '@/lib/replay/find';
import { inputHits, mergeHits, stepHit, type FindHit } from '@/lib/replay/find-hits';
import { PlayerState } from '@/lib/replay/engine';
import { formatMoment } from '@/lib/replay/moment';
import type { PlayerModel } from './use-player';
import { clearHighlight, highlightHit } from './visible-terminal';

/** Typing pauses this long before the search runs. */
const DEBOUNCE_MS = 150;

export interface FindModel {
  open: boolean;
  query: FindQuery;
  setQuery: (query: FindQuery) => void;
  hits: readonly FindHit[];
  current: number | null;
  /** The text selected on screen for the current hit (null: none). */
  match: string | null;
  /** Every line of the recording is searched (or the search failed): the hits are all there. */
  done: boolean;
  error: string | null;
  status: string;
  focusKey: number;
  show: () => void;
  close: () => void;
  step: (direction: 1 | -1) => void;
}

/**
 * Find in the recording, for the player: the box's state, the search run by
 * the keyframe worker (and over the typed input here), and going to a hit:
 * paused at its moment, the match selected in the terminal.
 */
export function useFind(
  model: PlayerModel,
  initial: string | undefined,
  autoJump: boolean,
): FindModel {
  const { engine, terminal, time, settled } = model;
  const start = queryFromParam(initial);
  const [open, setOpen] = useState(start !== null);
  const [query, setQueryState] = useState<FindQuery>(start ?? EMPTY_QUERY);
  const [focusKey, setFocusKey] = useState(0);
  const [current, setCurrent] = useState<number | null>(null);
  const jump = useRef(autoJump && start !== null);
  const search = model.search;

  const active = open && query.text !== '';
  const compiled = useMemo(() => (active ? compileQuery(query) : null), [active, query]);
  const setQuery = useCallback((next: FindQuery) => {
    setQueryState(next);
    setCurrent(null);
  }, []);
  useEffect(() => {
    if (!compiled?.ok) {
      search(null);
      return;
    }
    const timer = window.setTimeout(() => search(query), DEBOUNCE_MS);
    return () => window.clearTimeout(timer);
  }, [compiled, query, search]);

  const results = model.find;
  const fresh = results.query === query;
  const typed = useMemo(
    () => (compiled?.ok ? inputHits(compiled.matcher, model.inputLines) : []),
    [compiled, model.inputLines],
  );
  const hits = useMemo(
    () => (compiled?.ok ? mergeHits(fresh ? results.hits : [], typed) : []),
    [compiled, fresh, results.hits, typed],
  );

  const go = useCallback(
    (k: number | null) => {
      const hit = k === null ? undefined : hits[k];
      if (!engine || !hit || k === null) return;
      setCurrent(k);
      engine.pause();
      engine.seek(hit.t);
    },
    [engine, hits],
  );

  // A ?find= link without a moment opens at the first hit once it is found.
  const ready = model.snapshot.state !== PlayerState.Loading;
  useEffect(() => {
    if (jump.current && ready && hits.length > 0) {
      jump.current = false;
      go(0);
    }
  }, [ready, hits, go]);

  // The hit's match, selected once its moment is on screen (after that frame's paint).
  const hit = current !== null ? hits[current] : undefined;
  const [match, setMatch] = useState<string | null>(null);
  useEffect(() => {
    if (!terminal) return;
    const frame = requestAnimationFrame(() => {
      if (!hit || hit.source !== 'screen' || !settled || Math.abs(time - hit.t) >= 1) {
        clearHighlight(terminal as Terminal);
        setMatch(null);
        return;
      }
      setMatch(highlightHit(terminal as Terminal, hit));
    });
    return () => cancelAnimationFrame(frame);
  }, [terminal, hit, settled, time]);

  const step = useCallback(
    (direction: 1 | -1) => {
      if (!open) return;
      go(stepHit(hits, time, direction, current));
    },
    [open, hits, time, current, go],
  );

  const error = !active
    ? null
    : compiled && !compiled.ok
      ? compiled.error
      : fresh
        ? results.error
        : null;
  // Indexing goes on while the recording loads: the search is done once
  // every line indexed so far is searched and no more are coming.
  const indexing =
    model.textFullAt === null &&
    (!model.snapshot.complete || model.indexed < model.timeline.events);
  const searching =
    !fresh || results.searched < Math.max(results.lines, fresh ? model.textLines : 0);
  const done = active && (error !== null || (!searching && !indexing));
  const lines = Math.max(results.lines, results.searched).toLocaleString('en');
  const full =
    model.textFullAt !== null
      ? `; the index is full, lines after ${formatMoment(Math.floor(model.textFullAt))} are not searched`
      : '';
  const status = !active
    ? ''
    : searching
      ? 'searching…'
      : `${lines} screen lines searched${full || (indexing ? ', more as the recording is indexed' : '')}`;

  return {
    open,
    query,
    setQuery,
    hits,
    current,
    match: open ? match : null,
    done,
    error,
    status,
    focusKey,
    show: () => {
      setOpen(true);
      setFocusKey((k) => k + 1);
    },
    close: () => {
      setOpen(false);
      setCurrent(null);
    },
    step,
  };
}
