// The bundled samples (samples/) that the page benchmarks open.

import { readFileSync } from 'node:fs';
import path from 'node:path';

export const SAMPLES = path.resolve(import.meta.dirname, '../../samples');
/** The smallest bundled sample (3 messages), as in issue 18's first-frame target. */
export const SMALL_SAMPLE = 'input.tlog';

/** The recording id (`rec`) of a sample, from its first message. */
export function sampleRec(file: string): string {
  const first = readFileSync(path.join(SAMPLES, file), 'utf8').split('\n', 1)[0] ?? '{}';
  const rec: unknown = (JSON.parse(first) as { rec?: unknown }).rec;
  if (typeof rec !== 'string') throw new Error(`samples/${file} has no rec`);
  return rec;
}
