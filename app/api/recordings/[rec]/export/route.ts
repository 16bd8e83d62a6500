import { callerScope } from '@/lib/access';
import { auditFound } from '@/lib/audit';
import { AppError } from '@/lib/errors';
import {
  EXPORT_FORMATS,
  EXPORT_TYPES,
  exportFilename,
  exportFormatSchema,
  exportRecording,
} from '@/lib/export';
import { handle, notFound, parseRecordingId } from '@/lib/http';
import { getSource } from '@/lib/sources';

export const dynamic = 'force-dynamic';

const encoder = new TextEncoder();
/** Chunks are gathered up to this size before each network write. */
const CHUNK = 64 * 1024;

/**
 * The recording in another format (tlog, asciicast, raw, text), streamed as
 * it is read and converted, as a download named after host, user and start.
 */
export function GET(
  request: Request,
  { params }: { params: Promise<{ rec: string }> },
): Promise<Response> {
  return handle(async () => {
    const id = parseRecordingId((await params).rec);
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
    const lines = await source.messages(scope, id, request.signal);
    if (!lines) throw notFound();

    const startMs = Date.parse(summary.start);
    const chunks = exportRecording(format, lines, {
      title: `${summary.user}@${summary.host}`,
      ...(Number.isNaN(startMs) ? {} : { fallbackStartMs: startMs }),
    });
    const stream = new ReadableStream<Uint8Array>({
      async pull(controller) {
        try {
          const parts: Uint8Array[] = [];
          let size = 0;
          while (size < CHUNK) {
            const next = await chunks.next();
            if (next.done) break;
            const bytes = typeof next.value === 'string' ? encoder.encode(next.value) : next.value;
            parts.push(bytes);
            size += bytes.length;
          }
          if (size > 0)
            controller.enqueue(parts.length === 1 && parts[0] ? parts[0] : concat(parts, size));
          if (size < CHUNK) controller.close();
        } catch (err) {
          // Headers are gone. Unlike NDJSON, an export has no room for an
          // error line: abort the transfer so that a cut file is not taken
          // for a whole one.
          console.error(`export ${format} of ${id} failed:`, err);
          controller.error(err);
        }
      },
      async cancel() {
        await chunks.return(undefined);
      },
    });
    const filename = exportFilename(summary, format);
    return new Response(stream, {
      headers: {
        'content-type': EXPORT_TYPES[format].contentType,
        'content-disposition': `attachment; filename="${filename}"`,
        'cache-control': 'no-store',
        'x-content-type-options': 'nosniff',
      },
    });
  });
}

function concat(parts: Uint8Array[], size: number): Uint8Array {
  const out = new Uint8Array(size);
  let offset = 0;
  for (const part of parts) {
    out.set(part, offset);
    offset += part.length;
  }
  return out;
}
