import 'server-only';
import { env } from '@/lib/env';
import { createClient, ElasticsearchSource } from './elasticsearch';
import { FilesSource } from './files';
import type { RecordingSource } from './types';

export * from './types';

let source: RecordingSource | undefined;

/** The configured source: Elasticsearch when ES_URL is set, else the files directory. */
export function getSource(): RecordingSource {
  if (source) return source;
  const config = env();
  source = config.ES_URL
    ? new ElasticsearchSource(createClient(config), config.ES_INDEX)
    : new FilesSource(config.RECORDINGS_DIR);
  return source;
}
