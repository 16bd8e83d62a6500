import { appendFileSync, chmodSync, mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { FilesSource } from '@/lib/sources/files';
import { OPEN_SCOPE, type ListQuery } from '@/lib/sources/types';
import { fixtureLines } from '../support/fixtures';
import { writeFleetFiles } from '../support/fleet/write';
import { SMALL_FLEET, type FleetRecording } from '../support/fleet';

// The files source's list on small real data: a small generated fleet, and
// files that grow, break or cannot be read.

function dir(): string {
  return mkdtempSync(path.join(tmpdir(), 'auditty-list-'));
}

async function all(
  source: FilesSource,
  query: Omit<ListQuery, 'sort' | 'size'> & Partial<ListQuery>,
) {
  const ids: string[] = [];
  let cursor: string | undefined;
  for (let pages = 0; pages < 1000; pages++) {
    const page = await source.list(OPEN_SCOPE, {
      sort: 'start:desc',
      size: 7,
      ...query,
      ...(cursor ? { cursor } : {}),
    });
    ids.push(...page.items.map((i) => i.id));
    if (!page.nextCursor) return ids;
    cursor = page.nextCursor;
  }
  throw new Error('no end');
}

describe('files source list', () => {
  const root = dir();
  const oracle: FleetRecording[] = writeFleetFiles(root, SMALL_FLEET);
  const source = new FilesSource(root);

  it('pages in small steps through every recording, each once, in order', async () => {
    const ids = await all(source, {});
    const want = [...oracle]
      .sort((a, b) => b.startMs - a.startMs || (a.rec < b.rec ? 1 : -1))
      .map((r) => r.rec);
    expect(ids).toEqual(want);
    const byDuration = await all(source, { sort: 'duration:asc' });
    expect(byDuration).toEqual(
      [...oracle]
        .sort((a, b) => a.lastPos - b.lastPos || (a.rec < b.rec ? -1 : 1))
        .map((r) => r.rec),
    );
  });

  it('keeps grouped orders by name, newest first within a name', async () => {
    const ids = await all(source, { sort: 'host:desc', size: 5 });
    const hosts = ids.map((id) => oracle.find((r) => r.rec === id)?.host ?? '');
    expect(hosts).toEqual([...hosts].sort().reverse());
    expect(new Set(ids).size).toBe(oracle.length);
  });

  it('counts facets without their own filter', async () => {
    const user = oracle[0]?.user ?? '';
    const result = await source.list(OPEN_SCOPE, {
      sort: 'start:desc',
      size: 1,
      facets: true,
      user,
    });
    const mine = oracle.filter((r) => r.user === user);
    expect(result.total).toBe(mine.length);
    expect(result.facets?.users.find((f) => f.value === user)?.count).toBe(mine.length);
    expect(result.facets?.users.reduce((n, f) => n + f.count, 0)).toBeLessThanOrEqual(
      oracle.length,
    );
    expect(result.facets?.hosts.reduce((n, f) => n + f.count, 0)).toBe(mine.length);
  });

  it('finds text with a snippet and the moment it was printed', async () => {
    const want = oracle.filter((r) => r.found.burst !== undefined);
    const result = await source.list(OPEN_SCOPE, { sort: 'start:asc', size: 500, q: 'burst' });
    expect(result.items.map((i) => i.id).sort()).toEqual(want.map((r) => r.rec).sort());
    for (const item of result.items) {
      expect(item.match?.atMs).toBe(oracle.find((r) => r.rec === item.id)?.found.burst);
      expect(item.match?.snippet.some((p) => p.hit && p.text === 'burst')).toBe(true);
    }
  });
});

describe('files source index', () => {
  it('shows appended messages, even a last line without newline, and keeps partial lines for later', async () => {
    const root = dir();
    const file = path.join(root, 'live.tlog');
    const lines = fixtureLines('colors');
    writeFileSync(file, `${lines.slice(0, 3).join('\n')}\n`);
    const source = new FilesSource(root, { rescanMs: 0 });
    expect(
      (await source.list(OPEN_SCOPE, { sort: 'start:desc', size: 5 })).items[0]?.messages,
    ).toBe(3);
    appendFileSync(file, `${lines[3]}\n${(lines[4] ?? '').slice(0, 40)}`);
    expect(
      (await source.list(OPEN_SCOPE, { sort: 'start:desc', size: 5 })).items[0]?.messages,
    ).toBe(4);
    appendFileSync(file, `${(lines[4] ?? '').slice(40)}\n${lines.slice(5).join('\n')}`);
    const after = (await source.list(OPEN_SCOPE, { sort: 'start:desc', size: 5 })).items[0];
    expect(after?.messages).toBe(lines.length);
    const stored: string[] = [];
    for await (const line of (await source.messages(OPEN_SCOPE, after?.id ?? '')) ?? [])
      stored.push(line);
    expect(stored).toEqual(lines);
  });

  it('skips malformed lines and unreadable files, and says so', async () => {
    const root = dir();
    writeFileSync(
      path.join(root, 'a.tlog'),
      `${fixtureLines('resize').join('\n')}\n{"ver":"2.3"\nnot json\n`,
    );
    mkdirSync(path.join(root, 'sub'));
    const locked = path.join(root, 'sub', 'locked.tlog');
    writeFileSync(locked, `${fixtureLines('input').join('\n')}\n`);
    chmodSync(locked, 0o000);
    const source = new FilesSource(root);
    const result = await source.list(OPEN_SCOPE, { sort: 'start:desc', size: 5 });
    const root_ = process.getuid?.() === 0;
    expect(result.items.length).toBe(root_ ? 2 : 1);
    expect(result.notices?.[0]).toBe('2 malformed lines in 1 file were skipped');
    if (!root_) expect(result.notices?.[1]).toBe('1 file could not be read and was skipped');
    expect((await source.health()).detail).toContain('2 malformed lines skipped');
  });

  it('says the directory cannot be read', async () => {
    const source = new FilesSource(path.join(dir(), 'missing'));
    await expect(source.list(OPEN_SCOPE, { sort: 'start:desc', size: 5 })).rejects.toMatchObject({
      code: 'source_unavailable',
    });
  });
});
