import { appendFileSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { as, makeWorld, SECRET, type World } from '../support/access-matrix';

// GET /api/recordings/{rec}/live through the real route handler, signed in
// with local accounts on the files source: the scope, the audit event, the
// caps, bad parameters, a reconnect after the last id, and the stream ending
// when the session stops counting (docs/live.md).

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

type Handler = (
  request: Request,
  context: { params: Promise<{ rec: string }> },
) => Promise<Response>;

const REC = 'live-route-vm-root';
let world: World;
let live: Handler;
let file: string;
/** colors' messages, as if recorded now on vm/root: id n is line n. */
let lines: string[];

function call(account: string | null, query: string, rec = REC) {
  const url = `/api/recordings/${rec}/live${query}`;
  const controller = new AbortController();
  const response = as(world, account, url, () =>
    live(new Request(`http://127.0.0.1${url}`, { signal: controller.signal }), {
      params: Promise.resolve({ rec }),
    }),
  );
  return { response, abort: () => controller.abort() };
}

/** Reads NDJSON lines until `enough` says so (or the stream ends); fails after `ms`. */
async function readUntil(
  response: Response,
  enough: (lines: unknown[]) => boolean,
  ms = 10_000,
): Promise<unknown[]> {
  const reader = response.body!.pipeThrough(new TextDecoderStream()).getReader();
  const seen: unknown[] = [];
  let pending = '';
  const deadline = Date.now() + ms;
  try {
    while (!enough(seen)) {
      const left = deadline - Date.now();
      if (left <= 0) throw new Error(`timed out after ${JSON.stringify(seen).slice(0, 500)}`);
      const next = await Promise.race([
        reader.read(),
        new Promise<null>((r) => setTimeout(() => r(null), left)),
      ]);
      if (next === null) continue;
      if (next.done) break;
      pending += next.value;
      const cut = pending.lastIndexOf('\n') + 1;
      for (const line of pending.slice(0, cut).split('\n')) if (line) seen.push(JSON.parse(line));
      pending = pending.slice(cut);
    }
  } finally {
    reader.releaseLock();
  }
  return seen;
}

const ids = (seen: unknown[]) =>
  seen.flatMap((x) => (typeof x === 'object' && x && 'id' in x ? [x.id as number] : []));
const ends = (seen: unknown[]) =>
  seen.flatMap((x) => (typeof x === 'object' && x && 'end' in x ? [x.end] : []));

beforeAll(async () => {
  world = await makeWorld();
  const now = Date.now() / 1000;
  const colors = readFileSync(
    path.resolve(import.meta.dirname, '../fixtures/recordings/colors.tlog'),
    'utf8',
  )
    .split('\n')
    .filter(Boolean);
  lines = colors.map((line) => {
    const m = JSON.parse(line);
    return JSON.stringify({ ...m, rec: REC, host: 'vm', user: 'root', time: now + m.pos / 1000 });
  });
  file = path.join(world.recordingsDir, `${REC}.tlog`);
  writeFileSync(file, `${lines.slice(0, 2).join('\n')}\n`);
  Object.assign(process.env, {
    ES_URL: '',
    RECORDINGS_DIR: world.recordingsDir,
    AUTH_USERS_FILE: world.usersFile,
    AUTH_POLICY_FILE: world.policyFile,
    AUTH_SECRET: SECRET,
    AUDIT_LOG_FILE: world.auditFile,
    LIVE_POLL_MS: '200',
    LIVE_MAX_PER_USER: '2',
  });
  live = (await import('@/app/api/recordings/[rec]/live/route')).GET;
});

afterAll(async () => {
  const { liveHub } = await import('@/lib/live');
  liveHub().stopAll();
});

describe('the live route', () => {
  it('streams what is appended to a caller who may see it, and resumes after the last id', async () => {
    const first = call('vic', '?after=2');
    const response = await first.response;
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toBe('application/x-ndjson; charset=utf-8');
    expect(response.headers.get('cache-control')).toBe('no-store, no-transform');
    appendFileSync(file, `${lines.slice(2, 4).join('\n')}\n`);
    const seen = await readUntil(response, (s) => ids(s).length >= 2);
    expect(ids(seen)).toEqual([3, 4]);
    expect(seen).toContainEqual({ live: { state: 'live', quietMs: expect.any(Number) } });
    first.abort();
    // Gone while 5 and 6 were written: a reconnect after 4 gets them once.
    appendFileSync(file, `${lines.slice(4, 6).join('\n')}\n`);
    const again = await call('vic', '?after=4').response;
    appendFileSync(file, `${lines[6]}\n`);
    expect(ids(await readUntil(again, (s) => ids(s).length >= 3))).toEqual([5, 6, 7]);
    const { liveHub } = await import('@/lib/live');
    liveHub().stopAll();
  });

  it('answers a recording outside the scope as a missing one, and audits both', async () => {
    const outside = await call('dora', '?after=0').response;
    expect(outside.status).toBe(404);
    expect(await outside.json()).toEqual({
      error: { code: 'not_found', message: 'No such recording' },
    });
    expect((await call(null, '?after=0').response).status).toBe(401);
    const events = readFileSync(world.auditFile, 'utf8')
      .split('\n')
      .filter(Boolean)
      .map((l) => JSON.parse(l))
      .filter((e) => e.event.action === 'recording-live');
    expect(
      events.map((e) => [e.user?.name, e.event.outcome, e.auditty.recording, e.auditty.params]),
    ).toEqual([
      ['vic', 'success', REC, { after: '2' }],
      ['vic', 'success', REC, { after: '4' }],
      ['dora', 'failure', REC, { after: '0' }],
    ]);
  });

  it('refuses nonsense parameters with a message that names them', async () => {
    for (const [query, message] of [
      ['?after=abc', 'after: must be a message id (0 or more)'],
      ['?after=1&after=2', 'after: give it once'],
      ['?missing=1,x', 'missing: must be message ids, comma-separated'],
      ['?follow=1', 'unknown parameter follow'],
    ] as const) {
      const response = await call('vic', query).response;
      expect(response.status, query).toBe(400);
      expect(await response.json(), query).toEqual({ error: { code: 'bad_request', message } });
    }
  });

  it('caps live streams per user, saying which limit, and frees the place when one closes', async () => {
    const one = call('vic', '?after=7');
    const two = call('vic', '?after=7');
    expect((await one.response).status).toBe(200);
    expect((await two.response).status).toBe(200);
    const three = await call('vic', '?after=7').response;
    expect(three.status).toBe(429);
    expect(await three.json()).toEqual({
      error: {
        code: 'too_many_streams',
        message:
          'You are watching 2 recordings live, the limit per user (LIVE_MAX_PER_USER); close one of them first',
      },
    });
    // Another user is not held back by vic's.
    expect((await call('ada', '?after=7').response).status).toBe(200);
    one.abort();
    expect((await call('vic', '?after=7').response).status).toBe(200);
    const { liveHub } = await import('@/lib/live');
    liveHub().stopAll();
  });

  it('ends the stream when the session stops counting (the account is removed)', async () => {
    const response = await call('val', '?after=7').response;
    expect(response.status).toBe(200);
    const users = JSON.parse(readFileSync(world.usersFile, 'utf8'));
    delete users.users.val;
    writeFileSync(world.usersFile, JSON.stringify(users));
    const seen = await readUntil(response, (s) => ends(s).length > 0);
    expect(ends(seen)).toEqual([
      {
        reason: 'session',
        message: 'Your session no longer counts; sign in again to keep watching',
      },
    ]);
  });
});
