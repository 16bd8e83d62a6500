import { parseArgs } from 'node:util';
import { env } from '@/lib/env';
import { createClient, ElasticsearchSource } from '@/lib/sources/elasticsearch';
import {
  COMMANDS_SLICE_MS,
  DEFAULT_SUMMARIZER,
  type SummarizerState,
} from '@/lib/sources/elasticsearch/summaries/summarizer';

// `auditty summarize`: keeps the recording summaries current from here
// instead of from the web servers (set SUMMARIZER=off on those). Several may
// run: one works at a time (the lease). `--once` catches up and exits (for
// cron); `--rebuild` deletes this deployment's summaries first, so that they
// are made again from the messages.

const USAGE = 'usage: auditty summarize [--once] [--rebuild]';

function describe(state: SummarizerState): string {
  switch (state.phase) {
    case 'backfill':
      return `backfill: ${state.percent}% (${state.recordings.toLocaleString('en')} recordings)`;
    case 'current':
      return `current (${state.behind} messages behind after the round)`;
    case 'standby':
      return 'standby: another instance holds the lease and keeps the summaries current';
    case 'failed':
      return `failed: ${state.error}`;
  }
}

export async function summarize(args: string[]): Promise<number> {
  let values;
  try {
    ({ values } = parseArgs({
      args,
      options: { once: { type: 'boolean' }, rebuild: { type: 'boolean' } },
    }));
  } catch (err) {
    console.error(
      `auditty summarize: ${err instanceof Error ? err.message : String(err)}\n${USAGE}`,
    );
    return 2;
  }
  const config = env();
  if (!config.ES_URL) {
    console.error('auditty summarize: set ES_URL: summaries are kept in Elasticsearch');
    return 2;
  }
  const client = createClient(config);
  const summaries = new ElasticsearchSource(client, config.ES_INDEX, {
    summaryIndex: config.SUMMARY_INDEX,
  }).summaries;
  if (!summaries) return 2;
  const summarizer = summaries.newSummarizer({
    ...DEFAULT_SUMMARIZER,
    intervalMs: config.SUMMARY_INTERVAL_MS,
    commandsSliceMs: config.SUMMARY_COMMANDS === 'on' ? COMMANDS_SLICE_MS : 0,
  });
  let stop = false;
  for (const signal of ['SIGINT', 'SIGTERM'] as const) process.on(signal, () => (stop = true));
  const say = (line: string) => console.log(`auditty summarize: ${line}`);
  try {
    await summaries.store.ensureIndex();
    if (values.rebuild) {
      await summaries.store.deleteAll();
      say(`summaries of ${config.ES_INDEX} deleted from ${config.SUMMARY_INDEX}: rebuilding`);
    }
    let printed = '';
    for (;;) {
      let state: SummarizerState;
      try {
        state = await summarizer.round();
      } catch (err) {
        state = { phase: 'failed', error: err instanceof Error ? err.message : String(err) };
      }
      const line = describe(state);
      if (line !== printed) say(line);
      printed = line;
      if (values.once) {
        if (state.phase === 'failed') return 1;
        // Caught up (nothing left behind), or another instance does the work.
        if (state.phase === 'standby' || (state.phase === 'current' && state.behind === 0)) break;
      }
      if (stop) break;
      // After a failure, wait longer: the cluster may be down or overloaded.
      const wait = config.SUMMARY_INTERVAL_MS * (state.phase === 'failed' ? 5 : 1);
      await new Promise((resolve) => setTimeout(resolve, wait));
    }
    return 0;
  } catch (err) {
    console.error(`auditty summarize: ${err instanceof Error ? err.message : String(err)}`);
    return 1;
  } finally {
    await summarizer.stop().catch(() => undefined);
    await client.close();
  }
}
