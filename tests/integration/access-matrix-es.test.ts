import { spawnSync } from 'node:child_process';
import { readdirSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { esUrl, testClient } from '../support/es';
import { makeWorld, recordings, SECRET, type World } from '../support/access-matrix';
import { cells, CLIENT_IP, defineMatrix, type Routes } from '../support/access-matrix-run';

// The authorization matrix on a real Elasticsearch, through the real route
// handlers: scope filters inside the cluster's queries, and the audit trail
// in its own index, read back.

vi.mock('next/headers', async () => {
  const { currentRequest } = await import('../support/access-matrix');
  return {
    headers: async () => currentRequest().headers,
    cookies: async () => ({
      get: (name: string) => {
        const cookie = currentRequest().cookie;
        return name === 'auditty_session' && cookie ? { name, value: cookie } : undefined;
      },
    }),
  };
});

const ROOT = path.resolve(import.meta.dirname, '../..');
const stamp = Date.now();
const index = `tlog-acc-${stamp}`;
const auditIndex = `auditty-audit-it-${stamp}`;
const client = testClient();
let world: World;
let routes: Routes;
const started = Date.now();

beforeAll(async () => {
  world = await makeWorld();
  const files = readdirSync(world.recordingsDir).map((f) => path.join(world.recordingsDir, f));
  const imported = spawnSync(
    process.execPath,
    [path.join(ROOT, 'bin/auditty.mjs'), 'import', '--index', index, ...files],
    {
      env: { ...process.env, ES_URL: esUrl(), ES_INDEX: index },
      encoding: 'utf8',
      timeout: 120_000,
    },
  );
  expect(imported.stderr).toBe('');
  expect(imported.status).toBe(0);
  await client.indices.refresh({ index });
  Object.assign(process.env, {
    ES_URL: esUrl(),
    ES_INDEX: `${index}*`,
    AUTH_USERS_FILE: world.usersFile,
    AUTH_POLICY_FILE: world.policyFile,
    AUTH_SECRET: SECRET,
    AUDIT_INDEX: auditIndex,
    AUDIT_LOG_FILE: '',
  });
  routes = {
    list: (await import('@/app/api/recordings/route')).GET,
    get: (await import('@/app/api/recordings/[rec]/route')).GET,
    messages: (await import('@/app/api/recordings/[rec]/messages/route')).GET,
    export: (await import('@/app/api/recordings/[rec]/export/route')).GET,
    commands: (await import('@/app/api/recordings/[rec]/commands/route')).GET,
  };
});

afterAll(async () => {
  console.log(
    `elasticsearch source: ${cells.count} matrix cells in ${((Date.now() - started) / 1000).toFixed(1)} s`,
  );
  await client.indices
    .delete({ index: `${index}*,${auditIndex}*`, ignore_unavailable: true })
    .catch(() => undefined);
  await client.indices.deleteIndexTemplate({ name: auditIndex }).catch(() => undefined);
});

describe('authorization matrix, Elasticsearch source', () => {
  defineMatrix(
    () => world,
    () => routes,
  );
});

describe('audit trail in Elasticsearch', () => {
  it('is its own index with its own template and ECS field types', async () => {
    const template = await client.indices.getIndexTemplate({ name: auditIndex });
    // Its name only: another deployment's AUDIT_INDEX may start with it.
    expect(template.index_templates[0]?.index_template.index_patterns).toEqual([auditIndex]);
    const mapping = await client.indices.getMapping({ index: auditIndex });
    const props = mapping[auditIndex]?.mappings.properties as Record<
      string,
      { type?: string; properties?: Record<string, { type?: string }> }
    >;
    expect(props['@timestamp']?.type).toBe('date');
    expect(props.source?.properties?.ip?.type).toBe('ip');
    expect(props.event?.properties?.action?.type).toBe('keyword');
    expect(props.user?.properties?.name?.type).toBe('keyword');
    expect(props.auditty?.properties?.recording?.type).toBe('keyword');
  });

  it('holds one event per read, searchable by user, action, recording and outcome', async () => {
    await client.indices.refresh({ index: auditIndex });
    const count = async (query: object) => (await client.count({ index: auditIndex, query })).count;
    const term = (field: string, value: string) => ({ term: { [field]: value } });
    const all = (...filters: object[]) => ({ bool: { filter: filters } });
    const visible = recordings().filter((r) => r.host === 'vm' && r.user === 'root');
    expect(
      await count(
        all(
          term('user.name', 'vic'),
          term('event.action', 'recording-view'),
          term('event.outcome', 'success'),
        ),
      ),
    ).toBe(visible.length);
    expect(
      await count(
        all(
          term('user.name', 'vic'),
          term('event.action', 'recording-view'),
          term('event.outcome', 'failure'),
        ),
      ),
    ).toBe(recordings().length + 1 - visible.length);
    expect(
      await count(
        all(
          term('user.name', 'dora'),
          term('event.action', 'recording-export'),
          term('event.outcome', 'success'),
        ),
      ),
    ).toBe(2 * 4);
    expect(
      await count(all(term('event.action', 'recordings-list'), term('user.name', 'nemo'))),
    ).toBeGreaterThan(0);
    expect(await count(all(term('source.ip', CLIENT_IP)))).toBeGreaterThan(100);
    // Nobody signed in reached no route handler's data, so no read was logged for them.
    expect(await count({ bool: { must_not: { exists: { field: 'user.name' } } } })).toBe(0);

    const { auditSink } = await import('@/lib/audit');
    const page = await auditSink()!.search({
      size: 50,
      recording: 'acc-vm-alice-gap',
      actions: ['recording-replay'],
    });
    const served = page.items.filter((e) => e.event.outcome === 'success');
    expect(served.map((e) => e.user?.name).sort()).toEqual(['ada', 'milo', 'val']);
    expect(
      page.items
        .filter((e) => e.event.outcome === 'failure')
        .map((e) => e.user?.name)
        .sort(),
    ).toEqual(['cora', 'dora', 'nemo', 'vic']);
    expect(page.items[0]?.url.original).toBe('/api/recordings/acc-vm-alice-gap/messages');
  });

  it('fails closed: a view whose event cannot be written is not served', async () => {
    const { Client } = await import('@elastic/elasticsearch');
    const { auditSink } = await import('@/lib/audit');
    const sink = auditSink()!;
    // Point the sink's client at a port where no cluster listens.
    const down = new Client({ node: 'http://127.0.0.1:9', maxRetries: 0, requestTimeout: 2000 });
    const original = Reflect.get(sink, 'client');
    Reflect.set(sink, 'client', down);
    try {
      const { as } = await import('../support/access-matrix');
      const response = await as(world, 'ada', '/api/recordings/acc-vm-alice-gap/messages', () =>
        routes.messages(new Request('http://127.0.0.1/api/recordings/acc-vm-alice-gap/messages'), {
          params: Promise.resolve({ rec: 'acc-vm-alice-gap' }),
        }),
      );
      expect(response.status).toBe(503);
      expect(await response.json()).toEqual({
        error: {
          code: 'audit_unavailable',
          message: 'The audit trail cannot be written, so nothing is served',
        },
      });
    } finally {
      Reflect.set(sink, 'client', original);
    }
  });
});
