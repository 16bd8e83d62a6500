// What the main thread and the keyframe worker (keyframe-worker.ts) say to
// each other.

import type { CommandEntry } from '@/lib/replay/commands/types';
import type { EventBatch } from '@/lib/replay/event-batch';
import type { FindQuery } from '@/lib/replay/find';
import type { Keyframe } from '@/lib/replay/keyframes';
import type { ScreenHit } from '@/lib/replay/screen-text';

/** Hits a search reports at most ("10,000+"). */
export const MAX_HITS = 10_000;
/** A search that takes longer than this is stopped (a slow regular expression). */
export const FIND_BUDGET_MS = 2000;
/** About the most the worker's screen text index holds; later lines are not indexed. */
export const TEXT_INDEX_BUDGET = 256 * 1024 * 1024;

export type WorkerRequest =
  /** First: what the recording's summary says about it. */
  | { type: 'init'; inputLogged: boolean }
  | { type: 'events'; batch: EventBatch; complete: boolean }
  /** A new search (replacing any other), answered with `found` now and as lines are indexed. */
  | { type: 'find'; id: number; query: FindQuery }
  | { type: 'find-clear' };

export type WorkerReply =
  | { type: 'keyframe'; keyframe: Keyframe }
  | {
      type: 'indexed';
      index: number;
      textLines: number;
      textBytes: number;
      /** The moment the text index stopped, its budget spent (null: it has not). */
      textFullAt: number | null;
    }
  | {
      type: 'found';
      id: number;
      /** Hits in lines not searched before: append them. */
      hits: ScreenHit[];
      /** Lines searched so far, of `lines` indexed. */
      searched: number;
      lines: number;
      /** How long this part of the search took. */
      ms: number;
      error?: string;
    }
  | {
      type: 'commands';
      /** The command timeline from index `from` on (earlier ones are unchanged). */
      from: number;
      commands: CommandEntry[];
      /** All events are played: the list is final. */
      complete: boolean;
      /** More commands than MAX_COMMANDS: the first ones are listed. */
      truncated: boolean;
    }
  | { type: 'error'; message: string };
