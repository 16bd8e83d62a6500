import { z } from 'zod';
import { AppError } from '@/lib/errors';
import { readListParams, type RawParams } from '@/lib/list-params';
import { SORTS, type IdRange, type ListQuery } from '@/lib/sources/types';

// Every query parameter is parsed here, where it enters.

const RELATIVE = /^now(?:-(\d{1,6})([smhdw]))?$/;
const UNIT_MS = { s: 1000, m: 60_000, h: 3_600_000, d: 86_400_000, w: 604_800_000 } as const;

function isUnit(unit: string | undefined): unit is keyof typeof UNIT_MS {
  return unit !== undefined && unit in UNIT_MS;
}

/** ISO 8601 or `now`, `now-7d`, ... to Unix ms. */
export function parseTimeBound(value: string, nowMs: number): number | null {
  const relative = RELATIVE.exec(value);
  if (relative) {
    const [, amount, unit] = relative;
    if (!amount || !isUnit(unit)) return nowMs;
    return nowMs - Number(amount) * UNIT_MS[unit];
  }
  if (!/^\d{4}-\d{2}-\d{2}/.test(value)) return null;
  const ms = Date.parse(value);
  return Number.isNaN(ms) ? null : ms;
}

/** One value of a parameter (the first, if it repeats), trimmed; empty is absent. */
export const singleParam = z
  .union([z.string(), z.array(z.string())])
  .transform((v) => (Array.isArray(v) ? v[0] : v))
  .pipe(z.string().trim().max(256))
  .transform((v) => (v === '' ? undefined : v))
  .optional();

/** A parameter that may repeat (`user=a&user=b`): distinct non-empty values. */
const several = z
  .union([z.string(), z.array(z.string())])
  .transform((v) => (Array.isArray(v) ? v : [v]))
  .pipe(z.array(z.string().trim().max(256)).max(50, 'at most 50 values'))
  .transform((list) => [...new Set(list.filter((v) => v !== ''))])
  .optional();

/** A time bound: ISO 8601 or `now-7d`. */
export const timeBoundParam = singleParam.pipe(
  z
    .string()
    .optional()
    .refine((v) => v === undefined || parseTimeBound(v, Date.now()) !== null, {
      message: 'must be an ISO 8601 date or a relative time like now-7d',
    }),
);

const DURATION = /^(?:(\d{1,5})(s|m|h)?|(\d{1,4}):([0-5]\d))$/;

/** `90`, `90s`, `5m`, `2h` or `m:ss` to ms; null when it is none of these. */
export function parseDuration(value: string): number | null {
  const m = DURATION.exec(value.trim());
  if (!m) return null;
  const [, amount, unit, minutes, seconds] = m;
  if (minutes !== undefined) return (Number(minutes) * 60 + Number(seconds)) * 1000;
  return Number(amount) * (unit === 'h' ? 3_600_000 : unit === 'm' ? 60_000 : 1000);
}

const flag = singleParam
  .pipe(z.enum(['1', 'true', '0', 'false']).optional())
  .transform((v) => v === '1' || v === 'true');

/** A list's parameters (lib/list-params.ts, or a plain record) to the query the sources run. */
export const listQuerySchema = z
  .object({
    user: several,
    host: several,
    session: singleParam.pipe(
      z
        .string()
        .regex(/^\d{1,10}$/, 'must be a session number')
        .transform(Number)
        .pipe(z.number().int().max(4294967295, 'must be at most 4294967295'))
        .optional(),
    ),
    from: timeBoundParam,
    to: timeBoundParam,
    min: singleParam.pipe(
      z
        .string()
        .optional()
        .refine((v) => v === undefined || parseDuration(v) !== null, {
          message: 'must be a duration like 90s, 5m, 2h or 1:30',
        }),
    ),
    q: singleParam.pipe(z.string().max(200, 'must be at most 200 characters').optional()),
    cmd: singleParam.pipe(z.string().max(200, 'must be at most 200 characters').optional()),
    sort: singleParam.pipe(z.enum(SORTS).default('start:desc')),
    size: singleParam.pipe(
      z
        .string()
        .regex(/^\d{1,4}$/, 'must be a whole number')
        .transform(Number)
        .pipe(z.number().int().min(1).max(500))
        .optional()
        .default(50),
    ),
    cursor: singleParam.pipe(
      z
        .string()
        .regex(/^[A-Za-z0-9_-]{1,2000}$/, 'not a cursor from this list')
        .optional(),
    ),
    facets: flag,
  })
  .refine(
    (p) => {
      const now = Date.now();
      const from = p.from === undefined ? null : parseTimeBound(p.from, now);
      const to = p.to === undefined ? null : parseTimeBound(p.to, now);
      return from === null || to === null || from <= to;
    },
    { message: 'must not be after to', path: ['from'] },
  )
  .transform((p): ListQuery => {
    const now = Date.now();
    const query: ListQuery = { sort: p.sort, size: p.size };
    if (p.user && p.user.length > 0) query.user = p.user.length === 1 ? (p.user[0] ?? '') : p.user;
    if (p.host && p.host.length > 0) query.host = p.host.length === 1 ? (p.host[0] ?? '') : p.host;
    if (p.session !== undefined) query.session = p.session;
    const from = p.from === undefined ? null : parseTimeBound(p.from, now);
    const to = p.to === undefined ? null : parseTimeBound(p.to, now);
    if (from !== null) query.fromMs = from;
    if (to !== null) query.toMs = to;
    const min = p.min === undefined ? null : parseDuration(p.min);
    if (min !== null && min > 0) query.minDurationMs = min;
    if (p.q !== undefined) query.q = p.q;
    if (p.cmd !== undefined) query.cmd = p.cmd;
    if (p.cursor !== undefined) query.cursor = p.cursor;
    if (p.facets) query.facets = true;
    return query;
  });

/** The list's URL, read once: the parameters as typed (for links) and the query they ask for. */
export function parseListUrl(raw: RawParams) {
  const params = readListParams(raw);
  return { params, query: listQuerySchema.safeParse(params) };
}

/** A bad parameter as the API answers it: 400, naming the first problem. */
export function invalidParameter(error: z.ZodError): AppError {
  const issue = error.issues[0];
  return new AppError(
    'bad_request',
    `Invalid parameter ${issue?.path.join('.') ?? ''}: ${issue?.message ?? 'invalid'}`,
  );
}

/** URLSearchParams (or Next's searchParams object) to a plain record, keeping repeats. */
export function paramsRecord(
  params: URLSearchParams | Record<string, string | string[] | undefined>,
): Record<string, string | string[]> {
  const out: Record<string, string | string[]> = {};
  if (params instanceof URLSearchParams) {
    for (const key of new Set(params.keys())) {
      const all = params.getAll(key);
      out[key] = all.length === 1 && all[0] !== undefined ? all[0] : all;
    }
    return out;
  }
  for (const [key, value] of Object.entries(params)) if (value !== undefined) out[key] = value;
  return out;
}

/** What a list asked for, as the audit trail records it (no paging details). */
export function listAuditParams(query: ListQuery): Record<string, unknown> {
  const { size: _size, cursor: _cursor, facets: _facets, ...asked } = query;
  return asked;
}

const MESSAGE_ID = /^[1-9]\d{0,15}$/;

/**
 * The messages API's `from` and `to` (message ids, both included): the
 * player's re-fetch of output it let go (docs/memory.md). Both or neither;
 * each given once, a whole number from 1 to 2^53 - 1, `from` <= `to`.
 */
export function parseMessageRange(search: URLSearchParams): IdRange | undefined {
  const [from, to] = (['from', 'to'] as const).map((name) => {
    const values = search.getAll(name);
    if (values.length > 1)
      throw new AppError('bad_request', `Invalid parameter ${name}: given twice`);
    const value = values[0];
    if (value === undefined) return undefined;
    const id = MESSAGE_ID.test(value) ? Number(value) : NaN;
    if (!Number.isSafeInteger(id))
      throw new AppError('bad_request', `Invalid parameter ${name}: not a message id (1 or more)`);
    return id;
  });
  if (from === undefined && to === undefined) return undefined;
  if (from === undefined || to === undefined)
    throw new AppError('bad_request', 'Invalid parameters from and to: give both or neither');
  if (from > to)
    throw new AppError('bad_request', 'Invalid parameters from and to: from is above to');
  return { from, to };
}
