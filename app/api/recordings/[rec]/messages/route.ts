import { callerScope } from '@/lib/access';
import { toAppError } from '@/lib/errors';
import { auditedRead, chunkedStream, notFound, recordingRoute } from '@/lib/http';
import { parseMessageRange } from '@/lib/schemas';
import { getSource } from '@/lib/sources';

export const dynamic = 'force-dynamic';

/**
 * The recording's messages as NDJSON, in id order, streamed as they are
 * read; with `from` and `to`, only the ids between (docs/http-api.md).
 */
export const GET = recordingRoute(async (id, request) => {
  const range = parseMessageRange(new URL(request.url).searchParams);
  const messages = await auditedRead(
    'recording-replay',
    id,
    await getSource().messages(await callerScope(), id, request.signal, range),
    range,
  );
  if (!messages) throw notFound();
  // Headers are gone when reading fails: the stream ends with a line that says why.
  const stream = chunkedStream(
    messages.ndjson()[Symbol.asyncIterator](),
    (err) => {
      const error = toAppError(err);
      return `${JSON.stringify({ error: { code: error.code, message: error.message } })}\n`;
    },
    () => messages.close(),
  );
  return new Response(stream, {
    headers: {
      'content-type': 'application/x-ndjson; charset=utf-8',
      'cache-control': 'no-store',
      'x-content-type-options': 'nosniff',
    },
  });
});
