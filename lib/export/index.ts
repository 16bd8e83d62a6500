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

/** The export as chunks. `text` starts its worker only when asked for. */
export async function* exportRecording(
  format: ExportFormat,
  lines: MessageLines,
  context: ExportContext = {},
): AsyncGenerator<string | Uint8Array> {
  switch (format) {
    case 'tlog':
      yield* exportTlog(lines);
      return;
    case 'raw':
      yield* exportRaw(lines);
      return;
    case 'asciicast':
      yield* exportAsciicast(lines, context);
      return;
    case 'text': {
      // The one export that runs a terminal: in a worker, with a budget.
      const { exportTextInWorker } = await import('./text-budget');
      yield* exportTextInWorker(lines);
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
