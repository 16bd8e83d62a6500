import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { makeWorld, recordings, SECRET, type World } from '../support/access-matrix';
import { cells, CLIENT_IP, defineMatrix, type Routes } from '../support/access-matrix-run';

// The authorization matrix on the files source, through the real route
// handlers; the audit trail goes to AUDIT_LOG_FILE and is read back.

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

let world: World;
let routes: Routes;
const started = Date.now();

beforeAll(async () => {
  world = await makeWorld();
  Object.assign(process.env, {
    ES_URL: '',
    RECORDINGS_DIR: world.recordingsDir,
    AUTH_USERS_FILE: world.usersFile,
    AUTH_POLICY_FILE: world.policyFile,
    AUTH_SECRET: SECRET,
    AUDIT_LOG_FILE: world.auditFile,
  });
  routes = {
    list: (await import('@/app/api/recordings/route')).GET,
    get: (await import('@/app/api/recordings/[rec]/route')).GET,
    messages: (await import('@/app/api/recordings/[rec]/messages/route')).GET,
    export: (await import('@/app/api/recordings/[rec]/export/route')).GET,
    commands: (await import('@/app/api/recordings/[rec]/commands/route')).GET,
  };
  const { checkAccessConfig } = await import('@/lib/auth/startup');
  expect(await checkAccessConfig()).toMatch(/7 local accounts; 4 roles; audit trail to file/);
});

afterAll(() => {
  console.log(
    `files source: ${cells.count} matrix cells in ${((Date.now() - started) / 1000).toFixed(1)} s`,
  );
});

describe('authorization matrix, files source', () => {
  defineMatrix(
    () => world,
    () => routes,
  );
});

describe('audit trail, files source', () => {
  it('holds one event per read, with who, from where, what and the outcome', async () => {
    const { auditSink } = await import('@/lib/audit');
    const sink = auditSink()!;
    const page = async (filter: object) => (await sink.search({ size: 200, ...filter })).items;
    const vic = await page({ user: 'vic', actions: ['recording-view'] });
    const visible = recordings().filter((r) => r.host === 'vm' && r.user === 'root');
    expect(
      vic
        .filter((e) => e.event.outcome === 'success')
        .map((e) => e.auditty.recording)
        .sort(),
    ).toEqual(visible.map((r) => r.id).sort());
    expect(vic.filter((e) => e.event.outcome === 'failure')).toHaveLength(
      recordings().length + 1 - visible.length,
    );
    const one = vic[0]!;
    expect(one.source).toEqual({ address: CLIENT_IP, ip: CLIENT_IP });
    expect(one.url.original).toBe(`/api/recordings/${one.auditty.recording}`);
    expect(one.user).toEqual({ id: 'local:vic', name: 'vic', roles: ['vm-root'] });
    const exports = await page({ user: 'dora', actions: ['recording-export'] });
    expect(exports.filter((e) => e.event.outcome === 'success')).toHaveLength(2 * 4);
    expect(new Set(exports.map((e) => e.auditty.params?.format))).toEqual(
      new Set(['tlog', 'asciicast', 'raw', 'text']),
    );
    const lists = await page({ user: 'nemo', actions: ['recordings-list'] });
    expect(lists.length).toBeGreaterThan(0);
    expect(lists.some((e) => e.auditty.params?.host === 'db-1')).toBe(true);
    const replays = await page({
      user: 'ada',
      actions: ['recording-replay'],
      recording: 'acc-vm-alice-gap',
    });
    expect(replays.map((e) => e.event.outcome)).toEqual(['success']);
  });

  it('refuses to serve when the event cannot be written (fail closed)', async () => {
    const { auditSink } = await import('@/lib/audit');
    const { as } = await import('../support/access-matrix');
    const sink = auditSink()!;
    // A path under a regular file: not writable, even for root.
    const original = Reflect.get(sink, 'file');
    Reflect.set(sink, 'file', path.join(world.auditFile, 'nested.jsonl'));
    try {
      for (const url of [
        '/api/recordings/acc-vm-alice-gap',
        '/api/recordings/acc-vm-alice-gap/messages',
        '/api/recordings?size=5',
      ]) {
        const response = await as(world, 'ada', url, () => {
          const request = new Request(`http://127.0.0.1${url}`);
          const context = { params: Promise.resolve({ rec: 'acc-vm-alice-gap' }) };
          return url.endsWith('/messages')
            ? routes.messages(request, context)
            : url.startsWith('/api/recordings?')
              ? routes.list(request)
              : routes.get(request, context);
        });
        expect(response.status, url).toBe(503);
        expect(await response.json(), url).toEqual({
          error: {
            code: 'audit_unavailable',
            message: 'The audit trail cannot be written, so nothing is served',
          },
        });
      }
    } finally {
      Reflect.set(sink, 'file', original);
    }
  });
});
