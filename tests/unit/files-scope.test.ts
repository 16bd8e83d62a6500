import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { FilesSource } from '@/lib/sources/files';
import { MAX_LINE_BYTES } from '@/lib/sources/files/file-lines';
import { fallbackId } from '@/lib/sources/files/recordings';
import { OPEN_SCOPE, type Scope } from '@/lib/sources/types';
import { assembleTimeline, parseMessageLine } from '@/lib/tlog';
import { fixtureLines } from '../support/fixtures';

// The files source keeps a recording to one host and one user, and applies
// the caller's scope to every message it serves (issue 14, item 1).

const dir = () => mkdtempSync(path.join(tmpdir(), 'auditty-files-scope-'));
const WEB: Scope = { hosts: ['web-*'], users: ['*'] };
const list = (source: FilesSource, scope: Scope) =>
  source.list(scope, { sort: 'start:desc', size: 50 });

/** A fixture's lines with other fields (rec removed when `rec` is null). */
function rewrite(name: string, fields: Record<string, unknown>, rec?: string | null): string[] {
  return fixtureLines(name).map((line) => {
    const message = { ...JSON.parse(line), ...fields };
    if (rec === null) delete message.rec;
    else if (rec !== undefined) message.rec = rec;
    return JSON.stringify(message);
  });
}

async function lines(source: FilesSource, scope: Scope, id: string): Promise<string[] | null> {
  const iterable = await source.messages(scope, id);
  if (!iterable) return null;
  const out: string[] = [];
  for await (const line of iterable) out.push(line);
  return out;
}

describe('files source scope', () => {
  it('keeps files without rec apart by their path, not their name', async () => {
    const root = dir();
    for (const host of ['web-1', 'db-1']) {
      mkdirSync(path.join(root, host));
      writeFileSync(
        path.join(root, host, 'session.log'),
        `${rewrite('resize', { host }, null).join('\n')}\n`,
      );
    }
    const source = new FilesSource(root);
    const all = await list(source, OPEN_SCOPE);
    expect(all.items.map((i) => [i.id, i.host]).sort()).toEqual([
      ['file-db-1_2fsession.log', 'db-1'],
      ['file-web-1_2fsession.log', 'web-1'],
    ]);
    const web = await list(source, WEB);
    expect(web.items.map((i) => i.id)).toEqual(['file-web-1_2fsession.log']);
    expect(await source.get(WEB, 'file-db-1_2fsession.log')).toBeNull();
    expect(await lines(source, WEB, 'file-db-1_2fsession.log')).toBeNull();
    const served = (await lines(source, WEB, 'file-web-1_2fsession.log')) ?? [];
    expect(served.map((l) => JSON.parse(l).host)).toEqual(served.map(() => 'web-1'));
  });

  it('serves a scoped caller only the messages of its hosts and users, summarized from them', async () => {
    const root = dir();
    const victim = rewrite('colors', { host: 'web-1', user: 'alice' });
    const rec = JSON.parse(victim[0] ?? '{}').rec as string;
    // Messages claiming the victim's recording from another host: forged, or a second file.
    const forged = rewrite('colors', { host: 'db-1', user: 'alice' }, rec)
      .slice(0, 5)
      .map((line, i) => JSON.stringify({ ...JSON.parse(line), id: 10_000 + i }));
    writeFileSync(path.join(root, 'web.tlog'), `${victim.join('\n')}\n`);
    writeFileSync(path.join(root, 'db.tlog'), `${forged.join('\n')}\n`);
    const source = new FilesSource(root);

    const seen = await source.get(WEB, rec);
    expect(seen).toMatchObject({ host: 'web-1', messages: victim.length, gaps: 0 });
    expect(await lines(source, WEB, rec)).toEqual(victim);
    expect(await source.get({ hosts: ['db-*'], users: ['*'] }, rec)).toMatchObject({
      host: 'db-1',
      messages: 5,
    });
    expect(await lines(source, { hosts: ['db-*'], users: ['*'] }, rec)).toEqual(forged);
    expect(await source.get({ hosts: ['mail-*'], users: ['*'] }, rec)).toBeNull();

    // Everything, for a caller who may see everything, and a notice; none for the others.
    const all = await list(source, OPEN_SCOPE);
    expect(all.items[0]?.messages).toBe(victim.length + 5);
    expect(all.notices).toEqual([
      '1 recording holds messages of more than one host or user (forged or damaged: a caller sees only the messages of the hosts and users it may see)',
    ]);
    expect((await list(source, WEB)).notices).toBeUndefined();

    // The player's timeline marks each message that names another host or user.
    const timeline = assembleTimeline(
      ((await lines(source, OPEN_SCOPE, rec)) ?? []).map((line) => {
        const parsed = parseMessageLine(line);
        if (!parsed.ok) throw new Error(parsed.error);
        return parsed.value;
      }),
    );
    const marked = timeline.problems.filter((p) => p.error.includes('forged or damaged'));
    expect(marked.map((p) => p.id)).toEqual([10_000, 10_001, 10_002, 10_003, 10_004]);
  });

  it('names fallback recordings injectively, and hashes paths too long for a URL', () => {
    expect(fallbackId('a/b.log')).toBe('file-a_2fb.log');
    expect(fallbackId('a_2fb.log')).toBe('file-a_5f2fb.log');
    expect(fallbackId('é 1.log')).toBe('file-_c3_a9_201.log');
    const long = fallbackId(`${'d/'.repeat(200)}x.log`);
    expect(long).toMatch(/^file-[0-9a-f]{40}$/);
    expect(fallbackId(`${'d/'.repeat(200)}y.log`)).not.toBe(long);
  });
});

describe('files source reading', () => {
  it('reads a rewritten file again instead of taking its end for an append', async () => {
    const root = dir();
    const file = path.join(root, 'r.tlog');
    const first = rewrite('resize', {}, null);
    writeFileSync(file, `${first.slice(0, 3).join('\n')}\n`);
    const source = new FilesSource(root, { rescanMs: 0 });
    expect((await list(source, OPEN_SCOPE)).items[0]).toMatchObject({ host: 'vm', messages: 3 });
    // Longer than before, different from the start: a rewrite, not an append.
    writeFileSync(file, `${rewrite('resize', { host: 'other' }, null).join('\n')}\n`);
    const after = (await list(source, OPEN_SCOPE)).items;
    expect(after).toHaveLength(1);
    expect(after[0]).toMatchObject({ host: 'other', messages: first.length });
  });

  it('skips a line longer than any tlog message without holding it, and reads on', async () => {
    const root = dir();
    const good = fixtureLines('resize');
    const huge = `{"ver":"2.3","out_txt":"${'x'.repeat(MAX_LINE_BYTES + 10)}"}`;
    writeFileSync(path.join(root, 'h.tlog'), `${good[0]}\n${huge}\n${good.slice(1).join('\n')}\n`);
    const source = new FilesSource(root);
    const result = await list(source, OPEN_SCOPE);
    expect(result.items[0]?.messages).toBe(good.length);
    expect(result.notices).toEqual(['1 malformed line in 1 file was skipped']);
    expect(await lines(source, OPEN_SCOPE, result.items[0]?.id ?? '')).toEqual(good);
  });
});
