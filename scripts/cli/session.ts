import { hostname, userInfo } from 'node:os';
import { parseArgs } from 'node:util';
import type { Client } from '@elastic/elasticsearch';
import { ElasticsearchAuditSink } from '@/lib/audit/elasticsearch';
import { buildEvent } from '@/lib/audit/event';
import { FileAuditSink } from '@/lib/audit/file';
import type { EventFilter } from '@/lib/audit/query';
import { accessSettings, type AccessSettings } from '@/lib/auth/config';
import { localIdentity, parseIdentity } from '@/lib/auth/identity';
import { CACHE_MS } from '@/lib/auth/revocation';
import { findAccount, readUsersFile } from '@/lib/auth/users-file';
import { env } from '@/lib/env';
import { createClient } from '@/lib/sources/elasticsearch';

// `auditty session revoke NAME | --oidc-subject ISSUER#SUB | --oidc-name NAME`:
// ends someone's sessions, on every instance. It writes a session-revoke
// event to the audit trail, which is where the server reads revocations
// from (lib/auth/revocation.ts): so it runs with the server's environment
// (AUTH_*, and AUDIT_LOG_FILE, or ES_URL and AUDIT_INDEX).

const USAGE = `usage: auditty session revoke NAME            a local account
       auditty session revoke --oidc-subject ISSUER#SUBJECT
       auditty session revoke --oidc-name NAME   every OpenID Connect user who signed in as NAME`;

type Sink = FileAuditSink | ElasticsearchAuditSink;
interface Target {
  id: string;
  name: string;
}

const fail = (message: string, code = 1): number => {
  console.error(`auditty session: ${message}`);
  return code;
};

/** OpenID Connect identities that signed in under a display name while their sessions can live. */
async function oidcUsersNamed(
  sink: Sink,
  name: string,
  settings: AccessSettings,
): Promise<{ targets: Target[]; partial: boolean }> {
  const found = new Map<string, Target>();
  let partial = false;
  // Older sign-ins have expired sessions (lib/access.ts refuses them by age).
  const filter: EventFilter = {
    user: name,
    actions: ['sign-in'],
    fromMs: Date.now() - settings.sessionSeconds * 1000 - 60_000,
    size: 200,
  };
  for (;;) {
    const page = await sink.search(filter);
    partial ||= page.partial !== undefined;
    for (const event of page.items) {
      const id = event.user?.id;
      if (event.event.outcome === 'success' && event.user?.name === name && id?.startsWith('oidc:'))
        found.set(id, { id, name });
    }
    const last = page.items[page.items.length - 1];
    if (!page.nextCursor || !last) break;
    filter.after = [last['@timestamp'], last.event.id];
  }
  return { targets: [...found.values()], partial };
}

async function targetsOf(
  values: { 'oidc-subject'?: string; 'oidc-name'?: string },
  positional: string | undefined,
  settings: AccessSettings,
  sink: Sink,
): Promise<Target[] | number> {
  if (positional !== undefined) {
    if (!settings.usersFile) return fail('local accounts are not configured (AUTH_USERS_FILE)');
    if (!findAccount(await readUsersFile(settings.usersFile), positional)) {
      return fail(
        `no local account "${positional}" in ${settings.usersFile}; for single sign-on users, use --oidc-name or --oidc-subject`,
      );
    }
    return [{ id: localIdentity(positional), name: positional }];
  }
  const subject = values['oidc-subject'];
  if (subject !== undefined) {
    const id = subject.startsWith('oidc:') ? subject : `oidc:${subject}`;
    const parsed = parseIdentity(id);
    if (parsed?.kind !== 'oidc')
      return fail(`"${subject}" is not ISSUER#SUBJECT (as in the trail's user.id)`, 2);
    // Shown as they signed in last, when the trail says.
    const seen = await sink.search({ user: id, actions: ['sign-in'], size: 1 });
    return [{ id, name: seen.items[0]?.user?.name ?? parsed.subject }];
  }
  const name = values['oidc-name'] ?? '';
  const { targets, partial } = await oidcUsersNamed(sink, name, settings);
  if (partial) {
    console.warn(
      'auditty session: only the newest part of the audit file was searched; use --oidc-subject for anyone it missed',
    );
  }
  if (targets.length === 0) {
    return fail(
      `no OpenID Connect user signed in as "${name}" while a session could still be open; nothing to revoke`,
    );
  }
  return targets;
}

async function revoke(args: string[]): Promise<number> {
  let parsed;
  try {
    parsed = parseArgs({
      args,
      allowPositionals: true,
      options: { 'oidc-subject': { type: 'string' }, 'oidc-name': { type: 'string' } },
    });
  } catch (err) {
    return fail(`${err instanceof Error ? err.message : String(err)}\n${USAGE}`, 2);
  }
  const { values, positionals } = parsed;
  const ways = [positionals.length > 0, 'oidc-subject' in values, 'oidc-name' in values];
  if (ways.filter(Boolean).length !== 1 || positionals.length > 1) return fail(USAGE, 2);
  const settings = accessSettings();
  if (!settings.signIn) {
    return fail(
      'sign-in is not configured (AUTH_ISSUER, AUTH_USERS_FILE): run with the server environment',
      2,
    );
  }
  let client: Client | null = null;
  let sink: Sink;
  if (settings.audit?.kind === 'file') {
    sink = new FileAuditSink(settings.audit.file);
  } else if (settings.audit) {
    client = createClient(env());
    sink = new ElasticsearchAuditSink(client, settings.audit.index);
  } else {
    return fail('no audit trail is configured (AUDIT_LOG_FILE, or ES_URL and AUDIT_INDEX)', 2);
  }
  try {
    const targets = await targetsOf(values, positionals[0], settings, sink);
    if (typeof targets === 'number') return targets;
    const by = `${userInfo().username}@${hostname()}`;
    for (const target of targets) {
      const event = buildEvent({
        action: 'session-revoke',
        outcome: 'success',
        reason: `sessions ended by ${by} with auditty session revoke`,
        user: { id: target.id, name: target.name, roles: [] },
        auth: 'cli',
        address: hostname(),
        url: '',
      });
      await sink.write(event);
      console.log(
        `revoked the sessions of ${target.name} (${target.id}) issued before ${event['@timestamp']}`,
      );
    }
    console.log(
      settings.audit.kind === 'file'
        ? 'every instance refuses them from its next request'
        : `every instance refuses them within ${CACHE_MS / 1000} seconds`,
    );
    return 0;
  } finally {
    await client?.close();
  }
}

export async function session(args: string[]): Promise<number> {
  const [sub, ...rest] = args;
  if (sub === 'revoke') return revoke(rest);
  return fail(USAGE, 2);
}
