import 'server-only';
import { env } from '@/lib/env';
import { createClient, ElasticsearchSource } from './elasticsearch';
import { COMMANDS_SLICE_MS, DEFAULT_SUMMARIZER } from './elasticsearch/summaries/summarizer';
import { FilesSource } from './files';
import type { RecordingSource } from './types';

export * from './types';

let source: RecordingSource | undefined;

/** The configured source: Elasticsearch when ES_URL is set, else the files directory. */
export function getSource(): RecordingSource {
  if (source) return source;
  const config = env();
  source = config.ES_URL
    ? new ElasticsearchSource(createClient(config), config.ES_INDEX, {
        summaryIndex: config.SUMMARY_INDEX,
      })
    : new FilesSource(config.RECORDINGS_DIR);
  return source;
}

/**
 * Keeps the recording summaries current from this process (the server, by
 * default; SUMMARIZER=off leaves it to `auditty summarize`).
 */
export function startSummarizer(): void {
  const config = env();
  const current = getSource();
  if (config.SUMMARIZER === 'off' || !(current instanceof ElasticsearchSource)) return;
  current.summaries?.start({
    ...DEFAULT_SUMMARIZER,
    intervalMs: config.SUMMARY_INTERVAL_MS,
    commandsSliceMs: config.SUMMARY_COMMANDS === 'on' ? COMMANDS_SLICE_MS : 0,
  });
}
