import { z } from 'zod';
import { SORTS, type ListQuery } from '@/lib/sources/types';

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

const single = z
  .union([z.string(), z.array(z.string())])
  .transform((v) => (Array.isArray(v) ? v[0] : v))
  .pipe(z.string().trim().max(256))
  .transform((v) => (v === '' ? undefined : v))
  .optional();

const timeBound = single.pipe(
  z
    .string()
    .optional()
    .refine((v) => v === undefined || parseTimeBound(v, Date.now()) !== null, {
      message: 'must be an ISO 8601 date or a relative time like now-7d',
    }),
);

export const listParamsSchema = z
  .object({
    user: single,
    host: single,
    from: timeBound,
    to: timeBound,
    sort: single.pipe(z.enum(SORTS).default('start:desc')),
    size: single.pipe(
      z
        .string()
        .regex(/^\d{1,4}$/, 'must be a whole number')
        .transform(Number)
        .pipe(z.number().int().min(1).max(500))
        .optional()
        .default(50),
    ),
  })
  .transform(
    (p): ListQuery => {
      const now = Date.now();
      const query: ListQuery = { sort: p.sort, size: p.size };
      if (p.user !== undefined) query.user = p.user;
      if (p.host !== undefined) query.host = p.host;
      const from = p.from === undefined ? null : parseTimeBound(p.from, now);
      const to = p.to === undefined ? null : parseTimeBound(p.to, now);
      if (from !== null) query.fromMs = from;
      if (to !== null) query.toMs = to;
      return query;
    },
  );

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
