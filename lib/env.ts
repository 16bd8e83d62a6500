import 'server-only';
import path from 'node:path';
import { z } from 'zod';

// Validated configuration (shared/DESIGN.md, "Configuration"). Read once.

const optional = z
  .string()
  .trim()
  .transform((v) => (v === '' ? undefined : v))
  .optional();

const schema = z
  .object({
    ES_URL: optional.pipe(z.url({ protocol: /^https?$/ }).optional()),
    ES_INDEX: z
      .string()
      .trim()
      .regex(/^[a-z0-9*_.,+-]{1,255}$/, 'must be an index name or pattern (lower case)')
      .default('tlog-*'),
    ES_API_KEY: optional,
    ES_USERNAME: optional,
    ES_PASSWORD: optional,
    ES_CA_FILE: optional,
    ES_REQUEST_TIMEOUT_MS: z.coerce.number().int().min(100).max(600_000).default(30_000),
    RECORDINGS_DIR: optional,
  })
  .refine((env) => !(env.ES_USERNAME && !env.ES_PASSWORD), {
    message: 'ES_USERNAME needs ES_PASSWORD',
    path: ['ES_PASSWORD'],
  });

export type Env = z.infer<typeof schema> & { RECORDINGS_DIR: string };

let cached: Env | undefined;

export function env(): Env {
  if (cached) return cached;
  const parsed = schema.safeParse(process.env);
  if (!parsed.success) {
    const problems = parsed.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`);
    throw new Error(`Invalid configuration: ${problems.join('; ')}`);
  }
  cached = {
    ...parsed.data,
    // Decided at run time, never traced into the build.
    RECORDINGS_DIR: path.resolve(/*turbopackIgnore: true*/ parsed.data.RECORDINGS_DIR ?? 'samples'),
  };
  return cached;
}
