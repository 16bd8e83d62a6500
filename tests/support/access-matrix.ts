import { AsyncLocalStorage } from 'node:async_hooks';
import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { hashPassword } from '@/lib/auth/password';
import { sealSession } from '@/lib/auth/session';
import { fixtureLines, fixtureNames } from './fixtures';

// The authorization matrix's world: recordings on three (host, user) pairs,
// roles that see some of them, and a session for each account. Route handlers
// are called as Next.js calls them, with next/headers answered from `request`
// (see the vi.mock in the access-matrix tests).

export const SECRET = 'integration-test-secret-0123456789abcdef';

export const POLICY = {
  roles: {
    admin: { hosts: ['*'], users: ['*'], admin: true },
    'vm-root': { hosts: ['vm'], users: ['root'] },
    dba: { hosts: ['db-*'], users: ['*'] },
    'vm-any': { hosts: ['vm'], users: ['*'] },
  },
  groups: {},
};

export interface Recording {
  id: string;
  host: string;
  user: string;
  lines: string[];
  /** The fixture it was made from: a copy shares its original's output text. */
  family: string;
}

/** A word in the output of each fixture that has a copy elsewhere (for text search). */
export const MARKERS: Record<string, string> = { colors: 'head', input: 'typo', gap: 'burst' };

function retag(name: string, host: string, user: string, id: string): Recording {
  const lines = fixtureLines(name).map((line) =>
    JSON.stringify({ ...JSON.parse(line), host, user, rec: id }),
  );
  return { id, host, user, lines, family: name };
}

/** Every fixture but the 12,000-message one (vm/root), plus copies on db-1/postgres and vm/alice. */
export function recordings(): Recording[] {
  const base = fixtureNames()
    .filter((n) => n !== 'big')
    .map((name) => {
      const lines = fixtureLines(name);
      const first = JSON.parse(lines[0] ?? '{}') as { rec: string; host: string; user: string };
      return { id: first.rec, host: first.host, user: first.user, lines, family: name };
    });
  return [
    ...base,
    retag('colors', 'db-1', 'postgres', 'acc-db1-postgres-colors'),
    retag('input', 'db-1', 'postgres', 'acc-db1-postgres-input'),
    retag('gap', 'vm', 'alice', 'acc-vm-alice-gap'),
  ];
}

export const MISSING = 'acc-missing-0000';

/** Accounts and the (host, user) pairs each may see; null: nobody is signed in. */
export const ACCOUNTS: Record<string, { roles: string[]; sees: (r: Recording) => boolean }> = {
  ada: { roles: ['admin'], sees: () => true },
  vic: { roles: ['vm-root'], sees: (r) => r.host === 'vm' && r.user === 'root' },
  dora: { roles: ['dba'], sees: (r) => r.host.startsWith('db-') },
  val: { roles: ['vm-any'], sees: (r) => r.host === 'vm' },
  // dba + vm-any combine exactly: {db-*, vm} x {*}.
  milo: { roles: ['dba', 'vm-any'], sees: () => true },
  // dba + vm-root do not combine into one scope: fail closed, nothing.
  cora: { roles: ['dba', 'vm-root'], sees: () => false },
  nemo: { roles: [], sees: () => false },
};

export interface World {
  dir: string;
  recordingsDir: string;
  usersFile: string;
  policyFile: string;
  auditFile: string;
  cookies: Record<string, string>;
}

/** Writes recordings, policy and accounts to a fresh directory; returns a session cookie per account. */
export async function makeWorld(): Promise<World> {
  const dir = mkdtempSync(path.join(tmpdir(), 'auditty-access-'));
  const recordingsDir = path.join(dir, 'recordings');
  mkdirSync(recordingsDir);
  for (const r of recordings())
    writeFileSync(path.join(recordingsDir, `${r.id}.tlog`), `${r.lines.join('\n')}\n`);
  const policyFile = path.join(dir, 'policy.json');
  writeFileSync(policyFile, JSON.stringify(POLICY));
  const users: Record<string, { password: string; roles: string[] }> = {};
  for (const [name, account] of Object.entries(ACCOUNTS)) {
    users[name] = {
      password: await hashPassword(`${name}-password`, { ln: 10, r: 8, p: 1 }),
      roles: account.roles,
    };
  }
  const usersFile = path.join(dir, 'users.json');
  writeFileSync(usersFile, JSON.stringify({ users }));
  const { passwordStamp } = await import('@/lib/access');
  const cookies: Record<string, string> = {};
  for (const [name, user] of Object.entries(users)) {
    const session = {
      name,
      via: 'local' as const,
      groups: [],
      stamp: passwordStamp(user.password),
    };
    cookies[name] = await sealSession(session, SECRET, 3600);
  }
  return {
    dir,
    recordingsDir,
    usersFile,
    policyFile,
    auditFile: path.join(dir, 'audit.jsonl'),
    cookies,
  };
}

/** What next/headers answers during one call: what proxy.ts would have set, and the session cookie. */
export interface RequestContext {
  headers: Headers;
  cookie: string | undefined;
}

const EMPTY: RequestContext = { headers: new Headers(), cookie: undefined };
const context = new AsyncLocalStorage<RequestContext>();
/** The context of the call under way (read by the tests' next/headers mock). */
export const currentRequest = (): RequestContext => context.getStore() ?? EMPTY;

export const CLIENT_IP = '192.0.2.7';

/** Runs `fn` as a request of `account` (null: nobody signed in) for `url`. */
export function as<T>(
  world: World,
  account: string | null,
  url: string,
  fn: () => Promise<T>,
): Promise<T> {
  const headers = new Headers({
    'x-auditty-url': url,
    'x-auditty-ip': CLIENT_IP,
    'x-forwarded-for': CLIENT_IP,
  });
  return context.run(
    { headers, cookie: account === null ? undefined : world.cookies[account] },
    fn,
  );
}
