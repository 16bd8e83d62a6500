// The rows of a benchmark's summary, shared by the suite (bench/run.ts) and
// the benchmarks it runs as child processes (bench/player, bench/list), which
// write theirs as JSON for the suite to put into its one table.

import { existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { format, resolveConfig } from 'prettier';

export interface Row {
  measure: string;
  value: string;
  /** '' when the figure has no target. */
  target: string;
  /** null when the figure has no target. */
  pass: boolean | null;
  /** A measurement that broke (pass is then false): shown as failed, not missed. */
  failed?: boolean;
}

/** bench/data/<name>-rows.json, or <name>-rows-smoke.json for a smoke run. */
export function rowsFile(root: string, name: string, smoke: boolean): string {
  return path.join(root, 'bench/data', `${name}-rows${smoke ? '-smoke' : ''}.json`);
}

export function writeRows(file: string, rows: Row[]): void {
  mkdirSync(path.dirname(file), { recursive: true });
  writeFileSync(file, `${JSON.stringify(rows, null, 2)}\n`);
}

export function removeRows(file: string): void {
  rmSync(file, { force: true });
}

/** The rows in a file, or null if there is none (or it is not a list of rows). */
export function readRows(file: string): Row[] | null {
  if (!existsSync(file)) return null;
  try {
    const data: unknown = JSON.parse(readFileSync(file, 'utf8'));
    if (!Array.isArray(data)) return null;
    return data.filter(
      (r): r is Row =>
        typeof r === 'object' &&
        r !== null &&
        typeof (r as Row).measure === 'string' &&
        typeof (r as Row).value === 'string' &&
        typeof (r as Row).target === 'string' &&
        ((r as Row).pass === null || typeof (r as Row).pass === 'boolean'),
    );
  } catch {
    return null;
  }
}

export function markdownTable(rows: Row[]): string[] {
  const cell = (s: string) => s.replaceAll('|', '\\|').replaceAll('\n', ' ');
  return [
    '| measure | value | target | result |',
    '|---|---|---|---|',
    ...rows.map(
      (r) =>
        `| ${cell(r.measure)} | ${cell(r.value)} | ${cell(r.target) || '–'} | ${r.failed ? '**FAILED**' : r.pass === null ? '–' : r.pass ? 'pass' : '**miss**'} |`,
    ),
  ];
}

/** Writes a generated Markdown file formatted as the repository's Prettier settings want it. */
export async function writeMarkdown(file: string, text: string): Promise<void> {
  let formatted = text;
  try {
    formatted = await format(text, { ...(await resolveConfig(file)), filepath: file });
  } catch (err) {
    console.warn(`could not format ${file} with Prettier (${String(err)}); written as generated`);
  }
  mkdirSync(path.dirname(file), { recursive: true });
  writeFileSync(file, formatted);
}
