// Ways a stored recording gets damaged, as mutations of its JSON lines. Each
// mutation can say what decoding the damaged lines must then report ("the
// damage is marked"); mutations applied on top of each other only have to
// keep the general invariants. The mutations themselves are in
// corrupt-lines.ts (whole lines and files) and corrupt-fields.ts (fields).

import type { Rng } from './prng';
import { outputOf, type Decoded } from './timeline-checks';

export interface Mutation {
  lines: string[];
  /** Given the decode of the damaged lines and of the original, a complaint or null. */
  expect?: (damaged: Decoded, original: Decoded) => string | null;
}

export type Mutator = (lines: readonly string[], rng: Rng) => Mutation;

export type Json = Record<string, unknown>;
/** The line's JSON object; {} for a line an earlier mutation already broke. */
export function parse(line: string): Json {
  try {
    const value: unknown = JSON.parse(line);
    return typeof value === 'object' && value !== null && !Array.isArray(value) ? { ...value } : {};
  } catch {
    return {};
  }
}
export const idOf = (line: string): number => Number(parse(line).id);
export const sameOutput = (a: Decoded, b: Decoded) =>
  outputOf(a.timeline).equals(outputOf(b.timeline));

export function shuffle<T>(items: T[], rng: Rng): T[] {
  for (let i = items.length - 1; i > 0; i--) {
    const j = rng.int(0, i);
    [items[i], items[j]] = [items[j] as T, items[i] as T];
  }
  return items;
}
