import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { verifyPassword } from '@/lib/auth/password';

// `auditty user add|remove|list`, run as users run it.

const ROOT = path.resolve(import.meta.dirname, '../..');
const dir = mkdtempSync(path.join(tmpdir(), 'auditty-users-'));
const usersFile = path.join(dir, 'users.json');
const policyFile = path.join(dir, 'policy.json');
writeFileSync(
  policyFile,
  JSON.stringify({
    roles: {
      dba: { hosts: ['db-*'], users: ['*'] },
      admin: { hosts: ['*'], users: ['*'], admin: true },
    },
  }),
);

function cli(args: string[], input = '') {
  return spawnSync(process.execPath, [path.join(ROOT, 'bin/auditty.mjs'), 'user', ...args], {
    input,
    encoding: 'utf8',
    env: { ...process.env, AUTH_USERS_FILE: usersFile, AUTH_POLICY_FILE: policyFile, ES_URL: '' },
    timeout: 60_000,
  });
}

const stored = () =>
  JSON.parse(readFileSync(usersFile, 'utf8')) as {
    users: Record<string, { password: string; roles: string[] }>;
  };

describe('auditty user', { timeout: 60_000 }, () => {
  it('adds an account with a scrypt hash of the password read from standard input', async () => {
    const added = cli(['add', 'alice', '--role', 'dba', '--password-stdin'], 'a long passphrase\n');
    expect(added.stderr).toBe('');
    expect(added.stdout).toBe('added alice with role dba\n');
    expect(added.status).toBe(0);
    const alice = stored().users.alice!;
    expect(alice.roles).toEqual(['dba']);
    expect(alice.password).toMatch(/^\$scrypt\$ln=17,r=8,p=1\$/);
    expect(readFileSync(usersFile, 'utf8')).not.toContain('passphrase');
    expect(await verifyPassword('a long passphrase', alice.password)).toBe(true);
    expect(statSync(usersFile).mode & 0o777).toBe(0o600);
  });

  it('refuses unknown roles, bad names, short passwords and passwords on the command line', () => {
    const unknown = cli(
      ['add', 'bob', '--role', 'root', '--password-stdin'],
      'a long passphrase\n',
    );
    expect(unknown.status).toBe(2);
    expect(unknown.stderr).toContain('unknown role "root"; the policy has: dba, admin');
    expect(
      cli(['add', '../bob', '--role', 'dba', '--password-stdin'], 'a long passphrase\n').status,
    ).toBe(2);
    expect(cli(['add', 'bob', '--role', 'dba', '--password-stdin'], 'short\n').stderr).toContain(
      '8 to 1024 characters',
    );
    expect(cli(['add', 'bob', '--role', 'dba', 'hunter22hunter22']).status).toBe(2);
    expect(Object.keys(stored().users)).toEqual(['alice']);
  });

  it('lists, updates and removes accounts', () => {
    expect(
      cli(
        ['add', 'carol', '--role', 'admin', '--role', 'dba', '--password-stdin'],
        'another passphrase',
      ).status,
    ).toBe(0);
    expect(cli(['list']).stdout).toBe('alice\tdba\ncarol\tadmin,dba\n');
    const updated = cli(['add', 'alice', '--password-stdin'], 'a new passphrase\n');
    expect(updated.stdout).toContain('updated alice with no role (sees nothing)');
    expect(cli(['remove', 'alice']).stdout).toContain('removed alice');
    expect(cli(['remove', 'alice']).status).toBe(1);
    expect(cli(['list']).stdout).toBe('carol\tadmin,dba\n');
  });
});
