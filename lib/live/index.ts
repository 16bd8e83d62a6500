import 'server-only';
import { env } from '@/lib/env';
import { getSource } from '@/lib/sources';
import { LiveHub, type LiveSettings } from './hub';

export * from './hub';

/** The heartbeat: a status line at least this often, so proxies keep the connection open. */
export const HEARTBEAT_MS = 15_000;

/** ms after which the route closes a live stream (the browser reconnects at once). */
export const streamMaxMs = (): number => env().LIVE_STREAM_MAX_SECONDS * 1000;

export function liveSettings(): LiveSettings {
  const config = env();
  return {
    pollMs: config.LIVE_POLL_MS,
    gapWaitMs: config.LIVE_GAP_WAIT_MS,
    idleMs: config.LIVE_IDLE_SECONDS * 1000,
    endMs: config.LIVE_END_SECONDS * 1000,
    heartbeatMs: HEARTBEAT_MS,
    maxStreams: config.LIVE_MAX_STREAMS,
    maxPerUser: config.LIVE_MAX_PER_USER,
  };
}

/** On globalThis: one hub per process, however many copies of this module a bundle holds. */
const HUB = Symbol.for('auditty.liveHub');
const store = globalThis as { [HUB]?: LiveHub };

/** This instance's live follow (one feed per followed recording). */
export function liveHub(): LiveHub {
  store[HUB] ??= new LiveHub(getSource(), liveSettings());
  return store[HUB];
}
