import 'server-only';
import type { Client } from '@elastic/elasticsearch';
import { SEARCH_OPTIONS } from '../queries';
import type { ShardCursor } from './store';

// Where the messages behind ES_INDEX stand, for the summarizer
// (summarizer.ts): each primary shard's global checkpoint, and how long
// after a checkpoint its messages are surely searchable (the refresh hold).

/** The margin over an index's refresh interval before its new messages are read. */
const HOLD_MARGIN_MS = 500;
/** For an index whose refresh interval is unknown: the default 1 s. */
export const DEFAULT_HOLD_MS = 1000 + HOLD_MARGIN_MS;
/** The longest wait for an index to become searchable (and an index with refresh off). */
export const MAX_HOLD_MS = 60_000;

/** Wait after a checkpoint for an index with this refresh_interval ("1s", "500ms", "-1"). */
export function holdFor(interval: string): number {
  const match = /^(\d+(?:\.\d+)?)(ms|s|m|h|d)?$/.exec(interval.trim());
  if (!match) return MAX_HOLD_MS;
  const unit = { ms: 1, s: 1000, m: 60_000, h: 3_600_000, d: 86_400_000 }[match[2] ?? 'ms'] ?? 1;
  return Math.min(MAX_HOLD_MS, Number(match[1]) * unit + HOLD_MARGIN_MS);
}

export interface ShardStat extends ShardCursor {
  uuid: string;
  shard: number;
  checkpoint: number;
}

interface StatsAnswer {
  indices?: Record<
    string,
    {
      uuid?: string;
      shards?: Record<
        string,
        { routing?: { primary?: boolean }; seq_no?: { global_checkpoint?: number } }[]
      >;
    }
  >;
}

/** Every primary shard behind the pattern: its index, uuid and global checkpoint. */
export async function shardStats(client: Client, pattern: string): Promise<Map<string, ShardStat>> {
  const answer = (await client.indices.stats({
    index: pattern,
    level: 'shards',
    metric: 'docs',
    ...SEARCH_OPTIONS,
    filter_path: [
      'indices.*.uuid',
      'indices.*.shards.*.routing.primary',
      'indices.*.shards.*.seq_no',
    ],
  })) as StatsAnswer;
  const shards = new Map<string, ShardStat>();
  for (const [index, stats] of Object.entries(answer.indices ?? {})) {
    const uuid = stats.uuid ?? index;
    for (const [shard, copies] of Object.entries(stats.shards ?? {})) {
      const primary = copies.find((c) => c.routing?.primary) ?? copies[0];
      const checkpoint = primary?.seq_no?.global_checkpoint ?? -1;
      shards.set(`${uuid}/${shard}`, { index, uuid, shard: Number(shard), checkpoint, seq: -1 });
    }
  }
  return shards;
}

/** Each index's refresh hold (holdFor its refresh_interval, the default 1 s if unset). */
export async function readRefreshHolds(
  client: Client,
  pattern: string,
): Promise<Map<string, number>> {
  const answer = (await client.indices.getSettings({
    index: pattern,
    name: 'index.refresh_interval',
    include_defaults: true,
    flat_settings: true,
    ...SEARCH_OPTIONS,
  })) as Record<string, { settings?: Record<string, unknown>; defaults?: Record<string, unknown> }>;
  const byIndex = new Map<string, number>();
  for (const [index, entry] of Object.entries(answer)) {
    const value =
      entry.settings?.['index.refresh_interval'] ?? entry.defaults?.['index.refresh_interval'];
    byIndex.set(index, holdFor(typeof value === 'string' ? value : '1s'));
  }
  return byIndex;
}
