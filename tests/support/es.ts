import { readFileSync } from 'node:fs';
import { Client, errors, type ClientOptions } from '@elastic/elasticsearch';
import { SearchTransport } from '@/lib/sources/elasticsearch/backend';

// The test cluster, as scripts/test-all.sh or scripts/with-es.sh describe it:
// ES_URL, and for a secured one ES_CA_FILE and ES_USERNAME/ES_PASSWORD.
// Elasticsearch or OpenSearch: the client's transport is the one auditty uses
// (lib/sources/elasticsearch/backend.ts).

export function esUrl(): string {
  const url = process.env.ES_URL;
  if (!url)
    throw new Error('ES_URL is not set: run through scripts/with-es.sh (npm run test:integration)');
  return url;
}

/** The server under test (scripts/es.sh's ES_DISTRIBUTION): what ES_BACKEND would name. */
export const backendUnderTest =
  process.env.ES_DISTRIBUTION === 'opensearch' ? 'opensearch' : 'elasticsearch';
/** Its name in the messages users read. */
export const product = backendUnderTest === 'opensearch' ? 'OpenSearch' : 'Elasticsearch';

export const secured = (process.env.ES_URL ?? '').startsWith('https:');

export function testClient(overrides: Partial<ClientOptions> = {}): Client {
  const { ES_CA_FILE, ES_USERNAME, ES_PASSWORD } = process.env;
  return new Client({
    node: esUrl(),
    Transport: SearchTransport,
    requestTimeout: 60_000,
    ...(ES_CA_FILE ? { tls: { ca: readFileSync(ES_CA_FILE) } } : {}),
    ...(ES_USERNAME && ES_PASSWORD
      ? { auth: { username: ES_USERNAME, password: ES_PASSWORD } }
      : {}),
    ...overrides,
  });
}

/**
 * Whether the cluster has a point-in-time API: Elasticsearch from 7.10,
 * OpenSearch from 2.4 (docs/architecture.md, "Backends"). Read from GET /,
 * not from auditty's own detection, which it checks.
 */
export async function clusterHasPit(client: Client): Promise<boolean> {
  // Elasticsearch's integ-test distribution has no GET / (its rest-root
  // module is left out): the refusal names the product.
  const root = await client.info().catch((err: unknown) => {
    if (err instanceof errors.ResponseError && err.meta.headers?.['x-elastic-product']) return null;
    throw err;
  });
  if (!root) return true;
  const distribution = (root.version as { distribution?: string }).distribution;
  if (distribution !== 'opensearch') return true;
  const [major = 0, minor = 0] = root.version.number.split('.').map(Number);
  return major > 2 || (major === 2 && minor >= 4);
}
