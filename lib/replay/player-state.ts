// The engine's states, the events it emits, the snapshot the view renders,
// and the engine's options.

import type { KeyframeSource } from './keyframes';
import type { OutputReader } from './playhead';

export const PlayerState = {
  /** Waiting for the first messages (or for the moment a link opens at). */
  Loading: 'loading',
  /** Time advances and output is written as it comes due. */
  Playing: 'playing',
  /** Time stands still at `time`. */
  Paused: 'paused',
  /** The position is at the end of a fully loaded recording. */
  Ended: 'ended',
  /** The recording could not be loaded; `error` says why. */
  Error: 'error',
} as const;
export type PlayerState = (typeof PlayerState)[keyof typeof PlayerState];

/** What made the engine emit a snapshot. */
export const PlayerEvent = {
  /** More of the recording arrived (or all of it). */
  Progress: 'progress',
  /** The state changed: started, played, paused, ended or failed. */
  State: 'state',
  /** The position jumped: seek, skip, step, restart, end. */
  Seeked: 'seeked',
  /** The speed or the idle-time limit changed. */
  Settings: 'settings',
  /** Every queued terminal write after a jump has been processed. */
  Settled: 'settled',
} as const;
export type PlayerEvent = (typeof PlayerEvent)[keyof typeof PlayerEvent];

export interface PlayerSnapshot {
  state: PlayerState;
  event: PlayerEvent;
  /** Position in ms from the recording's start. */
  time: number;
  durationMs: number;
  speed: number;
  /** False while messages are still arriving. */
  complete: boolean;
  /** A seek target (ms) past what has loaded: the position moves there once it has. */
  waitingFor: number | null;
  /** Pauses longer than this (ms) are cut to it while playing; null: off. */
  idleLimitMs: number | null;
  error: string | null;
}

/** A snapshot before anything has loaded. */
export const INITIAL_SNAPSHOT: PlayerSnapshot = {
  state: PlayerState.Loading,
  event: PlayerEvent.State,
  time: 0,
  durationMs: 0,
  speed: 1,
  complete: false,
  waitingFor: null,
  idleLimitMs: null,
  error: null,
};

export interface EngineOptions {
  /** Play as soon as the first messages arrive (otherwise open paused). */
  autoplay: boolean;
  /** Open paused at this moment (ms), once it has loaded: a link to a moment. */
  startAt?: number;
  /** Keyframes to restore from; without, a backward seek replays from the start. */
  keyframes?: KeyframeSource | null;
  /** Output let go over the memory budget, fetched again when needed (output-chunks.ts). */
  output?: OutputReader | null;
}

export const MIN_SPEED = 1 / 16;
export const MAX_SPEED = 16;
