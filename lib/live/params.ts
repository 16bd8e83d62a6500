import { z } from 'zod';
import { MAX_MISSING } from './order';

// The query of GET /api/recordings/{rec}/live (docs/http-api.md).

const id = z.number().int().min(0).max(Number.MAX_SAFE_INTEGER);

export const liveParamsSchema = z
  .object({
    /** The last message id the reader holds (0: none). */
    after: z
      .string()
      .regex(/^\d{1,16}$/, 'must be a message id (0 or more)')
      .transform(Number)
      .pipe(id)
      .default(0),
    /** Ids below `after` the reader lacks, comma-separated, at most MAX_MISSING. */
    missing: z
      .string()
      .max(MAX_MISSING * 17)
      .regex(/^(\d{1,16}(,\d{1,16})*)?$/, 'must be message ids, comma-separated')
      .transform((v) => (v === '' ? [] : v.split(',').map(Number)))
      .pipe(z.array(id.min(1)).max(MAX_MISSING, `at most ${MAX_MISSING} ids`))
      .default([]),
  })
  .strict();

export type LiveParams = z.infer<typeof liveParamsSchema>;

/** Parses the query; throws a readable message naming the bad parameter. */
export function parseLiveParams(query: URLSearchParams): LiveParams {
  const keys = [...query.keys()];
  const repeated = keys.find((key, i) => keys.indexOf(key) !== i);
  if (repeated) throw new Error(`${repeated}: give it once`);
  const parsed = liveParamsSchema.safeParse(Object.fromEntries(query));
  if (parsed.success) return parsed.data;
  const issue = parsed.error.issues[0];
  throw new Error(
    issue?.code === 'unrecognized_keys'
      ? `unknown parameter ${issue.keys.join(', ')}`
      : `${issue?.path.join('.') ?? 'query'}: ${issue?.message ?? 'invalid'}`,
  );
}
