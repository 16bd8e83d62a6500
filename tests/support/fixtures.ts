import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { parseMessageLine, type TlogMessage } from '@/lib/tlog';

// Real recordings made by tlog-rec (tests/fixtures/make-fixtures.sh).

export const FIXTURES_DIR = path.resolve(import.meta.dirname, '../fixtures/recordings');

export function fixtureNames(): string[] {
  return readdirSync(FIXTURES_DIR)
    .filter((f) => f.endsWith('.tlog'))
    .map((f) => f.replace(/\.tlog$/, ''))
    .sort();
}

export function fixturePath(name: string): string {
  return path.join(FIXTURES_DIR, `${name}.tlog`);
}

export function fixtureLines(name: string): string[] {
  return readFileSync(fixturePath(name), 'utf8')
    .split('\n')
    .filter((l) => l.trim() !== '');
}

export function fixtureMessages(name: string): TlogMessage[] {
  return parseLines(fixtureLines(name), name);
}

/** The messages of any tlog file (the hostile fixtures, a benchmark's recording). */
export function messagesOfFile(file: string): TlogMessage[] {
  const lines = readFileSync(file, 'utf8')
    .split('\n')
    .filter((l) => l.trim() !== '');
  return parseLines(lines, path.basename(file));
}

function parseLines(lines: readonly string[], name: string): TlogMessage[] {
  return lines.map((line, i) => {
    const parsed = parseMessageLine(line);
    if (!parsed.ok) throw new Error(`${name}:${i + 1}: ${parsed.error}`);
    return parsed.value;
  });
}

/**
 * A longer recording made of a real one played `times` times back to back:
 * ids, pos and time continue, so the result is valid tlog with a new rec id.
 */
export function repeatRecording(lines: string[], times: number, rec: string): string[] {
  const objects = lines.map((line) => JSON.parse(line) as Record<string, number | string>);
  const last = objects[objects.length - 1];
  if (!last) throw new Error('empty recording');
  const maxId = Math.max(...objects.map((o) => Number(o.id)));
  const span = Number(last.pos) + 1000;
  const out: string[] = [];
  for (let k = 0; k < times; k++) {
    for (const object of objects) {
      out.push(
        JSON.stringify({
          ...object,
          rec,
          id: Number(object.id) + k * maxId,
          pos: Number(object.pos) + k * span,
          time: Math.round((Number(object.time) + (k * span) / 1000) * 1000) / 1000,
        }),
      );
    }
  }
  return out;
}
