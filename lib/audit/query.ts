import { z } from 'zod';
import { parseTimeBound, singleParam as single, timeBoundParam as bound } from '@/lib/schemas';
import { AUDIT_ACTIONS, type AuditAction, type AuditEvent } from './event';

// Filters of the access log (page and API), parsed where they enter.

export interface EventFilter {
  /** An admin's filter: user.name (who they are shown as) or user.id (the identity key) equals this. */
  user?: string;
  /** user.id equals this: how non-admins are held to their own events (scopeFilter). */
  userId?: string;
  actions?: AuditAction[];
  recording?: string;
  fromMs?: number;
  toMs?: number;
  size: number;
  /** Sort values of the last event of the previous page. */
  after?: [string, string];
}

export interface EventPage {
  items: AuditEvent[];
  nextCursor: string | null;
  /**
   * The files sink read only the newest `scannedBytes` of the file (its cap
   * per request, file-scan.ts) and found fewer events than a page: older ones
   * were not searched. Absent when the search was complete.
   */
  partial?: { scannedBytes: number };
}

export function encodeCursor(event: AuditEvent): string {
  return Buffer.from(JSON.stringify([event['@timestamp'], event.event.id])).toString('base64url');
}

const cursorSchema = z.tuple([z.string().max(64), z.string().max(64)]);

function decodeCursor(cursor: string): [string, string] | null {
  try {
    const parsed = cursorSchema.safeParse(
      JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8')),
    );
    return parsed.success ? parsed.data : null;
  } catch {
    return null;
  }
}

export const eventFilterSchema = z
  .object({
    user: single,
    action: single.pipe(z.enum(AUDIT_ACTIONS).optional()),
    recording: single,
    from: bound,
    to: bound,
    cursor: single.refine((v) => v === undefined || decodeCursor(v) !== null, {
      message: 'is not a cursor',
    }),
    size: single.pipe(
      z
        .string()
        .regex(/^\d{1,3}$/, 'must be a whole number')
        .transform(Number)
        .pipe(z.number().int().min(1).max(200))
        .optional(),
    ),
  })
  .transform((p): EventFilter => {
    const now = Date.now();
    const filter: EventFilter = { size: p.size ?? 50 };
    if (p.user) filter.user = p.user;
    if (p.action) filter.actions = [p.action];
    if (p.recording) filter.recording = p.recording;
    if (p.from) filter.fromMs = parseTimeBound(p.from, now) ?? undefined;
    if (p.to) filter.toMs = parseTimeBound(p.to, now) ?? undefined;
    const after = p.cursor ? decodeCursor(p.cursor) : null;
    if (after) filter.after = after;
    return filter;
  });

/** Newest first; ties broken by event id, as both sinks sort. */
export function compareEvents(a: AuditEvent, b: AuditEvent): number {
  if (a['@timestamp'] !== b['@timestamp']) return a['@timestamp'] < b['@timestamp'] ? 1 : -1;
  return a.event.id < b.event.id ? 1 : a.event.id > b.event.id ? -1 : 0;
}

/**
 * What a caller may search: admins everything, anyone else only the events
 * of their own identity, whatever they asked for. By identity key, not by
 * name: a local account and an OpenID Connect user may share a name, and
 * neither may read the other's events. Events from before user.id existed
 * have none, so they are for admins only.
 */
export function scopeFilter(
  caller: { admin: boolean; id: string | null },
  filter: EventFilter,
): EventFilter {
  if (caller.admin) return filter;
  const { user: _asked, ...rest } = filter;
  return { ...rest, userId: caller.id ?? '' };
}

/** The in-memory version of the filter (the files sink; tests compare both). */
export function matchesFilter(event: AuditEvent, filter: EventFilter): boolean {
  if (filter.userId !== undefined && event.user?.id !== filter.userId) return false;
  if (
    filter.user !== undefined &&
    event.user?.name !== filter.user &&
    event.user?.id !== filter.user
  )
    return false;
  if (filter.actions && !filter.actions.includes(event.event.action)) return false;
  if (filter.recording !== undefined && event.auditty.recording !== filter.recording) return false;
  const ms = Date.parse(event['@timestamp']);
  if (filter.fromMs !== undefined && ms < filter.fromMs) return false;
  if (filter.toMs !== undefined && ms > filter.toMs) return false;
  if (filter.after) {
    const [time, id] = filter.after;
    if (event['@timestamp'] > time || (event['@timestamp'] === time && event.event.id >= id))
      return false;
  }
  return true;
}
