'use client';

import { useEffect, useState } from 'react';
import type { RecordingSummary } from '@/lib/sources/types';

// The list's live rows kept current while the page is open (docs/live.md):
// one request every REFRESH_MS for all the rows on the page that are still
// in progress (GET /api/recordings?rows=...), each row's cells updated in
// place, so the user's place, filters and scroll stay as they are. A row
// that is no longer live stops being asked for.

export const REFRESH_MS = 5000;
/** The most rows one refresh asks for (the API's limit). */
export const MAX_ROWS = 50;

type Listener = (summary: RecordingSummary) => void;

const listeners = new Map<string, Set<Listener>>();
let timer: number | null = null;

async function refresh(): Promise<void> {
  const ids = [...listeners.keys()].slice(0, MAX_ROWS);
  if (ids.length === 0) return;
  try {
    const response = await fetch(`/api/recordings?rows=${ids.map(encodeURIComponent).join(',')}`, {
      cache: 'no-store',
    });
    if (!response.ok) return;
    const body = (await response.json()) as { items?: RecordingSummary[] };
    for (const summary of body.items ?? []) {
      for (const listener of listeners.get(summary.id) ?? []) listener(summary);
      // Ended: nothing more to ask for.
      if (!summary.live) listeners.delete(summary.id);
    }
  } catch {
    // Offline or the server is restarting: the next round tries again.
  }
}

function watch(id: string, listener: Listener): () => void {
  const set = listeners.get(id) ?? new Set<Listener>();
  listeners.set(id, set);
  set.add(listener);
  timer ??= window.setInterval(() => void refresh(), REFRESH_MS);
  return () => {
    set.delete(listener);
    if (set.size === 0) listeners.delete(id);
    if (listeners.size === 0 && timer !== null) {
      window.clearInterval(timer);
      timer = null;
    }
  };
}

/** A live row's summary as it is now (the server's one at first). */
export function useLiveSummary(initial: RecordingSummary): RecordingSummary {
  // A new summary from the server (the page re-rendered) replaces what was polled.
  const [polled, setPolled] = useState<RecordingSummary | null>(null);
  useEffect(() => {
    if (!initial.live) return;
    return watch(initial.id, setPolled);
  }, [initial]);
  return polled !== null && polled.id === initial.id && polled.end >= initial.end
    ? polled
    : initial;
}
