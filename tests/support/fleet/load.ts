import { createHash } from 'node:crypto';
import type { Client } from '@elastic/elasticsearch';
import { FLEET, FLEET_VERSION, fleet, type FleetSpec } from './index';
import { tinyRecordings } from './write';

// Loads generated recordings into Elasticsearch, once: index names carry a
// hash of what they hold, and an index that already holds every message is
// reused. Documents look like the importer's (each message plus rsyslog's
// `timestamp`); the mapping is rsyslog's dynamic one, except that `timing`
// and the byte arrays, which auditty never queries, are kept but not indexed
// (as auditty's template does), which halves the load time on 2 cores.

type Document = Record<string, unknown>;

const LOADER_VERSION = 2;

function named(prefix: string, what: unknown): string {
  const hash = createHash('sha256')
    .update(JSON.stringify({ what, FLEET_VERSION, LOADER_VERSION }))
    .digest('hex')
    .slice(0, 10);
  return `${prefix}-${hash}`;
}

export const fleetIndexName = (spec: FleetSpec = FLEET) => named('auditty-fleet', spec);
export const tinyIndexName = (count: number) => named('auditty-tiny', count);

export interface LoadResult {
  index: string;
  /** false when an existing complete index was reused. */
  loaded: boolean;
  ms: number;
}

async function complete(client: Client, index: string, count: number): Promise<boolean> {
  if (!(await client.indices.exists({ index }))) return false;
  await client.indices.refresh({ index });
  return (await client.count({ index })).count === count;
}

function withTimestamp(message: Document): Document {
  return { ...message, timestamp: new Date(Math.round(Number(message.time) * 1000)).toISOString() };
}

export async function loadIndex(
  client: Client,
  index: string,
  count: number,
  messages: () => Iterable<Document>,
): Promise<LoadResult> {
  const started = Date.now();
  if (await complete(client, index, count))
    return { index, loaded: false, ms: Date.now() - started };
  await client.indices.delete({ index, ignore_unavailable: true });
  await client.indices.create({
    index,
    settings: {
      number_of_shards: 1,
      number_of_replicas: 0,
      refresh_interval: '-1',
      'index.translog.durability': 'async',
    },
    mappings: {
      properties: {
        timing: { type: 'text', index: false },
        in_bin: { type: 'long', index: false },
        out_bin: { type: 'long', index: false },
      },
    },
  });
  async function* documents() {
    for (const message of messages()) yield withTimestamp(message);
  }
  let refused = 0;
  await client.helpers.bulk<Document>({
    datasource: documents(),
    onDocument: (doc) => ({
      create: { _index: index, _id: `${String(doc.rec)}:${String(doc.id)}` },
    }),
    flushBytes: 3_000_000,
    concurrency: 2,
    onDrop: () => {
      refused += 1;
    },
  });
  await client.indices.putSettings({
    index,
    settings: { refresh_interval: '1s', 'index.translog.durability': 'request' },
  });
  await client.indices.refresh({ index });
  const loaded = (await client.count({ index })).count;
  if (refused > 0 || loaded !== count) {
    throw new Error(`loading ${index}: ${loaded} of ${count} messages (${refused} refused)`);
  }
  return { index, loaded: true, ms: Date.now() - started };
}

export function ensureFleetIndex(
  client: Client,
  spec: FleetSpec = FLEET,
  index = fleetIndexName(spec),
) {
  return loadIndex(client, index, spec.messages, function* () {
    for (const item of fleet(spec)) yield* item.messages;
  });
}

export function ensureTinyIndex(client: Client, count: number, index = tinyIndexName(count)) {
  return loadIndex(client, index, count, () => tinyRecordings(count));
}
