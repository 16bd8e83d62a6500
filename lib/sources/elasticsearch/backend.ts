import 'server-only';
import {
  errors,
  Transport,
  type Client,
  type DiagnosticResult,
  type TransportRequestOptions,
  type TransportRequestParams,
  type TransportResult,
} from '@elastic/elasticsearch';
import { SEARCH_OPTIONS } from './queries';

// Elasticsearch or OpenSearch: the one place where the two differ
// (docs/architecture.md, "Backends"). Both speak the same query DSL for
// everything auditty asks, so one client (the Elasticsearch one) and one set
// of queries serve both; what differs is here:
// - the client's product check and its version-8 compatibility headers,
//   which OpenSearch refuses (406): SearchTransport checks the product itself,
//   once, and sends OpenSearch plain JSON;
// - the point-in-time API (`POST <index>/_search/point_in_time`, `pit_id`,
//   none before OpenSearch 2.4): openPit / closePit;
// - the version shown in /api/health.

export type Backend = 'elasticsearch' | 'opensearch';
/** ES_BACKEND: `auto` asks the cluster (GET /); the others skip the question. */
export type BackendSetting = Backend | 'auto';

export interface BackendInfo {
  backend: Backend;
  /** The cluster's version (GET /), when it could be read. */
  version?: string;
}

interface RootAnswer {
  version?: { number?: unknown; distribution?: unknown };
}

/** Which backend answered GET / (its headers and body), or null when neither. */
export function identify(
  headers: Record<string, unknown> | null | undefined,
  body: unknown,
): BackendInfo | null {
  const root = (typeof body === 'object' && body !== null ? body : {}) as RootAnswer;
  const number = typeof root.version?.number === 'string' ? root.version.number : undefined;
  const version = number ? { version: number } : {};
  if (headers?.['x-elastic-product'] === 'Elasticsearch')
    return { backend: 'elasticsearch', ...version };
  if (root.version?.distribution === 'opensearch') return { backend: 'opensearch', ...version };
  return null;
}

const PLAIN_JSON = 'application/json';
/** How long a provisional answer (GET / refused, no product named) stands. */
const ASK_AGAIN_MS = 60_000;
const PLAIN_NDJSON = 'application/x-ndjson';

/**
 * The Elasticsearch client's transport, for either backend. It leaves the
 * client's own product check off and does it here, once, on the first
 * request: GET / says which product answers (Elasticsearch sets
 * `x-elastic-product`, OpenSearch names its distribution); anything else is
 * refused as the client would refuse it. OpenSearch then gets plain JSON
 * instead of the `compatible-with=8` media types.
 */
export class SearchTransport extends Transport {
  /** What ES_BACKEND said; set by createClient before the first request. */
  setting: BackendSetting = 'auto';
  private known: BackendInfo | null = null;
  private asking: Promise<BackendInfo> | null = null;
  /** A provisional answer (GET / refused, naming no product) and when to ask again. */
  private provisional: { info: BackendInfo; until: number } | null = null;

  constructor(options: ConstructorParameters<typeof Transport>[0]) {
    super({ ...options, productCheck: undefined });
  }

  /** The backend, once known (for error messages, which cannot wait for it). */
  get backend(): Backend | null {
    return this.known?.backend ?? (this.setting === 'auto' ? null : this.setting);
  }

  /** The backend behind this client: asked once, or as ES_BACKEND forces it. */
  async info(): Promise<BackendInfo> {
    if (this.known) return this.known;
    if (this.provisional && Date.now() < this.provisional.until) return this.provisional.info;
    this.asking ??= this.ask().then(
      ({ info, final }) => {
        if (final) this.known = info;
        else {
          // Not on every request: a least-privilege key on Elasticsearch 9
          // gets a 403 without x-elastic-product on every GET /.
          this.provisional = { info, until: Date.now() + ASK_AGAIN_MS };
          this.asking = null;
        }
        return info;
      },
      (err: unknown) => {
        // Unreachable now: ask again next time.
        this.asking = null;
        throw err;
      },
    );
    return this.asking;
  }

  /** GET /'s answer; `final` false when it named no product but refused (ask again after ASK_AGAIN_MS). */
  private async ask(): Promise<{ info: BackendInfo; final: boolean }> {
    const params = { method: 'GET', path: '/' };
    const options = { meta: true as const, headers: { accept: PLAIN_JSON } };
    let answer: DiagnosticResult<unknown, unknown>;
    let refused = false;
    try {
      answer = await super.request(params, options);
    } catch (err) {
      // Down or too slow: the caller's request would fail the same way.
      if (!(err instanceof errors.ResponseError)) throw err;
      // Refusals mostly name Elasticsearch too (not a 401 from Elasticsearch 9).
      answer = err.meta;
      refused = true;
    }
    const seen = identify(answer.headers, answer.body);
    if (this.setting !== 'auto') {
      const version = seen?.version ? { version: seen.version } : {};
      return { info: { backend: this.setting, ...version }, final: true };
    }
    if (seen) return { info: seen, final: true };
    // Wrong credentials, or a role without cluster:monitor/main: speak
    // Elasticsearch for now (its refusal is the error the caller sees), and
    // ask again after a while. ES_BACKEND settles it.
    if (refused) return { info: { backend: 'elasticsearch' }, final: false };
    throw new errors.ProductNotSupportedError('Elasticsearch or OpenSearch', answer);
  }

  /**
   * Which backend to speak to: ES_BACKEND's, without asking, or the
   * cluster's answer. A cluster that cannot be asked (down, too slow) fails
   * here with the error its request would get, so a request costs one
   * round of attempts either way.
   */
  async kind(): Promise<Backend> {
    if (this.setting !== 'auto') return this.setting;
    return (await this.info()).backend;
  }

  // The three overloads of Transport.request, one body.
  request<TResponse = unknown>(
    params: TransportRequestParams,
    options?: TransportRequestOptions & { meta?: false },
  ): Promise<TResponse>;
  request<TResponse = unknown, TContext = unknown>(
    params: TransportRequestParams,
    options?: TransportRequestOptions & { meta: true },
  ): Promise<TransportResult<TResponse, TContext>>;
  request<TResponse = unknown>(
    params: TransportRequestParams,
    options?: TransportRequestOptions,
  ): Promise<TResponse>;
  async request(params: TransportRequestParams, options: TransportRequestOptions = {}) {
    if ((await this.kind()) === 'elasticsearch') return super.request(params, options);
    const type = params.bulkBody !== undefined ? PLAIN_NDJSON : PLAIN_JSON;
    const headers = {
      accept: PLAIN_JSON,
      ...(params.body !== undefined || params.bulkBody !== undefined
        ? { 'content-type': type }
        : {}),
      ...options.headers,
    };
    return super.request(params, { ...options, headers });
  }
}

/** The client's SearchTransport; null for a client createClient did not make (taken for Elasticsearch). */
function transportOf(client: Client): SearchTransport | null {
  return client.transport instanceof SearchTransport ? client.transport : null;
}

/** The backend behind a client, and its version. */
export async function backendOf(client: Client): Promise<BackendInfo> {
  return (await transportOf(client)?.info()) ?? { backend: 'elasticsearch' };
}

/** The backend to speak to, without a question to the cluster when ES_BACKEND says. */
async function kindOf(client: Client): Promise<Backend> {
  return (await transportOf(client)?.kind()) ?? 'elasticsearch';
}

/** The product's name, for messages a user reads: Elasticsearch until known otherwise. */
export function productName(client: Client): string {
  return transportOf(client)?.backend === 'opensearch' ? 'OpenSearch' : 'Elasticsearch';
}

// ---------------------------------------------------------------- point in time

export interface PitOptions {
  index: string;
  keepAlive: string;
  signal?: AbortSignal;
}

/**
 * Opens a point in time on `index`, or null where the cluster has none
 * (OpenSearch before 2.4): the caller then pages with search_after alone.
 */
export async function openPit(client: Client, options: PitOptions): Promise<string | null> {
  const backend = await kindOf(client);
  if (pitless.has(client)) return null;
  const { index, keepAlive, signal } = options;
  if (backend === 'elasticsearch') {
    const answer = await client.openPointInTime(
      { index, keep_alive: keepAlive, ...SEARCH_OPTIONS },
      { signal },
    );
    return answer.id;
  }
  try {
    const answer = await client.transport.request<{ pit_id?: unknown }>(
      {
        method: 'POST',
        // ES_INDEX is validated (lib/env.ts): a path segment as it stands.
        path: `/${index}/_search/point_in_time`,
        querystring: { keep_alive: keepAlive, expand_wildcards: 'open' },
      },
      { signal },
    );
    return typeof answer.pit_id === 'string' ? answer.pit_id : null;
  } catch (err) {
    const why = pitUnavailable(err);
    // A cluster without the API stays without it: not asked again.
    if (why === 'no-api') pitless.add(client);
    if (why) return null;
    throw err;
  }
}

/** Clients whose cluster has no point-in-time API. */
const pitless = new WeakSet<Client>();

/** Closes a point in time openPit opened; failures are the caller's to ignore. */
export async function closePit(client: Client, pit: string): Promise<void> {
  const backend = await kindOf(client);
  if (backend === 'elasticsearch') {
    await client.closePointInTime({ id: pit });
    return;
  }
  await client.transport.request({
    method: 'DELETE',
    path: '/_search/point_in_time',
    body: { pit_id: [pit] },
  });
}

/**
 * OpenSearch before 2.4 has no point-in-time API (no handler for the path),
 * and a pattern that matches no index cannot have one: both page without.
 */
function pitUnavailable(err: unknown): 'no-api' | 'no-index' | null {
  if (!(err instanceof errors.ResponseError)) return null;
  const body = JSON.stringify(err.meta.body ?? '');
  if ((err.statusCode === 400 || err.statusCode === 405) && /no handler found/i.test(body))
    return 'no-api';
  return err.statusCode === 404 && /index_not_found/i.test(body) ? 'no-index' : null;
}
