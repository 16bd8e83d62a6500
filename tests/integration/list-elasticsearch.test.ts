import { afterAll, beforeAll } from 'vitest';
import { ElasticsearchSource } from '@/lib/sources/elasticsearch';
import { ensureFleetIndex, ensureTinyIndex } from '../support/fleet/load';
import { testClient } from '../support/es';
import { FLEET, fleetOracle, type FleetRecording } from '../support/fleet';
import { listSuite } from './list-suite';

// The recordings list on a real Elasticsearch, over the generated fleet
// (loaded once, reused by later runs on the same cluster) with rsyslog's
// dynamic mapping.

const TINY = 12_000;
/**
 * LIST_FLEET=reduced runs on a fleet of 800 recordings and 80,000 messages,
 * for the later clusters of npm test: the queries are the same, the first
 * cluster runs them on the full fleet, and the suite does not depend on the
 * fleet's size.
 */
const SPEC =
  process.env.LIST_FLEET === 'reduced' ? { ...FLEET, recordings: 800, messages: 80_000 } : FLEET;
const client = testClient();
const liveIndex = `auditty-live-${Date.now()}`;
let fleetIndex = '';
let tinyIndex = '';
let oracle: FleetRecording[] = [];

beforeAll(async () => {
  const started = Date.now();
  const [fleet, tiny] = [await ensureFleetIndex(client, SPEC), await ensureTinyIndex(client, TINY)];
  fleetIndex = fleet.index;
  tinyIndex = tiny.index;
  oracle = fleetOracle(SPEC);
  console.log(
    `fleet ${fleet.index}: ${fleet.loaded ? `loaded ${SPEC.messages} messages in ${fleet.ms} ms` : 'reused'}; ` +
      `tiny ${tiny.index}: ${tiny.loaded ? `loaded in ${tiny.ms} ms` : 'reused'}; ready in ${Date.now() - started} ms`,
  );
}, 400_000);

afterAll(async () => {
  await client.indices.delete({ index: liveIndex, ignore_unavailable: true });
  await client.close();
});

listSuite({
  source: () => new ElasticsearchSource(client, fleetIndex),
  oracle: () => oracle,
  tiny: () => ({ source: new ElasticsearchSource(client, tinyIndex), count: TINY }),
  live: () => ({
    source: new ElasticsearchSource(client, liveIndex),
    append: async (lines) => {
      const operations = lines.flatMap((line) => {
        const message = JSON.parse(line) as Record<string, unknown>;
        const timestamp = new Date(Math.round(Number(message.time) * 1000)).toISOString();
        return [{ index: { _index: liveIndex } }, { ...message, timestamp }];
      });
      const result = await client.bulk({ operations, refresh: true });
      if (result.errors) throw new Error('live messages were refused');
    },
  }),
});
