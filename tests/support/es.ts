import { readFileSync } from 'node:fs';
import { Client, type ClientOptions } from '@elastic/elasticsearch';

// The test cluster, as scripts/test-all.sh or scripts/with-es.sh describe it:
// ES_URL, and for a secured one ES_CA_FILE and ES_USERNAME/ES_PASSWORD.

export function esUrl(): string {
  const url = process.env.ES_URL;
  if (!url)
    throw new Error('ES_URL is not set: run through scripts/with-es.sh (npm run test:integration)');
  return url;
}

export const secured = (process.env.ES_URL ?? '').startsWith('https:');

export function testClient(overrides: Partial<ClientOptions> = {}): Client {
  const { ES_CA_FILE, ES_USERNAME, ES_PASSWORD } = process.env;
  return new Client({
    node: esUrl(),
    requestTimeout: 60_000,
    ...(ES_CA_FILE ? { tls: { ca: readFileSync(ES_CA_FILE) } } : {}),
    ...(ES_USERNAME && ES_PASSWORD
      ? { auth: { username: ES_USERNAME, password: ES_PASSWORD } }
      : {}),
    ...overrides,
  });
}
