import 'server-only';
import { readFileSync } from 'node:fs';
import { Client, errors } from '@elastic/elasticsearch';
import { AppError } from '@/lib/errors';
import type { Env } from '@/lib/env';
import { SearchTransport } from './backend';

// The client for ES_URL (Elasticsearch or OpenSearch, ./backend.ts), and its
// failures as the API's errors.

/** What a client needs of the configuration. */
export type ClientConfig = Pick<
  Env,
  'ES_URL' | 'ES_API_KEY' | 'ES_USERNAME' | 'ES_PASSWORD' | 'ES_CA_FILE' | 'ES_REQUEST_TIMEOUT_MS'
> &
  Partial<Pick<Env, 'ES_BACKEND'>>;

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
  const client = new Client({
    node: config.ES_URL,
    // Elasticsearch or OpenSearch (./backend.ts).
    Transport: SearchTransport,
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
  (client.transport as SearchTransport).setting = config.ES_BACKEND ?? 'auto';
  return client;
}

/** Maps client failures to the API's errors; the cluster's words stay in the log. */
export function sourceError(err: unknown, product = 'Elasticsearch'): AppError {
  if (err instanceof AppError) return err;
  console.error(`${product.toLowerCase()}:`, err);
  if (err instanceof errors.TimeoutError) {
    return new AppError('source_timeout', `${product} did not answer in time`, { cause: err });
  }
  if (err instanceof errors.ConnectionError && /connect timeout/i.test(err.message)) {
    return new AppError('source_timeout', `${product} did not answer in time`, { cause: err });
  }
  if (err instanceof errors.ConnectionError || err instanceof errors.NoLivingConnectionsError) {
    const tls = /certificate|self[- ]signed|unable to verify/i.test(err.message);
    return new AppError(
      'source_unavailable',
      tls
        ? `${product}'s TLS certificate is not trusted (set ES_CA_FILE to its CA)`
        : `${product} is unreachable`,
      { cause: err },
    );
  }
  if (err instanceof errors.ResponseError) {
    const status = err.statusCode;
    const message =
      status === 401
        ? `${product} rejected auditty's credentials (check ES_API_KEY or ES_USERNAME/ES_PASSWORD)`
        : status === 403
          ? `${product} denied access (auditty needs read and view_index_metadata on ES_INDEX)`
          : `${product} refused the request (status ${status ?? 'unknown'})`;
    return new AppError('source_unavailable', message, { cause: err });
  }
  if (err instanceof errors.ProductNotSupportedError) {
    return new AppError(
      'source_unavailable',
      'ES_URL answers, but neither as Elasticsearch nor as OpenSearch',
      { cause: err },
    );
  }
  return new AppError('source_unavailable', `${product} request failed`, { cause: err });
}
