import { requireCaller, sessionRecheck } from '@/lib/access';
import { audit } from '@/lib/audit';
import { AppError } from '@/lib/errors';
import { notFound, recordingRoute } from '@/lib/http';
import { liveHub, streamMaxMs, type FollowEvent } from '@/lib/live';
import { parseLiveParams } from '@/lib/live/params';
import { getSource } from '@/lib/sources';

export const dynamic = 'force-dynamic';

// Live follow (docs/live.md): one long-lived NDJSON response. Each line is a
// tlog message exactly as stored, `{"live":...}` (the state, and the
// heartbeat), or a last `{"end":...}` that says why the stream stopped.

const encoder = new TextEncoder();

function line(event: FollowEvent): string {
  switch (event.kind) {
    case 'message':
      return `${event.message.line}\n`;
    case 'status':
      return `${JSON.stringify({ live: event.status })}\n`;
    case 'problem':
      return `${JSON.stringify({ live: { problem: event.message } })}\n`;
    case 'end':
      return `${JSON.stringify({ end: { reason: event.reason, message: event.message } })}\n`;
  }
}

export const GET = recordingRoute(async (id, request) => {
  let params;
  try {
    params = parseLiveParams(new URL(request.url).searchParams);
  } catch (err) {
    throw new AppError('bad_request', err instanceof Error ? err.message : String(err));
  }
  const caller = await requireCaller();
  const recheck = await sessionRecheck();
  const summary = await getSource().get(caller.scope, id);
  const auditParams = { after: params.after };
  if (!summary) {
    await audit('recording-live', {
      recording: id,
      params: auditParams,
      outcome: 'failure',
      reason: 'not found or outside scope',
    });
    throw notFound();
  }
  const follower = liveHub().follow({
    recordingId: id,
    who: caller.id ?? '',
    afterId: params.after,
    // Ids run from 1, and `gaps` counts those below the last that are not there.
    lastKnownId: summary.messages + summary.gaps,
    missing: params.missing,
    lastEventMs: Date.parse(summary.end),
    authorize: recheck,
  });
  try {
    // Nothing is served unlogged.
    await audit('recording-live', { recording: id, params: auditParams, outcome: 'success' });
  } catch (err) {
    follower.close();
    throw err;
  }
  if (request.signal.aborted) follower.close();
  request.signal.addEventListener('abort', () => follower.close(), { once: true });
  // A bounded lifetime: proxies that cap a connection's length never cut one
  // mid-line, and each reconnect checks the caller afresh.
  const rotate = setTimeout(() => follower.end('rotate'), streamMaxMs());
  rotate.unref();
  const stream = new ReadableStream<Uint8Array>({
    // Pulled: a reader that does not read lets the follower's queue grow, and
    // one that falls far behind is cut off (it reconnects after its last id).
    async pull(controller) {
      const events = await follower.next();
      const text = events.map(line).join('');
      if (text !== '') controller.enqueue(encoder.encode(text));
      if (events.some((e) => e.kind === 'end') || (events.length === 0 && follower.closed)) {
        clearTimeout(rotate);
        controller.close();
      }
    },
    cancel() {
      clearTimeout(rotate);
      follower.close();
    },
  });
  return new Response(stream, {
    headers: {
      'content-type': 'application/x-ndjson; charset=utf-8',
      // no-transform: compression would hold lines back until a buffer fills.
      'cache-control': 'no-store, no-transform',
      'x-accel-buffering': 'no',
      'x-content-type-options': 'nosniff',
    },
  });
});
