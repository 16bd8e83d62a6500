import 'server-only';
import { env } from '@/lib/env';
import { accessSettings, loadPolicyFile } from './config';
import { DEFAULT_POLICY } from './policy';
import { readUsersFile } from './users-file';

// Checked once when the server starts (instrumentation.ts) and by the CLI:
// a bad variable, policy entry or account stops auditty with a message that
// names it, instead of failing requests later.

/** Throws on the first problem; returns one line that describes access. */
export async function checkAccessConfig(): Promise<string> {
  env();
  const settings = accessSettings();
  const policy = settings.policyFile ? await loadPolicyFile(settings.policyFile) : DEFAULT_POLICY;
  // Each section names one kind of identity. One for a kind that cannot sign
  // in here may be a shared policy, or one written when `users` also named
  // provider users (before oidcUsers): said at start, since it gives nobody
  // anything here.
  const origin = `AUTH_POLICY_FILE ${settings.policyFile}`;
  if (Object.keys(policy.users).length > 0 && !settings.usersFile) {
    console.warn(
      `auditty: ${origin}: users names local accounts, and AUTH_USERS_FILE is not set, so it gives no one anything; OpenID Connect users go in oidcUsers (by their ${settings.oidc?.usernameClaim ?? 'AUTH_USERNAME_CLAIM'} value)`,
    );
  }
  if (Object.keys(policy.oidcUsers).length > 0 && !settings.oidc) {
    console.warn(
      `auditty: ${origin}: oidcUsers names OpenID Connect users, and AUTH_ISSUER is not set, so it gives no one anything`,
    );
  }
  let accounts = 0;
  if (settings.usersFile) {
    const users = await readUsersFile(settings.usersFile);
    for (const [name, account] of Object.entries(users.users)) {
      account.roles.forEach((role, i) => {
        if (!Object.hasOwn(policy.roles, role)) {
          throw new Error(
            `AUTH_USERS_FILE ${settings.usersFile}: users.${name}.roles[${i}]: role "${role}" is not in the policy (roles: ${Object.keys(policy.roles).join(', ')})`,
          );
        }
      });
      accounts += 1;
    }
  }
  if (!settings.signIn) {
    return settings.explicitlyOpen
      ? 'access: open (AUTH_MODE=none)'
      : 'access: open, loopback quick start';
  }
  const ways = [
    settings.oidc ? `OpenID Connect (${settings.oidc.issuer.href})` : null,
    settings.usersFile ? `${accounts} local account${accounts === 1 ? '' : 's'}` : null,
  ].filter(Boolean);
  const audit =
    settings.audit?.kind === 'file'
      ? `file ${settings.audit.file}`
      : `index ${settings.audit?.index ?? '-'}`;
  return `access: sign-in with ${ways.join(' and ')}; ${Object.keys(policy.roles).length} roles; audit trail to ${audit}`;
}

/** For instrumentation.ts: logs the access line, or the problem and exits. */
export async function checkAccessConfigOrExit(): Promise<void> {
  try {
    console.log(`auditty ${await checkAccessConfig()}`);
  } catch (err) {
    console.error(`auditty: ${err instanceof Error ? err.message : String(err)}`);
    process.exit(2);
  }
}
