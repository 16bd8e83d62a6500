import { callerScope } from '@/lib/access';
import { auditFound } from '@/lib/audit';
import { toAppError } from '@/lib/errors';
import { handle, notFound, parseRecordingId } from '@/lib/http';
import { getSource } from '@/lib/sources';

export const dynamic = 'force-dynamic';

const encoder = new TextEncoder();

/** The recording's messages as NDJSON, in id order, streamed as they are read. */
export function GET(
  request: Request,
  { params }: { params: Promise<{ rec: string }> },
): Promise<Response> {
  return handle(async () => {
    const id = parseRecordingId((await params).rec);
    const messages = await auditFound(
      'recording-replay',
      id,
      await getSource().messages(await callerScope(), id, request.signal),
    );
    if (!messages) throw notFound();
    const iterator = messages[Symbol.asyncIterator]();
    const stream = new ReadableStream<Uint8Array>({
      async pull(controller) {
        try {
          // Batch lines so each chunk is worth a network write.
          let chunk = '';
          while (chunk.length < 64 * 1024) {
            const next = await iterator.next();
            if (next.done) {
              if (chunk) controller.enqueue(encoder.encode(chunk));
              controller.close();
              return;
            }
            chunk += `${next.value}\n`;
          }
          controller.enqueue(encoder.encode(chunk));
        } catch (err) {
          // Headers are gone: end the stream with a last line that says why.
          const error = toAppError(err);
          controller.enqueue(
            encoder.encode(
              `${JSON.stringify({ error: { code: error.code, message: error.message } })}\n`,
            ),
          );
          controller.close();
        }
      },
      async cancel() {
        await iterator.return?.();
      },
    });
    return new Response(stream, {
      headers: {
        'content-type': 'application/x-ndjson; charset=utf-8',
        'cache-control': 'no-store',
        'x-content-type-options': 'nosniff',
      },
    });
  });
}
