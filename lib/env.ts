import 'server-only';
import path from 'node:path';
import { isIP } from 'node:net';
import { z } from 'zod';
import { isLoopback } from '@/lib/net/loopback';

// Validated configuration (docs/architecture.md, "Configuration" and "Access"). Read once.

const optional = z
  .string()
  .trim()
  .transform((v) => (v === '' ? undefined : v))
  .optional();

const httpUrl = z.url({ protocol: /^https?$/ });

const schema = z
  .object({
    ES_URL: optional.pipe(httpUrl.optional()),
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
    /** Which product ES_URL is (lib/sources/elasticsearch/backend.ts): asked of the cluster unless set. */
    ES_BACKEND: optional.pipe(
      z
        .enum(['auto', 'elasticsearch', 'opensearch'], {
          message: 'must be "auto" (the default), "elasticsearch" or "opensearch"',
        })
        .default('auto'),
    ),
    RECORDINGS_DIR: optional,
    /** The recording summaries index auditty owns (docs/architecture.md, "Recording summaries"). */
    SUMMARY_INDEX: optional.pipe(
      z
        .string()
        .regex(/^[a-z0-9][a-z0-9_.-]{0,200}$/, 'must be an index name (lower case, no wildcards)')
        .default('auditty-summaries'),
    ),
    /** `server`: this instance keeps the summaries current; `off`: another does (auditty summarize). */
    SUMMARIZER: optional.pipe(
      z
        .enum(['server', 'off'], { message: 'must be "server" (the default) or "off"' })
        .default('server'),
    ),
    /** ms between summarizer rounds: a new message is in the list within about two rounds. */
    SUMMARY_INTERVAL_MS: z.coerce.number().int().min(200).max(60_000).default(2000),
    /** `on`: the summarizer adds ended recordings' command timelines to their summaries (`cmd=`). */
    SUMMARY_COMMANDS: optional.pipe(
      z.enum(['on', 'off'], { message: 'must be "on" (the default) or "off"' }).default('on'),
    ),

    /** MiB of a recording's output the player holds in the page at most (docs/memory.md). */
    OUTPUT_BUDGET_MB: z.coerce.number().int().min(16).max(8192).default(256),

    /** ms the recording page waits for its still frame (docs/still-frame.md); 0: none. */
    STILL_FRAME_WAIT_MS: z.coerce.number().int().min(0).max(5000).default(250),

    // Live follow (docs/live.md).
    /** ms between polls of a followed recording (one poll per recording, shared by its viewers). */
    LIVE_POLL_MS: z.coerce.number().int().min(200).max(10_000).default(1000),
    /** ms a message waits for a missing id before it, before the player shows a gap. */
    LIVE_GAP_WAIT_MS: z.coerce.number().int().min(0).max(600_000).default(5000),
    /** Seconds without a new message before a live view says "no new output". */
    LIVE_IDLE_SECONDS: z.coerce.number().int().min(1).max(86_400).default(30),
    /** Seconds without a new message before a live view says "ended" and stops following. */
    LIVE_END_SECONDS: z.coerce.number().int().min(2).max(604_800).default(120),
    /** Seconds a live stream lasts before the server closes it and the browser reconnects (after its last id). */
    LIVE_STREAM_MAX_SECONDS: z.coerce.number().int().min(1).max(86_400).default(600),
    /** Live streams open at once on this instance, and per user. */
    LIVE_MAX_STREAMS: z.coerce.number().int().min(1).max(100_000).default(200),
    LIVE_MAX_PER_USER: z.coerce.number().int().min(1).max(1000).default(10),

    // Sign-in. Configured = AUTH_ISSUER (OpenID Connect) and/or AUTH_USERS_FILE (local accounts).
    AUTH_MODE: optional.pipe(
      z.enum(['none'], { message: 'the only value is "none" (explicit open access)' }).optional(),
    ),
    AUTH_SECRET: optional.pipe(
      z.string().min(32, 'must be at least 32 characters (openssl rand -base64 32)').optional(),
    ),
    AUTH_ISSUER: optional.pipe(httpUrl.optional()),
    AUTH_CLIENT_ID: optional,
    AUTH_CLIENT_SECRET: optional,
    AUTH_SCOPES: optional.pipe(
      z
        .string()
        .regex(/(^|\s)openid(\s|$)/, 'must include openid')
        .default('openid profile email'),
    ),
    AUTH_GROUPS_CLAIM: optional.pipe(z.string().max(100).default('groups')),
    AUTH_USERNAME_CLAIM: optional.pipe(z.string().max(100).default('preferred_username')),
    AUTH_PROVIDER_NAME: optional.pipe(z.string().max(60).default('single sign-on')),
    /** The public base URL (https://auditty.example.com): OIDC redirect URI, Secure cookies, HSTS. */
    AUTH_URL: optional.pipe(httpUrl.optional()),
    /** Reverse proxies whose X-Forwarded-For is believed: addresses and CIDR ranges, comma-separated. */
    AUTH_TRUSTED_PROXIES: optional.pipe(
      z
        .string()
        .refine(
          (v) =>
            v
              .split(',')
              .map((s) => s.trim())
              .filter(Boolean)
              .every((entry) => {
                const [address = '', bits, extra] = entry.split('/');
                const family = isIP(address);
                if (family === 0 || extra !== undefined) return false;
                if (bits === undefined) return true;
                const n = Number(bits);
                return /^\d{1,3}$/.test(bits) && n <= (family === 6 ? 128 : 32);
              }),
          { message: 'must be IP addresses or CIDR ranges (10.0.0.0/8, ::1), comma-separated' },
        )
        .optional(),
    ),
    AUTH_USERS_FILE: optional,
    AUTH_POLICY_FILE: optional,
    AUTH_SESSION_HOURS: optional
      .pipe(
        z
          .string()
          .regex(/^\d{1,3}(\.\d{1,3})?$/, 'must be a number of hours')
          .transform(Number)
          .pipe(z.number().min(0.05).max(720))
          .optional(),
      )
      .transform((v) => v ?? 8),
    /**
     * OpenID Connect groups are read at sign-in; a session whose groups are
     * older than this no longer counts, so roles given by groups are at most
     * this old. One minute to 30 days.
     */
    AUTH_GROUPS_MAX_AGE_MINUTES: optional
      .pipe(
        z
          .string()
          .regex(/^\d{1,5}$/, 'must be a whole number of minutes')
          .transform(Number)
          .pipe(
            z
              .number()
              .int()
              .min(1, 'must be 1 to 43200 minutes')
              .max(43_200, 'must be 1 to 43200 minutes'),
          )
          .optional(),
      )
      .transform((v) => v ?? 60),

    // Audit trail.
    AUDIT_INDEX: optional.pipe(
      z
        .string()
        .regex(/^[a-z0-9][a-z0-9_.-]{0,200}$/, 'must be an index name (lower case, no wildcards)')
        .default('auditty-audit'),
    ),
    AUDIT_LOG_FILE: optional,
  })
  .superRefine((env, ctx) => {
    const problem = (field: string, message: string) =>
      ctx.addIssue({ code: 'custom', path: [field], message });
    if (env.LIVE_END_SECONDS <= env.LIVE_IDLE_SECONDS)
      problem('LIVE_END_SECONDS', 'must be longer than LIVE_IDLE_SECONDS');
    if (env.ES_USERNAME && !env.ES_PASSWORD)
      problem('ES_PASSWORD', 'ES_USERNAME needs ES_PASSWORD');
    const signIn = Boolean(env.AUTH_ISSUER || env.AUTH_USERS_FILE);
    if (env.AUTH_MODE === 'none' && signIn) {
      problem(
        'AUTH_MODE',
        '"none" (open access) contradicts AUTH_ISSUER / AUTH_USERS_FILE: choose one',
      );
    }
    if (signIn && !env.AUTH_SECRET) {
      problem(
        'AUTH_SECRET',
        'sign-in needs AUTH_SECRET to seal session cookies (openssl rand -base64 32)',
      );
    }
    if (env.AUTH_ISSUER && !env.AUTH_CLIENT_ID)
      problem('AUTH_CLIENT_ID', 'AUTH_ISSUER needs AUTH_CLIENT_ID');
    if (env.AUTH_ISSUER?.startsWith('http:') && !isLoopback(new URL(env.AUTH_ISSUER).hostname)) {
      problem(
        'AUTH_ISSUER',
        'must be https (plain http only for a provider on loopback, in tests)',
      );
    }
    if (signIn && !env.ES_URL && !env.AUDIT_LOG_FILE) {
      problem(
        'AUDIT_LOG_FILE',
        'sign-in on the files source needs AUDIT_LOG_FILE (where the audit trail goes)',
      );
    }
  });

type Parsed = z.infer<typeof schema>;
export type Env = Parsed & { RECORDINGS_DIR: string };

/** Parses an environment; throws an Error naming every bad variable. */
export function parseEnv(source: Record<string, string | undefined>): Env {
  const parsed = schema.safeParse(source);
  if (!parsed.success) {
    const problems = parsed.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`);
    throw new Error(`Invalid configuration: ${problems.join('; ')}`);
  }
  const resolve = (file: string) => path.resolve(/*turbopackIgnore: true*/ file);
  const data = parsed.data;
  return {
    ...data,
    // Decided at run time, never traced into the build.
    RECORDINGS_DIR: resolve(data.RECORDINGS_DIR ?? 'samples'),
    ...(data.AUTH_USERS_FILE ? { AUTH_USERS_FILE: resolve(data.AUTH_USERS_FILE) } : {}),
    ...(data.AUTH_POLICY_FILE ? { AUTH_POLICY_FILE: resolve(data.AUTH_POLICY_FILE) } : {}),
    ...(data.AUDIT_LOG_FILE ? { AUDIT_LOG_FILE: resolve(data.AUDIT_LOG_FILE) } : {}),
  };
}

let cached: Env | undefined;

export function env(): Env {
  cached ??= parseEnv(process.env);
  return cached;
}
