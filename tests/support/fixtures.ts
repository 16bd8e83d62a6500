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
