import { readFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { AppError } from '@/lib/errors';
import { ElasticsearchSource } from '@/lib/sources/elasticsearch';
import { summaryId, type SummaryDocument } from '@/lib/sources/elasticsearch/summaries/document';
import { SummaryStore } from '@/lib/sources/elasticsearch/summaries/store';
import { Summarizer } from '@/lib/sources/elasticsearch/summaries/summarizer';
import { OPEN_SCOPE, type ListQuery } from '@/lib/sources/types';
import { testClient } from '../support/es';
import { fixtureLines } from '../support/fixtures';

// The summaries' commands pass on a real Elasticsearch (issue 16): ended
// recordings get their command timeline in their summary, and the list
// finds a recording by a command line entered in it (`cmd=`), with the
// command's moment, in scope, on the real tlog fixtures made for it.

const client = testClient();
const run = Date.now();
const pattern = `tlog-cmd-${run}-*`;
const index = `tlog-cmd-${run}-2026.12.01`;
const summaryIndex = `auditty-summaries-cmd-${run}`;
const FIXTURES = ['commands-input', 'commands-color', 'commands-marks', 'colors'];

interface Truth {
  commands: { line: string; enterMs: number; cwd: string | null }[];
}
const truth = (name: string) =>
  JSON.parse(
    readFileSync(path.resolve(import.meta.dirname, `../fixtures/commands/${name}.json`), 'utf8'),
  ) as Truth;
const recOf = (name: string) => (JSON.parse(fixtureLines(name)[0] ?? '{}') as { rec: string }).rec;

const source = new ElasticsearchSource(client, pattern, { summaryIndex });
const store = new SummaryStore(client, summaryIndex, pattern);
const summarizer = new Summarizer(client, pattern, () => source.fields(), store, {
  intervalMs: 200,
  leaseMs: 1500,
  backfillSliceMs: 5000,
  commandsSliceMs: 5000,
});

async function summaryDoc(name: string): Promise<SummaryDocument | undefined> {
  const doc = await client.get<SummaryDocument>({
    index: summaryIndex,
    id: summaryId(pattern, recOf(name)),
  });
  return doc._source;
}

const list = (query: Partial<ListQuery>, scope = OPEN_SCOPE) =>
  source.list(scope, { sort: 'start:desc', size: 50, ...query });

beforeAll(async () => {
  await client.indices.create({ index, settings: { refresh_interval: '200ms' } });
  const operations = FIXTURES.flatMap((name) =>
    fixtureLines(name).flatMap((line) => {
      const m = JSON.parse(line) as { time: number };
      return [{ index: { _index: index } }, { ...m, timestamp: new Date(m.time * 1000) }];
    }),
  );
  const bulk = await client.bulk({ operations, refresh: true });
  expect(bulk.errors).toBe(false);
  await store.ensureIndex();
  expect((await summarizer.untilCurrent(120_000)).phase).toBe('current');
  // Rounds until every ended recording has been read for its commands.
  for (let round = 0; round < 100; round++) {
    const docs = await Promise.all(FIXTURES.map(summaryDoc));
    if (docs.every((d) => d?.commands_done)) break;
    await summarizer.round();
    await client.indices.refresh({ index: summaryIndex });
  }
  await summarizer.stop();
}, 180_000);

afterAll(async () => {
  await client.indices.delete({ index: [index, summaryIndex], ignore_unavailable: true });
});

describe('command timelines in the summaries', () => {
  it.each(['commands-input', 'commands-color'])(
    '%s: its summary holds the commands typed, in order, at their Enter key',
    async (name) => {
      const doc = await summaryDoc(name);
      expect(doc?.commands_done).toBe(true);
      const expected = truth(name).commands;
      expect(doc?.commands?.map((c) => c.line)).toEqual(expected.map((c) => c.line.trimEnd()));
      expect(doc?.command_lines).toEqual(doc?.commands?.map((c) => c.line));
      doc?.commands?.forEach((c, i) =>
        expect(Math.abs(c.t - expected[i]!.enterMs)).toBeLessThanOrEqual(500),
      );
    },
  );

  it('an older fixture (colors, no input, a plain prompt) gets its commands too', async () => {
    const doc = await summaryDoc('colors');
    expect(doc?.commands_done).toBe(true);
    expect(doc?.commands_skipped).toBeUndefined();
    expect(doc?.commands?.[0]?.line).toBe('ls --color=always /etc | head -30');
    expect(doc?.commands?.at(-1)?.line).toBe('exit');
    expect(doc?.commands).toHaveLength(9);
  });

  it('cmd= finds the recording a command was entered in, with its moment and directory', async () => {
    const found = await list({ cmd: 'cd /tmp' });
    expect(found.items.map((i) => i.id)).toEqual([recOf('commands-color')]);
    expect(found.total).toBe(1);
    const expected = truth('commands-color').commands[0]!;
    expect(found.items[0]?.command).toMatchObject({ line: 'cd /tmp', cwd: '~' });
    expect(Math.abs((found.items[0]?.command?.atMs ?? -1) - expected.enterMs)).toBeLessThan(500);
  });

  it('cmd= is a phrase of words in order: "head -3" and "ls /etc" match, "etc ls" does not', async () => {
    expect((await list({ cmd: 'head -3' })).items.map((i) => i.id)).toEqual([
      recOf('commands-input'),
    ]);
    const ls = await list({ cmd: 'ls /etc' });
    expect(ls.items.map((i) => i.command?.line)).toEqual(['ls /etc | head -3']);
    expect((await list({ cmd: 'etc ls' })).items).toEqual([]);
  });

  it('cmd= finds a command printed with forged marks, and the one typed in the same list', async () => {
    const found = await list({ cmd: 'fake-command' });
    expect(found.items.map((i) => [i.id, i.command?.line])).toEqual([
      [recOf('commands-marks'), 'fake-command'],
    ]);
    const doc = await summaryDoc('commands-marks');
    expect(doc?.commands?.find((c) => c.line === 'fake-command')?.doubt).toBeDefined();
  });

  it('cmd= keeps to the caller scope and combines with the other filters', async () => {
    expect((await list({ cmd: 'echo' }, { hosts: ['db-*'], users: ['*'] })).items).toEqual([]);
    const echo = await list({ cmd: 'echo', facets: true });
    expect(echo.items.map((i) => i.id).sort()).toEqual(
      // colors too: its colour loop ends with `; echo`.
      [
        recOf('commands-input'),
        recOf('commands-color'),
        recOf('commands-marks'),
        recOf('colors'),
      ].sort(),
    );
    expect(echo.items.find((i) => i.id === recOf('colors'))?.command?.line).toMatch(/; echo$/);
    expect(echo.facets?.hosts).toEqual([{ value: 'vm', count: 4 }]);
    expect((await list({ cmd: 'echo', user: 'alice' })).items).toEqual([]);
  });

  it('cmd= without summaries says why, instead of answering without them', async () => {
    const plain = new ElasticsearchSource(client, pattern);
    await expect(
      plain.list(OPEN_SCOPE, { sort: 'start:desc', size: 10, cmd: 'ls' }),
    ).rejects.toMatchObject({
      code: 'source_unavailable',
      message: expect.stringMatching(/^Searching command lines needs the recording summaries/),
    });
    await expect(
      plain.list(OPEN_SCOPE, { sort: 'start:desc', size: 10, cmd: 'ls' }),
    ).rejects.toBeInstanceOf(AppError);
  });
});
