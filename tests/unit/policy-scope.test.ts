import { describe, expect, it } from 'vitest';
import { mergeScopes } from '@/lib/auth/scope-merge';
import { inScope } from '@/lib/sources/scope';
import type { Scope } from '@/lib/sources/types';

// Several roles make one scope only where that is exact; checked here by
// brute force over hosts and users that each pattern does and does not match.

const HOSTS = ['vm', 'vm2', 'db-1', 'db-2', 'web-1', 'dbx', 'db-', 'Vm'];
const USERS = ['root', 'alice', 'postgres', 'bob', 'r', 'ROOT'];

const role = (name: string, hosts: string[], users: string[]) => ({
  name,
  scope: { hosts, users },
});
const anyOf = (roles: { scope: Scope }[], host: string, user: string) =>
  roles.some((r) => inScope(r.scope, host, user));

function expectExact(roles: { name: string; scope: Scope }[]) {
  const merged = mergeScopes(roles);
  expect(merged.ok).toBe(true);
  if (!merged.ok) return;
  for (const host of HOSTS) {
    for (const user of USERS) {
      expect(inScope(merged.scope, host, user), `${host}/${user}`).toBe(anyOf(roles, host, user));
    }
  }
}

describe('glob scopes', () => {
  it('match whole values, case-sensitively, with * and ?', () => {
    const scope = { hosts: ['db-*', 'vm?'], users: ['root'] };
    expect(inScope(scope, 'db-1', 'root')).toBe(true);
    expect(inScope(scope, 'db-', 'root')).toBe(true);
    expect(inScope(scope, 'xdb-1', 'root')).toBe(false);
    expect(inScope(scope, 'vm2', 'root')).toBe(true);
    expect(inScope(scope, 'vm', 'root')).toBe(false);
    expect(inScope(scope, 'db-1', 'ROOT')).toBe(false);
    expect(inScope(scope, 'db-1', 'root2')).toBe(false);
  });

  it('treat regular expression characters literally', () => {
    expect(inScope({ hosts: ['a.b'], users: ['*'] }, 'axb', 'u')).toBe(false);
    expect(inScope({ hosts: ['(x|y)'], users: ['*'] }, 'x', 'u')).toBe(false);
  });

  it('see nothing with no patterns', () => {
    expect(inScope({ hosts: [], users: ['*'] }, 'vm', 'root')).toBe(false);
    expect(inScope({ hosts: ['*'], users: [] }, 'vm', 'root')).toBe(false);
  });
});

describe('mergeScopes', () => {
  it('gives nothing for no roles, or roles that allow nothing', () => {
    expect(mergeScopes([])).toEqual({ ok: true, scope: { hosts: [], users: [] } });
    expect(mergeScopes([role('none', [], ['*'])])).toEqual({
      ok: true,
      scope: { hosts: [], users: [] },
    });
  });

  it('keeps one role as it is', () => {
    expect(mergeScopes([role('dba', ['db-*'], ['*'])])).toEqual({
      ok: true,
      scope: { hosts: ['db-*'], users: ['*'] },
    });
  });

  it('drops a role inside another (admin covers everything)', () => {
    const roles = [role('vm-root', ['vm'], ['root']), role('admin', ['*'], ['*'])];
    expect(mergeScopes(roles)).toEqual({ ok: true, scope: { hosts: ['*'], users: ['*'] } });
    expectExact(roles);
  });

  it('joins hosts of roles with the same users, and users of roles with the same hosts', () => {
    expectExact([role('dba', ['db-*'], ['*']), role('vm', ['vm'], ['*'])]);
    expectExact([role('a', ['vm'], ['root']), role('b', ['vm'], ['alice'])]);
    expectExact([
      role('a', ['vm'], ['root']),
      role('b', ['web-1'], ['root']),
      role('c', ['db-*'], ['root']),
    ]);
    expectExact([
      role('a', ['vm'], ['root']),
      role('b', ['vm'], ['alice']),
      role('c', ['db-*'], ['alice', 'root']),
    ]);
  });

  it('refuses roles whose union is not one scope, naming them, rather than widening', () => {
    const roles = [role('dba', ['db-*'], ['*']), role('vm-root', ['vm'], ['root'])];
    const merged = mergeScopes(roles);
    expect(merged.ok).toBe(false);
    if (!merged.ok) expect(merged.reason).toMatch(/dba.*vm-root|vm-root.*dba/);
  });
});
