import { afterAll, beforeAll } from 'vitest';
import type { Client } from '@elastic/elasticsearch';
import { ElasticsearchSource } from '@/lib/sources/elasticsearch';
import { Summaries } from '@/lib/sources/elasticsearch/summaries';
import { listOnSummaries } from '@/lib/sources/elasticsearch/summaries/list';
import { DEFAULT_SUMMARIZER } from '@/lib/sources/elasticsearch/summaries/summarizer';
import type { ListQuery, ListResult, Scope } from '@/lib/sources/types';
import { ensureFleetIndex, ensureTinyIndex } from '../support/fleet/load';
import { testClient } from '../support/es';
import { FLEET, fleetOracle, type FleetRecording } from '../support/fleet';
import type { ListContext } from './list-oracle';

// The recordings list on a real Elasticsearch, over the generated fleet
// (loaded once, reused by later runs on the same cluster) with rsyslog's
// dynamic mapping: for list-elasticsearch.test.ts (the list over the
// messages) and list-summaries.test.ts (the list on the summaries index).

const TINY = 12_000;
/**
 * LIST_FLEET=full: the fleet's 5,000 recordings (60 hosts, 200 users, 30
 * days) with 40 messages each on average, at 40% of the benchmark fleet's
 * load time (bench/list loads the 500,000-message one). The default,
 * reduced: 800 recordings and 80,000 messages on the same hosts, users and
 * days, which npm test runs on every cluster: the queries and their shapes
 * are the same, the oracle checks every answer, and the suite does not
 * depend on the fleet's size (what depends on size, past 10,000 recordings
 * and hits, is the tiny index's test). The full fleet loaded and summarized
 * in 48 s on the first cluster, the reduced one in 20 s.
 */
export const SPEC =
  process.env.LIST_FLEET === 'full'
    ? { ...FLEET, messages: 200_000 }
    : { ...FLEET, recordings: 800, messages: 80_000 };
/**
 * LIST_TINY=off leaves out the 12,000 one-message recordings and their
 * test: npm test runs it on its first cluster only (20 s more per cluster,
 * summaries included, for the same requests to the same API).
 */
const WITH_TINY = process.env.LIST_TINY !== 'off';

/** The summaries of the test fleets: kept with them, so later runs on the cluster reuse both. */
export const TEST_SUMMARY_INDEX = 'auditty-summaries-it';

/**
 * A source whose list comes from the summaries or fails: the suite must test
 * the summaries, never the list over messages that ElasticsearchSource.list
 * falls back to.
 */
export class SummariesOnlySource extends ElasticsearchSource {
  constructor(
    private readonly es: Client,
    private readonly pattern: string,
  ) {
    super(es, pattern, { summaryIndex: TEST_SUMMARY_INDEX });
  }

  override async list(scope: Scope, query: ListQuery): Promise<ListResult> {
    const fields = await this.fields();
    const target = {
      client: this.es,
      index: this.pattern,
      summaryIndex: TEST_SUMMARY_INDEX,
      fields,
    };
    const result = await listOnSummaries(target, scope, query);
    if (!result) throw new Error('the list on summaries gave this query up to the messages');
    return result;
  }
}

/** Rounds until the summarizer is current: the backfill, or what arrived since the last run. */
export async function summarize(summaries: Summaries | null): Promise<void> {
  if (!summaries) throw new Error('no summaries on this source');
  await summaries.store.ensureIndex();
  const summarizer = summaries.newSummarizer({ ...DEFAULT_SUMMARIZER, intervalMs: 200 });
  const state = await summarizer.untilCurrent(300_000);
  if (state.phase !== 'current') throw new Error(`summarizer: ${JSON.stringify(state)}`);
  await summarizer.stop();
  await summaries.store.refresh();
}

export function esListContext(options: { summaries: boolean }): ListContext {
  const client = testClient();
  const liveIndex = `auditty-live-${Date.now()}`;
  let fleetIndex = '';
  let tinyIndex = '';
  let oracle: FleetRecording[] = [];
  const make = (index: string) =>
    options.summaries
      ? new SummariesOnlySource(client, index)
      : new ElasticsearchSource(client, index);

  beforeAll(async () => {
    const started = Date.now();
    const fleet = await ensureFleetIndex(client, SPEC);
    const tiny = WITH_TINY ? await ensureTinyIndex(client, TINY) : null;
    fleetIndex = fleet.index;
    tinyIndex = tiny?.index ?? '';
    oracle = fleetOracle(SPEC);
    console.log(
      `fleet ${fleet.index}: ${fleet.loaded ? `loaded ${SPEC.messages} messages in ${fleet.ms} ms` : 'reused'}; ` +
        `tiny: ${!tiny ? 'left out (LIST_TINY=off)' : tiny.loaded ? `${tiny.index} loaded in ${tiny.ms} ms` : `${tiny.index} reused`}; ready in ${Date.now() - started} ms`,
    );
    if (options.summaries) {
      for (const index of tiny ? [fleetIndex, tinyIndex] : [fleetIndex]) {
        const t0 = Date.now();
        await summarize(make(index).summaries);
        console.log(`summaries of ${index}: current after ${Date.now() - t0} ms`);
      }
    }
  }, 400_000);

  afterAll(async () => {
    if (options.summaries) await make(liveIndex).summaries?.store.deleteAll();
    await client.indices.delete({ index: liveIndex, ignore_unavailable: true });
    await client.close();
  });

  return {
    source: () => make(fleetIndex),
    oracle: () => oracle,
    tiny: WITH_TINY ? () => ({ source: make(tinyIndex), count: TINY }) : null,
    live: () => {
      const source = make(liveIndex);
      return {
        source,
        append: async (lines) => {
          const operations = lines.flatMap((line) => {
            const message = JSON.parse(line) as Record<string, unknown>;
            const timestamp = new Date(Math.round(Number(message.time) * 1000)).toISOString();
            return [{ index: { _index: liveIndex } }, { ...message, timestamp }];
          });
          const result = await client.bulk({ operations, refresh: true });
          if (result.errors) throw new Error('live messages were refused');
          // On summaries, new messages are listed once the summarizer has read them.
          if (options.summaries) await summarize(source.summaries);
        },
      };
    },
  };
}
