import { z } from 'zod';
import { MAX_PATTERN_UNITS, patternProblem } from '@/lib/sources/glob';
import { USER_NAME } from './users-file';

// The access policy (AUTH_POLICY_FILE): roles with host and user patterns,
// and which roles provider groups and named people get. For example
//   {"roles": {"dba": {"hosts": ["db-*"], "users": ["*"]},
//              "admin": {"hosts": ["*"], "users": ["*"], "admin": true}},
//    "groups": {"sec-dba": ["dba"]},
//    "users": {"alice": ["admin"]},
//    "oidcUsers": {"bob@example.com": ["dba"]}}
// Each kind of identity has its own section: `users` names local accounts,
// `oidcUsers` OpenID Connect users (by their AUTH_USERNAME_CLAIM value),
// and `groups` are provider groups, so OpenID Connect users only. A local
// account and a provider user of the same name are two people, and neither
// gets the other's roles. Unknown keys are errors, so that a typo ("host")
// cannot silently widen or narrow anyone's access.

const NAME = /^[A-Za-z0-9][A-Za-z0-9_.@-]{0,63}$/;

// Patterns are globs (lib/sources/glob.ts); what would not mean the same on
// Elasticsearch and on files is refused here, naming the pattern. Config
// only, never request input, but checked as if it were untrusted.
const pattern = z
  .string()
  .min(1, 'a pattern cannot be empty')
  .max(MAX_PATTERN_UNITS, `a pattern is at most ${MAX_PATTERN_UNITS} characters`)
  .superRefine((p, ctx) => {
    const problem = [...p].some((c) => c < ' ')
      ? 'a pattern cannot hold control characters'
      : patternProblem(p);
    // Quoted as the policy file writes it, U+FFFD spelled out.
    const quoted = JSON.stringify(p).replaceAll('\uFFFD', '\\ufffd');
    if (problem) ctx.addIssue({ code: 'custom', message: `${quoted}: ${problem}` });
  });

/**
 * Patterns of one role, hosts and users together: each is one clause of
 * every query, and Elasticsearch refuses a query of more than 1024 clauses
 * on its smallest nodes (the rest of a list's query takes a few).
 */
const MAX_ROLE_PATTERNS = 500;

const roleSchema = z
  .strictObject({
    hosts: z.array(pattern).max(MAX_ROLE_PATTERNS),
    users: z.array(pattern).max(MAX_ROLE_PATTERNS),
    admin: z.boolean().optional(),
    description: z.string().max(500).optional(),
  })
  .refine((role) => role.hosts.length + role.users.length <= MAX_ROLE_PATTERNS, {
    message: `a role has at most ${MAX_ROLE_PATTERNS} patterns in hosts and users together`,
  });

const roleList = z.array(z.string()).max(100);

const policySchema = z.strictObject({
  roles: z.record(z.string(), roleSchema),
  /** Provider groups (OpenID Connect users only: local accounts have none). */
  groups: z.record(z.string().min(1).max(256), roleList).optional(),
  /** Local account names, as in AUTH_USERS_FILE (checked in parsePolicy, naming the key). */
  users: z.record(z.string().min(1).max(256), roleList).optional(),
  /** OpenID Connect users, by the value of their AUTH_USERNAME_CLAIM claim. */
  oidcUsers: z.record(z.string().min(1).max(256), roleList).optional(),
});

export type Role = z.infer<typeof roleSchema>;
export interface Policy {
  roles: Record<string, Role>;
  groups: Record<string, string[]>;
  users: Record<string, string[]>;
  oidcUsers: Record<string, string[]>;
}

/** Without AUTH_POLICY_FILE: one role, `admin`, that sees everything (for local accounts). */
export const DEFAULT_POLICY: Policy = {
  roles: {
    admin: {
      hosts: ['*'],
      users: ['*'],
      admin: true,
      description: 'everything, and the access log',
    },
  },
  groups: {},
  users: {},
  oidcUsers: {},
};

export class PolicyError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'PolicyError';
  }
}

function where(path: PropertyKey[]): string {
  return path
    .map((p) => (typeof p === 'number' ? `[${p}]` : `.${String(p)}`))
    .join('')
    .replace(/^\./, '');
}

/** Parses and checks a policy; errors name the file and the bad entry. */
export function parsePolicy(text: string, origin = 'policy'): Policy {
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (err) {
    throw new PolicyError(
      `${origin}: not JSON (${err instanceof Error ? err.message : String(err)})`,
    );
  }
  const parsed = policySchema.safeParse(json);
  if (!parsed.success) {
    const problems = parsed.error.issues
      .slice(0, 5)
      .map((issue) => `${where(issue.path) || 'top level'}: ${issue.message}`);
    throw new PolicyError(`${origin}: ${problems.join('; ')}`);
  }
  for (const name of Object.keys(parsed.data.roles)) {
    if (!NAME.test(name)) {
      throw new PolicyError(
        `${origin}: roles.${name}: role names are 1-64 letters, digits, _ . @ - (starting with a letter or digit)`,
      );
    }
  }
  const policy: Policy = {
    roles: parsed.data.roles,
    groups: parsed.data.groups ?? {},
    users: parsed.data.users ?? {},
    oidcUsers: parsed.data.oidcUsers ?? {},
  };
  for (const name of Object.keys(policy.users)) {
    if (!USER_NAME.test(name)) {
      throw new PolicyError(
        `${origin}: users.${name}: users names local accounts (1-64 letters, digits, _ . @ -); OpenID Connect users go in oidcUsers`,
      );
    }
  }
  for (const section of ['groups', 'users', 'oidcUsers'] as const) {
    for (const [key, roles] of Object.entries(policy[section])) {
      roles.forEach((role, i) => {
        if (!Object.hasOwn(policy.roles, role)) {
          throw new PolicyError(`${origin}: ${section}.${key}[${i}]: unknown role "${role}"`);
        }
      });
    }
  }
  return policy;
}

const listed = (section: Record<string, string[]>, key: string): string[] =>
  Object.hasOwn(section, key) ? (section[key] ?? []) : [];

/**
 * The roles of a caller, from the sections of their kind only: a local
 * account's roles (users file) and `users`; an OpenID Connect user's
 * `oidcUsers` entry and their provider groups' `groups` entries.
 */
export function rolesFor(
  policy: Policy,
  who:
    | { via: 'local'; name: string; accountRoles: string[] }
    | { via: 'oidc'; name: string; groups: string[] },
): string[] {
  const roles = new Set<string>();
  if (who.via === 'local') {
    for (const role of who.accountRoles) roles.add(role);
    for (const role of listed(policy.users, who.name)) roles.add(role);
  } else {
    for (const role of listed(policy.oidcUsers, who.name)) roles.add(role);
    for (const group of who.groups)
      for (const role of listed(policy.groups, group)) roles.add(role);
  }
  // A role the policy no longer has grants nothing.
  return [...roles].filter((role) => Object.hasOwn(policy.roles, role)).sort();
}
