import 'server-only';
import { AppError, toAppError } from '@/lib/errors';
import { recordingIdSchema } from '@/lib/sources/ids';

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

export function parseRecordingId(value: string): string {
  const parsed = recordingIdSchema.safeParse(value);
  if (!parsed.success) throw new AppError('bad_request', 'Invalid recording id');
  return parsed.data;
}

export function notFound(): AppError {
  return new AppError('not_found', 'No such recording');
}
