// Exports of a recording in the formats other tools read. Each export is a
// pure async generator from the stored message lines (in id order) to output
// chunks, so a route streams it and a test calls it directly.

import { z } from 'zod';
import { exportAsciicast } from './asciicast';
import type { ExportContext, MessageLines } from './messages';
import { exportRaw } from './raw';
import { exportTlog } from './tlog';
import { EXPORT_FORMATS, EXPORT_TYPES, type ExportFormat } from './formats';

export { decodeLines, type DecodedLine, type ExportContext, type MessageLines } from './messages';
export { exportAsciicast, exportRaw, exportTlog };
export { EXPORT_FORMATS, EXPORT_TYPES, exportUrl, type ExportFormat } from './formats';

export const exportFormatSchema = z.enum(EXPORT_FORMATS);

/** Formats that run a terminal (in a worker: reserve a place first, text-budget.ts). */
export const TERMINAL_FORMATS: readonly ExportFormat[] = ['text', 'asciicast'];

/**
 * The export as chunks. `text` and `asciicast` (for its command markers)
 * start their worker only when asked for.
 */
export async function* exportRecording(
  format: ExportFormat,
  lines: MessageLines,
  context: ExportContext & { inputLogged?: boolean } = {},
): AsyncGenerator<string | Uint8Array> {
  switch (format) {
    case 'tlog':
      yield* exportTlog(lines);
      return;
    case 'raw':
      yield* exportRaw(lines);
      return;
    case 'asciicast': {
      // Its command markers need a terminal: in a worker, with a budget.
      const { runInWorker } = await import('./text-budget');
      yield* runInWorker({ kind: 'asciicast', options: context }, lines);
      return;
    }
    case 'text': {
      const { exportTextInWorker } = await import('./text-budget');
      yield* exportTextInWorker(lines, undefined, { inputLogged: context.inputLogged });
      return;
    }
  }
}

/** A file name part: letters, digits, dot, dash and underscore only, never empty. */
function safePart(value: string, fallback: string): string {
  const cleaned = value
    .normalize('NFKD')
    .replace(/[\u0300-\u036f]/g, '')
    .replace(/[^A-Za-z0-9._-]+/g, '_')
    .replace(/^[._]+|[._]+$/g, '')
    .slice(0, 64);
  return cleaned || fallback;
}

/**
 * `host_user_20261127T163701Z.cast`: named after the recording's host, user
 * and start (UTC), safe in a Content-Disposition header and on any disk.
 */
export function exportFilename(
  recording: { host: string; user: string; start: string },
  format: ExportFormat,
): string {
  const start = new Date(recording.start);
  const stamp = Number.isNaN(start.getTime())
    ? 'unknown-time'
    : start
        .toISOString()
        .replace(/\.\d{3}Z$/, 'Z')
        .replace(/[-:]/g, '');
  return `${safePart(recording.host, 'host')}_${safePart(recording.user, 'user')}_${stamp}.${EXPORT_TYPES[format].extension}`;
}
