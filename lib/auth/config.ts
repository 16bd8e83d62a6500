import 'server-only';
import { promises as fs } from 'node:fs';
import { env } from '@/lib/env';
import type { BlockList } from 'node:net';
import { FileCache } from './file-cache';
import { DEFAULT_POLICY, parsePolicy, type Policy } from './policy';
import { trustedProxies } from './request';

// Access configuration derived from the validated environment.

export interface OidcSettings {
  issuer: URL;
  clientId: string;
  clientSecret: string | undefined;
  scopes: string;
  groupsClaim: string;
  usernameClaim: string;
  providerName: string;
}

export interface AccessSettings {
  /** Sign-in configured: every page and API call needs a session. */
  signIn: boolean;
  /** AUTH_MODE=none: open access chosen explicitly. */
  explicitlyOpen: boolean;
  secret: string;
  sessionSeconds: number;
  /**
   * AUTH_GROUPS_MAX_AGE_MINUTES: how old an OpenID Connect session's groups
   * (read from the provider at sign-in) may be before it no longer counts.
   */
  groupsMaxAgeMs: number;
  oidc: OidcSettings | null;
  usersFile: string | null;
  policyFile: string | null;
  publicUrl: URL | null;
  /** AUTH_TRUSTED_PROXIES: whose X-Forwarded-For names the client (auth/request.ts clientAddress). */
  trustedProxies: BlockList;
  /** Where audit events go; null when there is no audit trail (open access without AUDIT_*). */
  audit: { kind: 'elasticsearch'; index: string } | { kind: 'file'; file: string } | null;
}

export function accessSettings(): AccessSettings {
  const e = env();
  const signIn = Boolean(e.AUTH_ISSUER || e.AUTH_USERS_FILE);
  // Open access keeps the quick start as it was: no trail unless asked for.
  const auditAsked = signIn || Boolean(process.env.AUDIT_INDEX?.trim() || e.AUDIT_LOG_FILE);
  // AUDIT_LOG_FILE wins in either mode (for sites that ship files); else the index.
  const audit = !auditAsked
    ? null
    : e.AUDIT_LOG_FILE
      ? { kind: 'file' as const, file: e.AUDIT_LOG_FILE }
      : e.ES_URL
        ? { kind: 'elasticsearch' as const, index: e.AUDIT_INDEX }
        : null;
  return {
    signIn,
    explicitlyOpen: e.AUTH_MODE === 'none',
    secret: e.AUTH_SECRET ?? '',
    sessionSeconds: Math.round(e.AUTH_SESSION_HOURS * 3600),
    groupsMaxAgeMs: e.AUTH_GROUPS_MAX_AGE_MINUTES * 60_000,
    oidc:
      e.AUTH_ISSUER && e.AUTH_CLIENT_ID
        ? {
            issuer: new URL(e.AUTH_ISSUER),
            clientId: e.AUTH_CLIENT_ID,
            clientSecret: e.AUTH_CLIENT_SECRET,
            scopes: e.AUTH_SCOPES,
            groupsClaim: e.AUTH_GROUPS_CLAIM,
            usernameClaim: e.AUTH_USERNAME_CLAIM,
            providerName: e.AUTH_PROVIDER_NAME,
          }
        : null,
    usersFile: e.AUTH_USERS_FILE ?? null,
    policyFile: e.AUTH_POLICY_FILE ?? null,
    publicUrl: e.AUTH_URL ? new URL(e.AUTH_URL) : null,
    trustedProxies: trustedProxies(e.AUTH_TRUSTED_PROXIES),
    audit,
  };
}

export async function loadPolicyFile(file: string): Promise<Policy> {
  const text = await fs.readFile(/*turbopackIgnore: true*/ file, 'utf8').catch((err: unknown) => {
    throw new Error(
      `AUTH_POLICY_FILE ${file}: ${err instanceof Error ? err.message : String(err)}`,
    );
  });
  return parsePolicy(text, `AUTH_POLICY_FILE ${file}`);
}

const policies = new FileCache<Policy>((text, file) =>
  parsePolicy(text, `AUTH_POLICY_FILE ${file}`),
);

/**
 * The policy in force, read again when its file changes, also by an edit
 * that keeps its size and mtime (file-cache.ts). A file that turns invalid
 * while auditty runs throws (every request then fails, logged), rather than
 * leaving the old access in place unnoticed.
 */
export async function currentPolicy(): Promise<Policy> {
  const file = accessSettings().policyFile;
  if (!file) return DEFAULT_POLICY;
  return policies.get(file);
}
