import 'server-only';
import { headers } from 'next/headers';
import { currentCaller, type Caller } from '@/lib/access';
import { accessSettings } from '@/lib/auth/config';
import { clientAddress, HEADER } from '@/lib/auth/request';
import { env } from '@/lib/env';
import { AppError } from '@/lib/errors';
import { createClient } from '@/lib/sources/elasticsearch';
import { ElasticsearchAuditSink } from './elasticsearch';
import { DeniedRecorder } from './denied-recorder';
import {
  buildEvent,
  type AuditAction,
  type AuditEvent,
  type AuditOutcome,
  type EventInput,
} from './event';
import { FileAuditSink } from './file';
import { scopeFilter, type EventFilter, type EventPage } from './query';

// The audit trail. Route handlers and pages call audit() after reading and
// before serving: if the event cannot be written, they answer 503 instead of
// serving data nobody would know was seen (fail closed).

export { AUDIT_ACTIONS, VIEW_ACTIONS, type AuditAction, type AuditEvent } from './event';

export interface AuditSink {
  write(event: AuditEvent): Promise<void>;
  search(filter: EventFilter): Promise<EventPage>;
}

let sink: AuditSink | null | undefined;

/** Where events go; null when there is no audit trail (open access without AUDIT_*). */
export function auditSink(): AuditSink | null {
  if (sink !== undefined) return sink;
  const target = accessSettings().audit;
  sink =
    target === null
      ? null
      : target.kind === 'file'
        ? new FileAuditSink(target.file)
        : new ElasticsearchAuditSink(createClient(env()), target.index);
  return sink;
}

export interface AuditDetails {
  recording?: string;
  /** Filters, search text, export format: what was asked for. */
  params?: object;
  outcome?: AuditOutcome;
  reason?: string;
  /** Who, when not the caller of this request (sign-in: the name that was tried). */
  user?: { id?: string; name: string; roles: string[]; via: 'local' | 'oidc' } | null;
  /** The event's time, when the caller needs to know it (a sign-out's is its revocation time). */
  now?: Date;
}

// One per process, on globalThis: Next.js bundles proxy.ts apart from the
// route handlers, and a module-level limiter would exist once in each.
const RECORDER_KEY = '__audittyDeniedRecorder';

function deniedRecorder(): DeniedRecorder {
  const store = globalThis as unknown as Record<string, DeniedRecorder | undefined>;
  store[RECORDER_KEY] ??= new DeniedRecorder({
    write: async (input) => {
      await auditSink()?.write(buildEvent(input));
    },
  });
  return store[RECORDER_KEY];
}

/**
 * Whether an event goes through the limiter (denied.ts): those of requests
 * without a session, which anyone can send at any rate (a denied API call, a
 * failed sign-in, a sign-out with no session). A successful sign-in proved
 * its credentials, and is written (or refused) as it comes.
 */
function limited(input: EventInput, caller: Caller | null): boolean {
  return caller === null && !(input.action === 'sign-in' && input.outcome === 'success');
}

/**
 * Writes one event; throws AppError('audit_unavailable') (503) when it cannot.
 * Events of requests without a session are rate-limited per address: past
 * the limit they are counted into a summary event instead (denied.ts).
 */
export async function writeAuditEvent(
  action: AuditAction,
  details: AuditDetails,
  caller: Caller | null,
  requestHeaders?: Headers,
): Promise<void> {
  const target = auditSink();
  if (!target) return;
  const h = requestHeaders ?? (await headers());
  const who =
    details.user !== undefined
      ? details.user
      : caller?.name
        ? { id: caller.id ?? undefined, name: caller.name, roles: caller.roles, via: caller.via }
        : null;
  const input: EventInput = {
    action,
    outcome: details.outcome ?? 'success',
    ...(details.reason ? { reason: details.reason } : {}),
    user: who ? { ...(who.id ? { id: who.id } : {}), name: who.name, roles: who.roles } : null,
    auth: who?.via ?? (accessSettings().signIn ? 'anonymous' : 'open'),
    address: h.get(HEADER.ip) ?? clientAddress(h),
    url: h.get(HEADER.url) ?? '',
    ...(details.recording ? { recording: details.recording } : {}),
    ...(details.params ? { params: details.params } : {}),
    ...(details.now ? { now: details.now } : {}),
  };
  try {
    if (limited(input, caller)) await deniedRecorder().record(input);
    else await target.write(buildEvent(input));
  } catch (err) {
    console.error(`audit: could not write ${action} event:`, err);
    throw new AppError(
      'audit_unavailable',
      'The audit trail cannot be written, so nothing is served',
      {
        cause: err,
      },
    );
  }
}

/**
 * A request refused for want of a session (proxy.ts), or for a session that
 * no longer counts (then `user` says whose it was): rate-limited per client
 * address like every event without a session. Never throws: the request is
 * refused whether or not its event could be written.
 */
export async function recordDenied(
  reason: string,
  requestHeaders: Headers,
  user?: AuditDetails['user'],
): Promise<void> {
  await writeAuditEvent(
    'access-denied',
    { outcome: 'failure', reason, ...(user ? { user } : {}) },
    null,
    requestHeaders,
  ).catch(() => undefined);
}

/** Records an action of the current caller. */
export async function audit(action: AuditAction, details: AuditDetails = {}): Promise<void> {
  await writeAuditEvent(action, details, await currentCaller());
}

/**
 * Records a read of one recording and passes its result through: success
 * when found, failure when missing or outside the caller's scope (the two
 * are one to the caller; the trail shows the attempt either way).
 */
export async function auditFound<T>(
  action: AuditAction,
  recording: string,
  value: T | null,
  params?: object,
): Promise<T | null> {
  await audit(action, {
    recording,
    ...(params ? { params } : {}),
    outcome: value === null ? 'failure' : 'success',
    ...(value === null ? { reason: 'not found or outside scope' } : {}),
  });
  return value;
}

/** Events for the access log; callers that are not admins see only their own (by identity key). */
export async function searchEvents(caller: Caller, filter: EventFilter): Promise<EventPage> {
  const target = auditSink();
  if (!target) return { items: [], nextCursor: null };
  const scoped = scopeFilter(caller, filter);
  try {
    return await target.search(scoped);
  } catch (err) {
    console.error('audit: could not read events:', err);
    throw new AppError('audit_unavailable', 'The audit trail cannot be read right now', {
      cause: err,
    });
  }
}
