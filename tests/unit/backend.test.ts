import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { describe, expect, it } from 'vitest';
import { createClient, ElasticsearchSource } from '@/lib/sources/elasticsearch';
import { OPEN_SCOPE } from '@/lib/sources/types';
import { identify, SearchTransport } from '@/lib/sources/elasticsearch/backend';

// Which product answers GET /: the answers below are the real ones, from
// Elasticsearch 8.19 (its integ-test distribution refuses GET / with 405 but
// still names itself) and OpenSearch 2.19.6 (which never sets
// x-elastic-product). The clusters themselves are in the integration suite.

const OPENSEARCH_ROOT = {
  name: 'vm',
  cluster_name: 'opensearch',
  version: { distribution: 'opensearch', number: '2.19.6', build_type: 'zip' },
  tagline: 'The OpenSearch Project: https://opensearch.org/',
};
const ELASTICSEARCH_ROOT = {
  name: 'node',
  version: { number: '8.19.9', build_flavor: 'default' },
  tagline: 'You Know, for Search',
};

describe('identify', () => {
  it('names Elasticsearch by its header, with the version when the body has it', () => {
    expect(identify({ 'x-elastic-product': 'Elasticsearch' }, ELASTICSEARCH_ROOT)).toEqual({
      backend: 'elasticsearch',
      version: '8.19.9',
    });
    const refused = { error: 'Incorrect HTTP method for uri [/] and method [GET]', status: 405 };
    expect(identify({ 'x-elastic-product': 'Elasticsearch' }, refused)).toEqual({
      backend: 'elasticsearch',
    });
  });

  it('names OpenSearch by its distribution', () => {
    expect(identify({ 'content-type': 'application/json' }, OPENSEARCH_ROOT)).toEqual({
      backend: 'opensearch',
      version: '2.19.6',
    });
  });

  it('names nothing else: a body that only looks like Elasticsearch is not taken for it', () => {
    expect(identify({}, ELASTICSEARCH_ROOT)).toBeNull();
    expect(identify({ 'x-elastic-product': 'Kibana' }, ELASTICSEARCH_ROOT)).toBeNull();
    expect(identify(null, 'not json')).toBeNull();
    expect(identify({}, { version: { distribution: 'OpenSearch ', number: 2 } })).toBeNull();
  });
});

describe('createClient', () => {
  it('uses the transport that checks the product itself, with ES_BACKEND as given', () => {
    const client = createClient({
      ES_URL: 'http://127.0.0.1:9',
      ES_REQUEST_TIMEOUT_MS: 1000,
      ES_BACKEND: 'opensearch',
    });
    expect(client.transport).toBeInstanceOf(SearchTransport);
    expect((client.transport as SearchTransport).backend).toBe('opensearch');
    const auto = createClient({ ES_URL: 'http://127.0.0.1:9', ES_REQUEST_TIMEOUT_MS: 1000 });
    expect((auto.transport as SearchTransport).backend).toBeNull();
  });
});

describe('a server that is neither', () => {
  it('is refused with a message that says so, as the client would refuse it', async () => {
    // Something else on ES_URL that answers JSON (a proxy's status page, say).
    const server = createServer((_request, response) => {
      response.setHeader('content-type', 'application/json');
      response.end(JSON.stringify({ status: 'ok', version: { number: '1.0.0' } }));
    });
    await new Promise<void>((done) => server.listen(0, '127.0.0.1', done));
    try {
      const { port } = server.address() as AddressInfo;
      const client = createClient({
        ES_URL: `http://127.0.0.1:${port}`,
        ES_REQUEST_TIMEOUT_MS: 2000,
      });
      const source = new ElasticsearchSource(client, 'tlog-*');
      await expect(source.list(OPEN_SCOPE, { sort: 'start:desc', size: 10 })).rejects.toMatchObject(
        {
          code: 'source_unavailable',
          message: 'ES_URL answers, but neither as Elasticsearch nor as OpenSearch',
        },
      );
      expect(await source.health()).toMatchObject({
        reachable: false,
        detail: 'ES_URL answers, but neither as Elasticsearch nor as OpenSearch',
      });
    } finally {
      server.close();
    }
  });
});

describe('a refused GET / that names no product', () => {
  it('is asked again after a while, not before every request', async () => {
    // Elasticsearch 9 answers a key without cluster:monitor/main with a 403
    // that has no x-elastic-product (checked on 9.5.4 with security on).
    let roots = 0;
    let searches = 0;
    const server = createServer((request, response) => {
      response.setHeader('content-type', 'application/json');
      if (request.url === '/') {
        roots += 1;
        response.statusCode = 403;
        response.end(JSON.stringify({ error: { type: 'security_exception' }, status: 403 }));
        return;
      }
      searches += 1;
      response.end(JSON.stringify({ count: 7 }));
    });
    await new Promise<void>((done) => server.listen(0, '127.0.0.1', done));
    try {
      const { port } = server.address() as AddressInfo;
      const client = createClient({
        ES_URL: `http://127.0.0.1:${port}`,
        ES_REQUEST_TIMEOUT_MS: 2000,
      });
      for (let i = 0; i < 5; i++) expect((await client.count({ index: 'tlog-*' })).count).toBe(7);
      expect(searches).toBe(5);
      expect(roots).toBe(1);
      // Spoken to as Elasticsearch meanwhile, and not settled.
      expect((client.transport as SearchTransport).backend).toBeNull();
    } finally {
      server.close();
    }
  });
});
