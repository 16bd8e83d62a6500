import { appendFile, mkdtemp, rm, stat, truncate, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildEvent, type AuditEvent } from '@/lib/audit/event';
import { FileAuditSink } from '@/lib/audit/file';
import { CHUNK_BYTES, MAX_SCAN_BYTES, scanFile, type ScanOptions } from '@/lib/audit/file-scan';
import { compareEvents, eventFilterSchema, type EventFilter } from '@/lib/audit/query';

// The files sink reads AUDIT_LOG_FILE from its end: real files in a temp
// dir, the bytes it read counted by scanFile itself.

const T0 = Date.parse('2026-01-01T00:00:00.000Z');

/** Events one step apart, alternately alice's and bob's; built once, then copied (quick). */
function events(count: number, stepMs = 1000): AuditEvent[] {
  const template = buildEvent({
    action: 'recording-view',
    outcome: 'success',
    user: { name: 'alice', roles: ['dba'] },
    auth: 'local',
    address: '127.0.0.1',
    url: '/recordings/r0',
    recording: 'r0',
  });
  return Array.from({ length: count }, (_, i) => ({
    ...template,
    '@timestamp': new Date(T0 + i * stepMs).toISOString(),
    event: {
      ...template.event,
      id: `e${String(i).padStart(6, '0')}`,
      action: i % 3 ? ('recording-view' as const) : ('recordings-list' as const),
    },
    user: { name: i % 2 ? 'bob' : 'alice', roles: ['dba'] },
    url: { original: `/recordings/r${i}` },
    auditty: { ...template.auditty, recording: `r${i}` },
  }));
}

const lines = (list: AuditEvent[]) => list.map((e) => `${JSON.stringify(e)}\n`).join('');

let dir: string;
beforeAll(async () => {
  dir = await mkdtemp(path.join(tmpdir(), 'auditty-scan-'));
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

async function file(name: string, text: string): Promise<string> {
  const at = path.join(dir, name);
  await writeFile(at, text);
  return at;
}

/** Every page, following cursors as the access log does, and what each read. */
async function allPages(at: string, filter: EventFilter, options: ScanOptions) {
  const seen: AuditEvent[] = [];
  let cursor: string | null = null;
  let pages = 0;
  do {
    const after = cursor ? eventFilterSchema.parse({ cursor }).after : undefined;
    const { page } = await scanFile(at, { ...filter, ...(after ? { after } : {}) }, options);
    seen.push(...page.items);
    cursor = page.nextCursor;
    pages += 1;
    expect(pages).toBeLessThan(10_000);
  } while (cursor);
  return { seen, pages };
}

describe('the files sink, read from the end', () => {
  it('reads a small part of a 100,000-event file for a page of 50, newest first', async () => {
    const all = events(100_000);
    const text = lines(all);
    const at = await file('big.jsonl', text);
    const size = Buffer.byteLength(text);
    const newest = [...all].reverse();

    const first = await scanFile(at, { size: 50 });
    expect(first.page.items).toEqual(newest.slice(0, 50));
    expect(first.page.partial).toBeUndefined();
    expect(first.bytesRead).toBeLessThanOrEqual(CHUNK_BYTES);
    expect(first.bytesRead * 100).toBeLessThan(size);
    expect(first.linesParsed).toBeLessThan(200);

    const second = await scanFile(at, eventFilterSchema.parse({ cursor: first.page.nextCursor }));
    expect(second.page.items).toEqual(newest.slice(50, 100));
    expect(second.bytesRead).toBeLessThanOrEqual(2 * CHUNK_BYTES);

    // The sink itself answers the same page.
    expect(await new FileAuditSink(at).search({ size: 50 })).toEqual(first.page);
  });

  it('parses every line exactly once when it has to read it all', async () => {
    const all = events(3000);
    const at = await file('once.jsonl', lines(all));
    const result = await scanFile(at, { size: 50, user: 'nobody' }, { chunkBytes: 1000 });
    expect(result.page).toEqual({ items: [], nextCursor: null });
    expect(result.linesParsed).toBe(3000);
    expect(result.bytesRead).toBe(Buffer.byteLength(lines(all)));
  });

  it.each([97, 333, 1000, 4096])(
    'pages with cursors across chunk boundaries of %i bytes, lines split between chunks',
    async (chunkBytes) => {
      const all = events(150);
      const text = lines(all);
      const at = await file(`chunks-${chunkBytes}.jsonl`, text);
      const bytes = Buffer.from(text);
      // Chunks are read back from the end: some boundaries fall inside a line.
      const boundaries = Array.from(
        { length: Math.floor(bytes.length / chunkBytes) },
        (_, k) => bytes.length - (k + 1) * chunkBytes,
      );
      expect(boundaries.some((p) => bytes[p - 1] !== 0x0a)).toBe(true);

      const { seen, pages } = await allPages(at, { size: 13 }, { chunkBytes });
      expect(seen).toEqual([...all].reverse());
      expect(pages).toBe(Math.ceil(150 / 13));

      const bobs = all.filter((e) => e.user?.name === 'bob' && e.event.action === 'recording-view');
      const filtered = await allPages(
        at,
        { size: 7, user: 'bob', actions: ['recording-view'] },
        { chunkBytes },
      );
      expect(filtered.seen).toEqual([...bobs].reverse());
    },
  );

  it('keeps the order of time when concurrent writes appended lines out of order', async () => {
    const all = events(120, 100);
    // Swap neighbours: each pair was appended in the opposite order of its times.
    const appended = all.flatMap((_, i) =>
      i % 2 ? [] : [all[i + 1], all[i]].filter((e): e is AuditEvent => e !== undefined),
    );
    const at = await file('reordered.jsonl', lines(appended));
    const { seen } = await allPages(at, { size: 9 }, { chunkBytes: 500 });
    expect(seen).toEqual([...all].sort(compareEvents));
  });

  it('skips a torn last line and reads a first line that has no newline before it', async () => {
    const all = events(20);
    const at = await file('torn.jsonl', `${lines(all)}{"@timestamp":"2026-01-0`);
    const { seen } = await allPages(at, { size: 6 }, { chunkBytes: 64 });
    expect(seen).toEqual([...all].reverse());
  });

  it('stops at the cap and says so when the page is not full', async () => {
    const all = events(5000);
    const at = await file('capped.jsonl', lines(all));
    const maxBytes = 256 * 1024;
    const none = await scanFile(at, { size: 50, user: 'nobody' }, { maxBytes });
    expect(none.bytesRead).toBe(maxBytes);
    expect(none.page).toEqual({ items: [], nextCursor: null, partial: { scannedBytes: maxBytes } });
    // A page that fills within the cap is complete.
    const full = await scanFile(at, { size: 50 }, { maxBytes });
    expect(full.page.partial).toBeUndefined();
    expect(full.page.nextCursor).not.toBeNull();
  });

  it(`reads at most MAX_SCAN_BYTES of a bigger file, holding no endless line in memory`, async () => {
    const at = path.join(dir, 'huge.jsonl');
    // 80 MiB of holes (no disk used, no newline in them), then one event on its line.
    await writeFile(at, '');
    await truncate(at, 80 * 1024 * 1024);
    const [one] = events(1);
    await appendFile(at, `\n${lines([one!])}`);
    const page = await new FileAuditSink(at).search({ size: 50 });
    expect(page).toEqual({
      items: [one],
      nextCursor: null,
      partial: { scannedBytes: MAX_SCAN_BYTES },
    });
    expect((await stat(at)).size).toBeGreaterThan(MAX_SCAN_BYTES);
  });

  it('answers an empty page when there is no file yet', async () => {
    expect(await scanFile(path.join(dir, 'missing.jsonl'), { size: 5 })).toEqual({
      page: { items: [], nextCursor: null },
      bytesRead: 0,
      linesParsed: 0,
    });
  });
});
