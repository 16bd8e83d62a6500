// Decoding lines the way auditty's consumers do, and the properties every
// decoded timeline must have, however damaged its input. Checks return lists
// of violations instead of calling expect(): the fuzz tests run thousands of
// cases and report the first few failures with their seeds.

import {
  assembleTimeline,
  MAX_DELAY_MS,
  MAX_PROBLEMS,
  parseMessageLine,
  TimelineBuilder,
  type Timeline,
  type TlogMessage,
} from '@/lib/tlog';

export interface Decoded {
  /** Validation errors of lines that are not messages (blank lines are skipped). */
  errors: string[];
  messages: TlogMessage[];
  /** assembleTimeline over the valid messages (any order). */
  timeline: Timeline;
  /** TimelineBuilder fed in line order, as the player and the exports do. */
  streamed: Timeline;
}

export function decodeAll(lines: readonly string[]): Decoded {
  const errors: string[] = [];
  const messages: TlogMessage[] = [];
  for (const line of lines) {
    if (line.trim() === '') continue;
    const parsed = parseMessageLine(line);
    if (parsed.ok) messages.push(parsed.value);
    else errors.push(parsed.error);
  }
  const builder = new TimelineBuilder();
  for (const message of messages) builder.push(message);
  return { errors, messages, timeline: assembleTimeline(messages), streamed: builder.timeline };
}

export function outputOf(timeline: Timeline, kind: 'output' | 'input' = 'output'): Buffer {
  return Buffer.concat(timeline.events.flatMap((e) => (e.kind === kind ? [e.data] : [])));
}

/** What must hold for any timeline: a player can rely on these. */
export function timelineViolations(timeline: Timeline): string[] {
  const v: string[] = [];
  let last = 0;
  let gapEvents = 0;
  for (const [i, e] of timeline.events.entries()) {
    if (!Number.isFinite(e.t) || e.t < 0 || e.t > MAX_DELAY_MS)
      v.push(`event ${i}: bad time ${e.t}`);
    if (e.t < last) v.push(`event ${i}: time runs backwards (${last} -> ${e.t})`);
    if (e.t > timeline.durationMs)
      v.push(`event ${i}: after the end (${e.t} > ${timeline.durationMs})`);
    last = Math.max(last, e.t);
    if (e.kind === 'output' || e.kind === 'input') {
      if (!(e.data instanceof Uint8Array) || e.data.length === 0)
        v.push(`event ${i}: empty ${e.kind}`);
    } else if (e.kind === 'window') {
      for (const side of [e.cols, e.rows]) {
        if (!Number.isInteger(side) || side < 0 || side > 65535)
          v.push(`event ${i}: bad window ${e.cols}x${e.rows}`);
      }
    } else {
      gapEvents += 1;
      if (!(e.missing >= 1) || !(e.firstMissingId >= 1))
        v.push(`event ${i}: bad gap ${JSON.stringify(e)}`);
    }
    if (v.length > 5) return v;
  }
  if (gapEvents !== timeline.gaps.length)
    v.push(`${gapEvents} gap events for ${timeline.gaps.length} gaps`);
  if (!Number.isFinite(timeline.durationMs) || timeline.durationMs < 0)
    v.push(`bad duration ${timeline.durationMs}`);
  if (timeline.startMs !== null && !Number.isFinite(timeline.startMs))
    v.push(`bad start ${timeline.startMs}`);
  if (timeline.problems.length > MAX_PROBLEMS)
    v.push(`${timeline.problems.length} problems listed`);
  if ((timeline.problemCount ?? 0) < timeline.problems.length)
    v.push('problemCount below the problems listed');
  if (
    timeline.messages > 0 &&
    !(timeline.firstId !== null && timeline.lastId !== null && timeline.firstId <= timeline.lastId)
  ) {
    v.push(`bad id range ${timeline.firstId}..${timeline.lastId}`);
  }
  const windows = timeline.windows ?? [];
  for (let i = 1; i < windows.length; i++) {
    const a = windows[i - 1];
    const b = windows[i];
    if (a && b && a.cols === b.cols && a.rows === b.rows)
      v.push(`window ${i} repeats the previous size`);
  }
  return v;
}

/** Violations of both timelines of a decode. */
export function decodedViolations(decoded: Decoded): string[] {
  return [
    ...timelineViolations(decoded.timeline).map((s) => `assembled: ${s}`),
    ...timelineViolations(decoded.streamed).map((s) => `streamed: ${s}`),
  ];
}

/** Whether a problem names this message id. */
export function hasProblemFor(timeline: Timeline, id: number): boolean {
  return timeline.problems.some((p) => p.id === id);
}

/** The missing ids a timeline's gaps stand for. */
export function gapIds(timeline: Timeline): number[] {
  return timeline.gaps.flatMap((g) =>
    Array.from({ length: g.missing }, (_, i) => g.afterId + 1 + i),
  );
}
