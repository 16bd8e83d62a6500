// The hits a search shows: those in the screen's text (from the keyframe
// worker, screen-text.ts) and those in the typed input (input-log.ts),
// merged in time order, and the way from one hit to the next.

import type { Matcher } from './find';
import type { InputLine } from './input-log';
import type { ScreenHit } from './screen-text';

export type FindHit =
  | ({ source: 'screen' } & ScreenHit)
  | { source: 'input'; t: number; line: string; start: number; end: number; lineStart: 0 };

/** Matches in what was typed: the text keys of each input line (keys like ⏎ and replies left out). */
export function inputHits(matcher: Matcher, lines: readonly InputLine[]): FindHit[] {
  const hits: FindHit[] = [];
  for (const line of lines) {
    let text = '';
    const times: number[] = [];
    for (const token of line.tokens) {
      if (token.kind !== 'text') continue;
      for (let k = 0; k < token.text.length; k++) times.push(token.t);
      text += token.text;
    }
    for (const [start, end] of matcher.matchesIn(text)) {
      hits.push({
        source: 'input',
        t: times[start] ?? line.t,
        line: text,
        start,
        end,
        lineStart: 0,
      });
    }
  }
  return hits;
}

/** Screen and input hits in time order (screen first at the same moment). */
export function mergeHits(screen: readonly ScreenHit[], input: readonly FindHit[]): FindHit[] {
  const out: FindHit[] = [];
  let j = 0;
  for (const hit of screen) {
    while (j < input.length && (input[j]?.t ?? Infinity) < hit.t) out.push(input[j++] as FindHit);
    out.push({ source: 'screen', ...hit });
  }
  while (j < input.length) out.push(input[j++] as FindHit);
  return out;
}

/**
 * The hit to go to from the moment `ms`: the first after it (direction 1)
 * or the last before it (-1), wrapping around; `current` (an index), when
 * set and still at `ms`, steps from itself instead.
 */
export function stepHit(
  hits: readonly FindHit[],
  ms: number,
  direction: 1 | -1,
  current: number | null,
): number | null {
  if (hits.length === 0) return null;
  if (current !== null && hits[current] && Math.abs((hits[current]?.t ?? 0) - ms) < 1) {
    return (current + direction + hits.length) % hits.length;
  }
  if (direction > 0) {
    const next = hits.findIndex((h) => h.t > ms);
    return next === -1 ? 0 : next;
  }
  const before = hits.findLastIndex((h) => h.t < ms);
  return before === -1 ? hits.length - 1 : before;
}
