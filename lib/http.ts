import 'server-only';
import { auditFound, type AuditAction } from '@/lib/audit';
import { accessSettings } from '@/lib/auth/config';
import { isCrossSite, isCrossSiteRead, siteOrigin } from '@/lib/auth/request';
import { AppError, toAppError } from '@/lib/errors';
import { recordingIdSchema } from '@/lib/sources/ids';
import { concatBytes } from '@/lib/tlog/bytes';

// API responses: JSON bodies and the `{"error":{"code","message"}}` shape.

export function jsonError(err: unknown): Response {
  const error = toAppError(err);
  if (error.code === 'internal') console.error('internal error:', error.cause ?? error);
  return Response.json(
    { error: { code: error.code, message: error.message } },
    { status: error.status, headers: { 'cache-control': 'no-store' } },
  );
}

/** Runs a handler, turning any throw into the API's error shape. */
export async function handle(run: () => Promise<Response>): Promise<Response> {
  try {
    return await run();
  } catch (err) {
    return jsonError(err);
  }
}

/** A route under /api/recordings/{rec}: the id is checked before `run` sees it. */
export function recordingRoute(run: (id: string, request: Request) => Promise<Response>) {
  return (request: Request, { params }: { params: Promise<{ rec: string }> }): Promise<Response> =>
    handle(async () => run(parseRecordingId((await params).rec), request));
}

/**
 * Records the read of a recording's messages (auditFound), closing them when
 * the event cannot be written: nothing is served unlogged, and nothing the
 * read holds (Elasticsearch's point in time) is left open.
 */
export async function auditedRead<T extends { close(): Promise<void> }>(
  action: AuditAction,
  id: string,
  stream: T | null,
  params?: object,
): Promise<T | null> {
  try {
    return await auditFound(action, id, stream, params);
  } catch (err) {
    await stream?.close();
    throw err;
  }
}

/** Chunks are gathered up to this size before each network write. */
const STREAM_CHUNK = 64 * 1024;
const encoder = new TextEncoder();

/**
 * A response body from chunks produced as the recording is read, gathered
 * into writes worth a network packet. A failure after the headers left goes
 * to `onError`: it returns a last chunk that says why (NDJSON's error line),
 * or null to abort the transfer so that a cut file is not taken for a whole
 * one. Cancelling (the client went away) stops the producer.
 */
export function chunkedStream(
  chunks: AsyncIterator<string | Uint8Array>,
  onError: (err: unknown) => string | null,
  /** Called once when the stream ends, fails or is cancelled: frees what the chunks hold. */
  finish: () => unknown = () => undefined,
): ReadableStream<Uint8Array> {
  let finished = false;
  const done = async () => {
    if (finished) return;
    finished = true;
    await finish();
  };
  return new ReadableStream<Uint8Array>({
    async pull(controller) {
      const parts: Uint8Array[] = [];
      let size = 0;
      const send = () => {
        if (size > 0) controller.enqueue(concatBytes(parts, size));
      };
      try {
        while (size < STREAM_CHUNK) {
          const next = await chunks.next();
          if (next.done) {
            send();
            controller.close();
            await done();
            return;
          }
          const bytes = typeof next.value === 'string' ? encoder.encode(next.value) : next.value;
          parts.push(bytes);
          size += bytes.length;
        }
        send();
      } catch (err) {
        const last = onError(err);
        if (last === null) {
          controller.error(err);
        } else {
          send();
          controller.enqueue(encoder.encode(last));
          controller.close();
        }
        await done();
      }
    },
    async cancel() {
      await chunks.return?.();
      await done();
    },
  });
}

export function parseRecordingId(value: string): string {
  const parsed = recordingIdSchema.safeParse(value);
  if (!parsed.success) throw new AppError('bad_request', 'Invalid recording id');
  return parsed.data;
}

export function notFound(): AppError {
  return new AppError('not_found', 'No such recording');
}

/**
 * The 403 for a request another site made a browser send (auth/request.ts
 * isCrossSite), or null for one this site may answer.
 */
export function crossSiteRefusal(request: Request): Response | null {
  const { publicUrl } = accessSettings();
  const { headers, method } = request;
  const read = method === 'GET' || method === 'HEAD';
  const refused = read
    ? isCrossSiteRead(new URL(request.url).pathname, headers)
    : isCrossSite(method, headers, siteOrigin(headers, publicUrl));
  return refused ? jsonError(new AppError('forbidden', 'Cross-site request refused')) : null;
}
