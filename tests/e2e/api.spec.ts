import { readFileSync } from 'node:fs';
import path from 'node:path';
import { expect, FIXTURE_COUNT, fixtureLines, fixtureRec, test } from './fixtures';

test('GET /api/health reports the source', async ({ request }, info) => {
  const response = await request.get('/api/health');
  expect(response.status()).toBe(200);
  const body = await response.json();
  expect(body).toMatchObject({
    status: 'ok',
    source: { kind: info.project.name, reachable: true },
  });
});

test('GET /api/recordings lists items in the documented shape', async ({ request }) => {
  const response = await request.get('/api/recordings?size=100');
  expect(response.status()).toBe(200);
  const body = await response.json();
  expect(body.total).toBe(FIXTURE_COUNT);
  expect(body.nextCursor).toBeNull();
  const colors = body.items.find((i: { id: string }) => i.id === fixtureRec('colors'));
  expect(Object.keys(colors).sort()).toEqual(
    [
      'durationMs',
      'end',
      'gaps',
      'hasInput',
      'host',
      'id',
      'messages',
      'session',
      'start',
      'term',
      'user',
    ].sort(),
  );
  expect(colors.messages).toBe(fixtureLines('colors').length);
  expect(Date.parse(colors.end) - Date.parse(colors.start)).toBe(colors.durationMs);
});

test('bad parameters get 400, unknown recordings 404, in the error shape', async ({ request }) => {
  for (const query of ['size=0', 'size=abc', 'size=501', 'sort=nonsense', 'from=yesterday']) {
    const response = await request.get(`/api/recordings?${query}`);
    expect(response.status(), query).toBe(400);
    const body = await response.json();
    expect(body.error.code).toBe('bad_request');
    expect(typeof body.error.message).toBe('string');
  }
  for (const path of [
    '/api/recordings/no-such-rec',
    '/api/recordings/no-such-rec/messages',
    '/api/recordings/no-such-rec/commands',
  ]) {
    const response = await request.get(path);
    expect(response.status(), path).toBe(404);
    expect(await response.json()).toEqual({
      error: { code: 'not_found', message: 'No such recording' },
    });
  }
  const invalid = await request.get('/api/recordings/%3Cscript%3E');
  expect(invalid.status()).toBe(400);
});

test('GET /api/recordings/{rec}/messages streams the stored messages as NDJSON', async ({
  request,
}) => {
  for (const name of ['input', 'gap', 'utf8-emoji']) {
    const response = await request.get(`/api/recordings/${fixtureRec(name)}/messages`);
    expect(response.status()).toBe(200);
    expect(response.headers()['content-type']).toBe('application/x-ndjson; charset=utf-8');
    const lines = (await response.text()).split('\n').filter((l) => l !== '');
    const withoutTimestamp = lines.map((l) => {
      const { timestamp: _t, ...message } = JSON.parse(l);
      return message;
    });
    expect(withoutTimestamp, name).toEqual(fixtureLines(name).map((l) => JSON.parse(l)));
  }
});

test('GET /api/recordings/{rec}/commands lists the command lines entered, as found on screen', async ({
  request,
}) => {
  const truth = JSON.parse(
    readFileSync(
      path.resolve(import.meta.dirname, '../fixtures/commands/commands-color.json'),
      'utf8',
    ),
  ) as { commands: { line: string; enterMs: number; cwd: string | null }[] };
  const rec = fixtureRec('commands-color');
  const response = await request.get(`/api/recordings/${rec}/commands`);
  expect(response.status()).toBe(200);
  expect(response.headers()['cache-control']).toBe('no-store');
  const body = await response.json();
  expect(body).toMatchObject({
    recording: rec,
    truncated: false,
    messages: fixtureLines('commands-color').length,
    missingMessages: 0,
  });
  expect(body.commands.map((c: { line: string }) => c.line)).toEqual(
    truth.commands.map((c) => c.line),
  );
  body.commands.forEach((c: { t: number; cwd: string | null; source: string }, i: number) => {
    expect(c.source).toBe('screen');
    expect(c.cwd).toBe(truth.commands[i]!.cwd);
    expect(Math.abs(c.t - truth.commands[i]!.enterMs)).toBeLessThanOrEqual(500);
  });
});
