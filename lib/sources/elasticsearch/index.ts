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
import { DYNAMIC_FIELDS, SEARCH_OPTIONS, type FieldNames } from './queries';
import { detectLayout, type IndexLayout } from './fields';
import { readMessages } from './messages';
import { fetchSummaries, listRecordings } from './list';

// Reads the indices that rsyslog's omelasticsearch writes (one document per
// tlog message). Never writes to them.

/** What a client needs of the configuration. */
export type ClientConfig = Pick<
  Env,
  'ES_URL' | 'ES_API_KEY' | 'ES_USERNAME' | 'ES_PASSWORD' | 'ES_CA_FILE' | 'ES_REQUEST_TIMEOUT_MS'
>;

export function createClient(config: ClientConfig): Client {
  if (!config.ES_URL) throw new Error('ES_URL is not set');
  const auth = config.ES_API_KEY
    ? { apiKey: config.ES_API_KEY }
    : config.ES_USERNAME && config.ES_PASSWORD
      ? { username: config.ES_USERNAME, password: config.ES_PASSWORD }
      : undefined;
  // requestTimeout covers a request once connected; the TLS handshake gets
  // the same bound (plain TCP connects keep undici's 10 s), so nothing waits
  // on a stalled cluster for more than twice ES_REQUEST_TIMEOUT_MS an attempt.
  const connect = { timeout: config.ES_REQUEST_TIMEOUT_MS };
  const https = config.ES_URL.startsWith('https:');
  return new Client({
    node: config.ES_URL,
    ...(auth ? { auth } : {}),
    ...(https
      ? {
          tls: {
            ...connect,
            ...(config.ES_CA_FILE ? { ca: readFileSync(config.ES_CA_FILE) } : {}),
          },
        }
      : {}),
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
  if (err instanceof errors.ConnectionError && /connect timeout/i.test(err.message)) {
    return new AppError('source_timeout', 'Elasticsearch did not answer in time', { cause: err });
  }
  if (err instanceof errors.ConnectionError || err instanceof errors.NoLivingConnectionsError) {
    const tls = /certificate|self[- ]signed|unable to verify/i.test(err.message);
    return new AppError(
      'source_unavailable',
      tls
        ? "Elasticsearch's TLS certificate is not trusted (set ES_CA_FILE to its CA)"
        : 'Elasticsearch is unreachable',
      { cause: err },
    );
  }
  if (err instanceof errors.ResponseError) {
    const status = err.statusCode;
    const message =
      status === 401
        ? "Elasticsearch rejected auditty's credentials (check ES_API_KEY or ES_USERNAME/ES_PASSWORD)"
        : status === 403
          ? 'Elasticsearch denied access (auditty needs read and view_index_metadata on ES_INDEX)'
          : `Elasticsearch refused the request (status ${status ?? 'unknown'})`;
    return new AppError('source_unavailable', message, { cause: err });
  }
  return new AppError('source_unavailable', 'Elasticsearch request failed', { cause: err });
}

const LAYOUT_TTL_MS = 60_000;

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

  async list(scope: Scope, query: ListQuery): Promise<ListResult> {
    try {
      const fields = await this.fieldNames();
      return await listRecordings({ client: this.client, index: this.index, fields }, scope, query);
    } catch (err) {
      throw sourceError(err);
    }
  }

  async get(scope: Scope, id: string): Promise<RecordingSummary | null> {
    try {
      const fields = await this.fieldNames();
      const [summary] = await fetchSummaries(
        { client: this.client, index: this.index, fields },
        scope,
        [id],
      );
      return summary ?? null;
    } catch (err) {
      throw sourceError(err);
    }
  }

  async messages(scope: Scope, id: string, signal?: AbortSignal) {
    const fields = await this.fieldNames().catch((err: unknown) => {
      throw sourceError(err);
    });
    return readMessages(this.client, this.index, fields, scope, id, sourceError, signal);
  }

  /**
   * Searches skip indices the credentials may not read, so a role that lacks
   * them shows as an empty list: say so here. null when all is well, or when
   * the cluster has security off.
   */
  private async missingPrivileges(): Promise<string | null> {
    const wanted = ['read', 'view_index_metadata'];
    const answer = await this.client.security
      .hasPrivileges({ index: [{ names: this.index.split(','), privileges: wanted }] })
      .catch(() => null);
    if (!answer || answer.has_all_requested) return null;
    const lacking = new Set<string>();
    for (const privileges of Object.values(answer.index)) {
      for (const [name, granted] of Object.entries(privileges)) if (!granted) lacking.add(name);
    }
    return `the credentials lack ${[...lacking].join(' and ')} on ${this.index}`;
  }

  async health(): Promise<SourceHealth> {
    try {
      // Cluster health needs the `monitor` privilege, which a read-only key lacks.
      const cluster = await this.client.cluster
        .health({ timeout: '5s' })
        .then((h) => String(h.status))
        .catch((err: unknown) => {
          if (err instanceof errors.ResponseError && err.statusCode === 403) return undefined;
          throw err;
        });
      const count = await this.client.count({ index: this.index, ...SEARCH_OPTIONS });
      const layout = await detectLayout(this.client, this.index);
      const indices = layout
        ? `${layout.template.length + layout.dynamic.length} indices (${layout.template.length} with auditty's template, ${layout.dynamic.length} with dynamic mapping)`
        : 'no index matches yet';
      const missing = await this.missingPrivileges();
      return {
        kind: 'elasticsearch',
        reachable: true,
        ...(cluster ? { cluster } : {}),
        messages: count.count,
        detail: `${this.index}: ${indices}${missing ? `; ${missing}` : ''}`,
      };
    } catch (err) {
      return { kind: 'elasticsearch', reachable: false, detail: sourceError(err).message };
    }
  }
}
