// Reads a still frame for the recording page (docs/still-frame.md). The read
// starts beside the summary's, and the page then waits for it at most
// STILL_FRAME_WAIT_MS more: so the frame costs the page at most that over
// the summary, whatever the source is doing (a cold files index, a first
// Elasticsearch request), and any failure just means no frame (the player
// says why it cannot load, if it cannot).

import type { RecordingSource, Scope } from '../../sources/types';
import { makeStillFrame, STILL_MESSAGES } from './frame';
import type { StillFrame } from './types';

export interface StillRead {
  /** Waits at most `waitMs` more for the frame; null on time out or failure. */
  settle(waitMs: number): Promise<StillFrame | null>;
}

export const NO_STILL_FRAME: StillRead = { settle: () => Promise.resolve(null) };

export function startStillFrame(
  source: RecordingSource,
  scope: Scope,
  id: string,
  startAt: number | undefined,
): StillRead {
  const controller = new AbortController();
  const work = (async () => {
    const messages = await source.tail(
      scope,
      id,
      { afterId: 0, missing: [], limit: STILL_MESSAGES },
      controller.signal,
    );
    if (controller.signal.aborted) return null;
    return makeStillFrame(
      messages.map((m) => m.line),
      { ...(startAt !== undefined ? { startAt } : {}), complete: messages.length < STILL_MESSAGES },
    );
  })().catch(() => null);
  return {
    async settle(waitMs) {
      let timer: NodeJS.Timeout | undefined;
      const late = new Promise<null>((resolve) => {
        timer = setTimeout(resolve, Math.max(0, waitMs), null);
      });
      try {
        const frame = await Promise.race([work, late]);
        if (frame === null) controller.abort();
        return frame;
      } finally {
        clearTimeout(timer);
      }
    },
  };
}
