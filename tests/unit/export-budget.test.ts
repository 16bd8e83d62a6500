import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { AppError } from '@/lib/errors';
import { exportText } from '@/lib/export/text';
import {
  exportTextInWorker,
  reserveTextExport,
  TEXT_EXPORTS_AT_ONCE,
} from '@/lib/export/text-budget';

// The text export runs recorded output through a terminal: hardened like the
// player's, in a worker thread with a time and memory budget, a few at once
// (issue 14, item 2).

const HOSTILE = path.resolve(import.meta.dirname, '../fixtures/hostile');
const hostile = (name: string) =>
  readFileSync(path.join(HOSTILE, `${name}.tlog`), 'utf8')
    .split('\n')
    .filter(Boolean);

async function collect(chunks: AsyncIterable<string>): Promise<string> {
  let text = '';
  for await (const chunk of chunks) text += chunk;
  return text;
}

describe('text export of hostile output', () => {
  it('is quick for counted sequences: 3,000,000 lines inserted three times cost a screen each', async () => {
    const started = performance.now();
    const text = await collect(exportText(hostile('insert-bomb')));
    // 11 s before the terminal was hardened; a screen's worth of work now.
    expect(performance.now() - started).toBeLessThan(1000);
    expect(text).toContain('END OF HOSTILE FIXTURE insert-bomb');
  });

  it('ends every hostile fixture, and gives the same transcript in the worker as in the process', async () => {
    // Each worker costs a start under tsx: four fixtures of different kinds go through one.
    const inWorker = new Set(['insert-bomb', 'repeat-bomb', 'wide-chars', 'osc8-links']);
    for (const file of readdirSync(HOSTILE).filter((f) => f.endsWith('.tlog'))) {
      const name = file.replace(/\.tlog$/, '');
      const lines = hostile(name);
      const direct = await collect(exportText(lines));
      expect(direct, name).toContain(`END OF HOSTILE FIXTURE ${name}`);
      // Safe to show in any terminal: no control character but line feeds and tabs.
      expect(direct.match(/[\u0000-\u0008\u000b-\u001f\u007f-\u009f]/g), name).toBeNull();
      if (inWorker.has(name)) expect(await collect(exportTextInWorker(lines)), name).toBe(direct);
    }
  }, 60_000);

  it('aborts an export that overruns its time budget, and frees the worker', async () => {
    const lines = hostile('huge-line');
    await expect(collect(exportTextInWorker(lines, { timeMs: 50, memoryMb: 256 }))).rejects.toThrow(
      'the text export took more than 50 ms',
    );
  });

  it('aborts an export that overruns its memory budget', async () => {
    // A 5 MB line is held whole by the terminal's wrapped rows: more than 8 MB of heap.
    const lines = hostile('huge-line');
    await expect(
      collect(exportTextInWorker(lines, { timeMs: 60_000, memoryMb: 8 })),
    ).rejects.toThrow('the text export needed more than 8 MB');
  }, 60_000);

  it(`runs ${TEXT_EXPORTS_AT_ONCE} at once, lets 4 wait in order, and refuses the rest at once`, async () => {
    const running = await Promise.all(
      Array.from({ length: TEXT_EXPORTS_AT_ONCE }, () => reserveTextExport()),
    );
    const started: number[] = [];
    const waiting = Array.from({ length: 4 }, (_, i) =>
      reserveTextExport().then((release) => {
        started.push(i);
        return release;
      }),
    );
    await expect(reserveTextExport()).rejects.toBeInstanceOf(AppError);
    await expect(reserveTextExport()).rejects.toMatchObject({ code: 'busy', status: 503 });
    const settle = () => new Promise((resolve) => setTimeout(resolve, 10));
    await settle();
    expect(started).toEqual([]);
    // Releasing twice frees one place, not two.
    running[0]?.();
    running[0]?.();
    await settle();
    expect(started).toEqual([0]);
    for (const release of running.slice(1)) release();
    (await waiting[0])?.();
    await settle();
    expect(started).toEqual([0, 1, 2, 3].slice(0, Math.min(4, TEXT_EXPORTS_AT_ONCE + 1)));
    for (const pending of waiting.slice(1)) (await pending)();
    expect(started).toEqual([0, 1, 2, 3]);
    // Everything released: a new export gets a place at once.
    const again = await reserveTextExport();
    again();
  });
});
