import { callerScope } from '@/lib/access';
import { auditFound } from '@/lib/audit';
import { AppError } from '@/lib/errors';
import {
  EXPORT_FORMATS,
  EXPORT_TYPES,
  TERMINAL_FORMATS,
  exportFilename,
  exportFormatSchema,
  exportRecording,
} from '@/lib/export';
import { reserveTextExport } from '@/lib/export/text-budget';
import { chunkedStream, notFound, recordingRoute } from '@/lib/http';
import { getSource } from '@/lib/sources';

export const dynamic = 'force-dynamic';

/**
 * The recording in another format (tlog, asciicast, raw, text), streamed as
 * it is read and converted, as a download named after host, user and start.
 */
export const GET = recordingRoute(async (id, request) => {
  const parsed = exportFormatSchema.safeParse(new URL(request.url).searchParams.get('format'));
  if (!parsed.success) {
    throw new AppError(
      'bad_request',
      `Parameter "format" must be one of: ${EXPORT_FORMATS.join(', ')}`,
    );
  }
  const format = parsed.data;
  const scope = await callerScope();
  const source = getSource();
  // The export is an audit event, written before any of it is served.
  const summary = await auditFound('recording-export', id, await source.get(scope, id), {
    format,
  });
  if (!summary) throw notFound();
  // Text and asciicast (its command markers) run a terminal in a worker
  // (lib/export/text-budget.ts): a place among them first, or a 503 now
  // rather than a cut download later.
  const release = TERMINAL_FORMATS.includes(format) ? await reserveTextExport() : () => undefined;
  const lines = await source.messages(scope, id, request.signal).catch((err: unknown) => {
    release();
    throw err;
  });
  if (!lines) {
    release();
    throw notFound();
  }

  const startMs = Date.parse(summary.start);
  const chunks = exportRecording(format, lines, {
    title: `${summary.user}@${summary.host}`,
    inputLogged: summary.hasInput,
    ...(Number.isNaN(startMs) ? {} : { fallbackStartMs: startMs }),
  });
  // Unlike NDJSON, an export has no room for an error line: a failure
  // aborts the transfer, so that a cut file is not taken for a whole one.
  const stream = chunkedStream(
    chunks,
    (err) => {
      console.error(`export ${format} of ${id} failed:`, err);
      return null;
    },
    async () => {
      release();
      await lines.close();
    },
  );
  return new Response(stream, {
    headers: {
      'content-type': EXPORT_TYPES[format].contentType,
      'content-disposition': `attachment; filename="${exportFilename(summary, format)}"`,
      'cache-control': 'no-store',
      'x-content-type-options': 'nosniff',
    },
  });
});
