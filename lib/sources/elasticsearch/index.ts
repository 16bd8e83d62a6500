import 'server-only';
import { readFileSync } from 'node:fs';
import { Client, errors } from '@elastic/elasticsearch';
import { AppError } from '@/lib/errors';
import type { Env } from '@/lib/env';
import type {
  ListQuery,
  ListResult,
  RecordingSource,
  RecordingSummary,
  Scope,
  SourceHealth,
} from '../types';
import {
  DYNAMIC_FIELDS,
  matchingRecordingsBody,
  messagesPageBody,
  PAGE_SIZE,
  summariesBody,
  type FieldNames,
} from './queries';
import { detectLayout, type IndexLayout } from './fields';
import { toSummary, type RecordingBucket } from './reshape';

// Reads the indices that rsyslog's omelasticsearch writes (one document per
// tlog message). Never writes to them.

export function createClient(config: Env): Client {
  if (!config.ES_URL) throw new Error('ES_URL is not set');
  const auth = config.ES_API_KEY
    ? { apiKey: config.ES_API_KEY }
    : config.ES_USERNAME && config.ES_PASSWORD
      ? { username: config.ES_USERNAME, password: config.ES_PASSWORD }
      : undefined;
  return new Client({
    node: config.ES_URL,
    ...(auth ? { auth } : {}),
    ...(config.ES_CA_FILE ? { tls: { ca: readFileSync(config.ES_CA_FILE) } } : {}),
    requestTimeout: config.ES_REQUEST_TIMEOUT_MS,
    maxRetries: 1,
  });
}

/** Maps client failures to the API's errors; the cluster's words stay in the log. */
export function sourceError(err: unknown): AppError {
  if (err instanceof AppError) return err;
  console.error('elasticsearch:', err);
  if (err instanceof errors.TimeoutError) {
    return new AppError('source_timeout', 'Elasticsearch did not answer in time', { cause: err });
  }
  if (err instanceof errors.ConnectionError || err instanceof errors.NoLivingConnectionsError) {
    return new AppError('source_unavailable', 'Elasticsearch is unreachable', { cause: err });
  }
  if (err instanceof errors.ResponseError) {
    return new AppError(
      'source_unavailable',
      `Elasticsearch refused the request (status ${err.statusCode ?? 'unknown'})`,
      { cause: err },
    );
  }
  return new AppError('source_unavailable', 'Elasticsearch request failed', { cause: err });
}

const LAYOUT_TTL_MS = 60_000;
const SEARCH_OPTIONS = { ignore_unavailable: true, allow_no_indices: true } as const;

export class ElasticsearchSource implements RecordingSource {
  readonly kind = 'elasticsearch' as const;
  private layout: IndexLayout | null = null;
  private layoutAt = 0;

  constructor(
    private readonly client: Client,
    private readonly index: string,
  ) {}

  private async fieldNames(): Promise<FieldNames> {
    // New indices (daily ones, say) may change the layout: look again after a while.
    if (this.layout && Date.now() - this.layoutAt < LAYOUT_TTL_MS) return this.layout.fields;
    const detected = await detectLayout(this.client, this.index);
    // A pattern that matches nothing yet: assume rsyslog's mapping, ask again next time.
    this.layout = detected;
    this.layoutAt = Date.now();
    return detected?.fields ?? DYNAMIC_FIELDS;
  }

  private async summaries(fields: FieldNames, scope: Scope, ids: string[]) {
    if (ids.length === 0) return [];
    const response = await this.client.search({
      index: this.index,
      ...SEARCH_OPTIONS,
      ...summariesBody(fields, scope, ids),
    });
    const aggs = response.aggregations as { recs?: { buckets: RecordingBucket[] } } | undefined;
    return (aggs?.recs?.buckets ?? []).map(toSummary).filter((s) => s !== null);
  }

  async list(scope: Scope, query: ListQuery): Promise<ListResult> {
    try {
      const fields = await this.fieldNames();
      const response = await this.client.search({
        index: this.index,
        ...SEARCH_OPTIONS,
        ...matchingRecordingsBody(fields, scope, query),
      });
      const aggs = response.aggregations as
        | { total?: { value: number }; recs?: { buckets: { key: string }[] } }
        | undefined;
      const ids = (aggs?.recs?.buckets ?? []).map((b) => String(b.key));
      const summaries = await this.summaries(fields, scope, ids);
      const order = new Map(ids.map((id, i) => [id, i]));
      summaries.sort((a, b) => (order.get(a.id) ?? 0) - (order.get(b.id) ?? 0));
      return { items: summaries, nextCursor: null, total: aggs?.total?.value ?? summaries.length };
    } catch (err) {
      throw sourceError(err);
    }
  }

  async get(scope: Scope, id: string): Promise<RecordingSummary | null> {
    try {
      const fields = await this.fieldNames();
      const [summary] = await this.summaries(fields, scope, [id]);
      return summary ?? null;
    } catch (err) {
      throw sourceError(err);
    }
  }

  async messages(scope: Scope, id: string, signal?: AbortSignal) {
    const summary = await this.get(scope, id);
    if (!summary) return null;
    const fields = await this.fieldNames();
    const client = this.client;
    const index = this.index;
    return (async function* () {
      let pit: string;
      try {
        pit = (await client.openPointInTime({ index, keep_alive: '2m', ...SEARCH_OPTIONS }, { signal }))
          .id;
      } catch (err) {
        throw sourceError(err);
      }
      let after: unknown[] | undefined;
      let lastId: number | undefined;
      try {
        for (;;) {
          const page = await client.search(messagesPageBody(fields, scope, id, pit, after), {
            signal,
          });
          pit = page.pit_id ?? pit;
          const hits = page.hits.hits;
          for (const hit of hits) {
            const source = hit._source as Record<string, unknown> | undefined;
            const messageId = source?.id;
            // Duplicates (an rsyslog retry indexed a message twice): keep the first.
            if (typeof messageId === 'number' && messageId === lastId) continue;
            if (typeof messageId === 'number') lastId = messageId;
            yield JSON.stringify(source);
          }
          const last = hits[hits.length - 1];
          if (!last || hits.length < PAGE_SIZE || !last.sort) break;
          after = last.sort;
        }
      } catch (err) {
        throw sourceError(err);
      } finally {
        await client.closePointInTime({ id: pit }).catch(() => undefined);
      }
    })();
  }

  async health(): Promise<SourceHealth> {
    try {
      const health = await this.client.cluster.health({ timeout: '5s' });
      const count = await this.client.count({ index: this.index, ...SEARCH_OPTIONS });
      const layout = await detectLayout(this.client, this.index);
      const indices = layout
        ? `${layout.template.length + layout.dynamic.length} indices (${layout.template.length} with auditty's template, ${layout.dynamic.length} with dynamic mapping)`
        : 'no index matches yet';
      return {
        kind: 'elasticsearch',
        reachable: true,
        cluster: health.status,
        messages: count.count,
        detail: `${this.index}: ${indices}`,
      };
    } catch (err) {
      return { kind: 'elasticsearch', reachable: false, detail: sourceError(err).message };
    }
  }
}
