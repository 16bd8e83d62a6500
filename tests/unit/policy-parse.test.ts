import { describe, expect, it } from 'vitest';
import { DEFAULT_POLICY, parsePolicy, PolicyError, rolesFor } from '@/lib/auth/policy';

const GOOD = JSON.stringify({
  roles: {
    dba: { hosts: ['db-*'], users: ['*'] },
    admin: { hosts: ['*'], users: ['*'], admin: true },
    none: { hosts: [], users: [] },
  },
  groups: { 'sec-dba': ['dba'], 'sec-admin': ['admin', 'dba'] },
  users: { 'alice@example.com': ['admin'] },
  oidcUsers: { 'bob@example.com': ['dba'] },
});

function errorOf(value: unknown): string {
  try {
    parsePolicy(typeof value === 'string' ? value : JSON.stringify(value), 'policy.json');
  } catch (err) {
    expect(err).toBeInstanceOf(PolicyError);
    return (err as Error).message;
  }
  throw new Error('expected a PolicyError');
}

describe('parsePolicy', () => {
  it('reads the example of the issue', () => {
    const policy = parsePolicy(GOOD);
    expect(policy.roles.dba).toEqual({ hosts: ['db-*'], users: ['*'] });
    expect(policy.roles.admin?.admin).toBe(true);
    expect(policy.groups['sec-dba']).toEqual(['dba']);
  });

  it('defaults groups, users and oidcUsers to none', () => {
    const policy = parsePolicy(JSON.stringify({ roles: { r: { hosts: ['a'], users: ['b'] } } }));
    expect(policy.groups).toEqual({});
    expect(policy.users).toEqual({});
    expect(policy.oidcUsers).toEqual({});
  });

  it.each([
    ['not JSON', '{roles:', /policy\.json: not JSON/],
    ['no roles', {}, /policy\.json: roles: /],
    [
      'a typo in a role',
      { roles: { dba: { host: ['db-*'], users: ['*'] } } },
      /roles\.dba: Unrecognized key.*"host"/,
    ],
    ['hosts missing', { roles: { dba: { users: ['*'] } } }, /roles\.dba\.hosts: /],
    [
      'a pattern that is not a string',
      { roles: { dba: { hosts: ['db-*', 7], users: ['*'] } } },
      /roles\.dba\.hosts\[1\]: /,
    ],
    [
      'an empty pattern',
      { roles: { dba: { hosts: [''], users: ['*'] } } },
      /roles\.dba\.hosts\[0\]: a pattern cannot be empty/,
    ],
    [
      'admin not a boolean',
      { roles: { a: { hosts: ['*'], users: ['*'], admin: 'yes' } } },
      /roles\.a\.admin: /,
    ],
    [
      'a bad role name',
      { roles: { 'bad name': { hosts: ['*'], users: ['*'] } } },
      /roles\.bad name: role names are/,
    ],
    ['an unknown top-level key', { roles: {}, group: {} }, /top level: Unrecognized key.*"group"/],
    [
      'a group with an unknown role',
      { roles: { dba: { hosts: ['db-*'], users: ['*'] } }, groups: { 'sec-dba': ['dba', 'dbaa'] } },
      /groups\.sec-dba\[1\]: unknown role "dbaa"/,
    ],
    [
      'a user with an unknown role',
      { roles: { dba: { hosts: ['db-*'], users: ['*'] } }, users: { alice: ['root'] } },
      /users\.alice\[0\]: unknown role "root"/,
    ],
    [
      'an OpenID Connect user with an unknown role',
      { roles: { dba: { hosts: ['db-*'], users: ['*'] } }, oidcUsers: { 'Alice A.': ['root'] } },
      /oidcUsers\.Alice A\.\[0\]: unknown role "root"/,
    ],
    [
      'a users key that cannot be a local account',
      { roles: { dba: { hosts: ['db-*'], users: ['*'] } }, users: { 'Alice A.': ['dba'] } },
      /users.*names local accounts.*OpenID Connect users go in oidcUsers/,
    ],
    [
      'a control character in a pattern',
      { roles: { r: { hosts: ['a\u0001'], users: ['*'] } } },
      /control characters/,
    ],
    [
      'a backslash in a pattern',
      { roles: { dba: { hosts: ['db-*', 'db\\*'], users: ['*'] } } },
      /roles\.dba\.hosts\[1\]: "db\\\\\*": a pattern cannot hold "\\" \(Elasticsearch/,
    ],
    [
      'a lone surrogate in a pattern',
      { roles: { r: { hosts: ['*'], users: ['root\uD800'] } } },
      /roles\.r\.users\[0\]: "root\\ud800": a pattern cannot hold a lone surrogate/,
    ],
    [
      'a trailing backslash in a pattern',
      { roles: { r: { hosts: ['*'], users: ['root\\'] } } },
      /roles\.r\.users\[0\]: "root\\\\": a pattern cannot hold "\\"/,
    ],
    [
      'a lone low surrogate in a pattern',
      { roles: { r: { hosts: ['\uDC00*'], users: ['*'] } } },
      /roles\.r\.hosts\[0\]: "\\udc00\*": a pattern cannot hold a lone surrogate/,
    ],
    [
      'U+FFFD in a pattern',
      { roles: { r: { hosts: ['db\uFFFD*'], users: ['*'] } } },
      /roles\.r\.hosts\[0\]: "db\\ufffd\*": a pattern cannot hold U\+FFFD/,
    ],
    [
      'a pattern too costly for a wildcard query',
      { roles: { r: { hosts: [`*a${'?'.repeat(14)}`], users: ['*'] } } },
      /roles\.r\.hosts\[0\]: "\*a\?+": the pattern is too complex for Elasticsearch's wildcard query/,
    ],
    [
      'a * and a long run of one letter',
      { roles: { r: { hosts: [`*${'x'.repeat(200)}`], users: ['*'] } } },
      /roles\.r\.hosts\[0\]: "\*x+": the pattern is too complex/,
    ],
    [
      'a pattern too long',
      { roles: { r: { hosts: ['a'.repeat(256)], users: ['*'] } } },
      /roles\.r\.hosts\[0\]: a pattern is at most 255 characters/,
    ],
    [
      'too many patterns in a role',
      {
        roles: {
          big: {
            hosts: Array.from({ length: 300 }, (_, i) => `h${i}`),
            users: Array.from({ length: 201 }, (_, i) => `u${i}`),
          },
        },
      },
      /roles\.big: a role has at most 500 patterns in hosts and users together/,
    ],
    [
      'too many host patterns',
      { roles: { big: { hosts: Array.from({ length: 501 }, (_, i) => `h${i}`), users: [] } } },
      /roles\.big\.hosts: /,
    ],
  ])('names the bad entry: %s', (_name, value, message) => {
    expect(errorOf(value)).toMatch(message);
  });

  it('takes patterns that mean the same on both sources', () => {
    const patterns = [
      ...['*', 'db-*', 'web-?', 'db\u{1F44D}?', 'we\u0301b-*', 'a.b', '(x|y).[ab]+^$', '?'],
      ...['*.example.com', `*.${'sub.'.repeat(40)}example.com`, 'web-*-??', '*-????-??'],
      ...['*a*b*c*d*e*f*', `*a${'?'.repeat(8)}`, '?'.repeat(255), '*'.repeat(255)],
    ];
    const policy = parsePolicy(JSON.stringify({ roles: { r: { hosts: patterns, users: ['*'] } } }));
    expect(policy.roles.r?.hosts).toEqual(patterns);
    const full = {
      hosts: Array.from({ length: 250 }, (_, i) => `h${i}`),
      users: Array.from({ length: 250 }, (_, i) => `u${i}`),
    };
    expect(parsePolicy(JSON.stringify({ roles: { full } })).roles.full).toEqual(full);
  });

  it('does not take prototype keys for roles or groups', () => {
    const policy = parsePolicy(GOOD);
    expect(
      rolesFor(policy, { via: 'oidc', name: 'constructor', groups: ['__proto__', 'toString'] }),
    ).toEqual([]);
    expect(rolesFor(policy, { via: 'local', name: '__proto__', accountRoles: [] })).toEqual([]);
    expect(
      errorOf({ roles: { r: { hosts: ['*'], users: ['*'] } }, groups: { g: ['toString'] } }),
    ).toMatch(/unknown role "toString"/);
  });
});

describe('rolesFor', () => {
  const policy = parsePolicy(GOOD);

  it('maps groups, named users and account roles, without duplicates', () => {
    expect(rolesFor(policy, { via: 'oidc', name: 'x', groups: ['sec-dba'] })).toEqual(['dba']);
    expect(rolesFor(policy, { via: 'oidc', name: 'x', groups: ['sec-dba', 'sec-admin'] })).toEqual([
      'admin',
      'dba',
    ]);
    expect(rolesFor(policy, { via: 'local', name: 'alice@example.com', accountRoles: [] })).toEqual(
      ['admin'],
    );
    expect(rolesFor(policy, { via: 'oidc', name: 'bob@example.com', groups: [] })).toEqual(['dba']);
    expect(rolesFor(policy, { via: 'local', name: 'bob', accountRoles: ['dba'] })).toEqual(['dba']);
  });

  it('gives each kind of identity only its own sections: the same name is two people', () => {
    // users names local accounts: an OpenID Connect user called alice@example.com gets nothing from it.
    expect(rolesFor(policy, { via: 'oidc', name: 'alice@example.com', groups: [] })).toEqual([]);
    // oidcUsers names provider users: a local account of that name gets nothing from it.
    expect(rolesFor(policy, { via: 'local', name: 'bob@example.com', accountRoles: [] })).toEqual(
      [],
    );
  });

  it('gives nothing to unknown groups and to roles the policy no longer has', () => {
    expect(rolesFor(policy, { via: 'oidc', name: 'x', groups: ['everyone'] })).toEqual([]);
    expect(rolesFor(policy, { via: 'local', name: 'x', accountRoles: ['gone'] })).toEqual([]);
  });

  it('has one built-in role without a policy file', () => {
    expect(Object.keys(DEFAULT_POLICY.roles)).toEqual(['admin']);
    expect(rolesFor(DEFAULT_POLICY, { via: 'oidc', name: 'x', groups: ['admin'] })).toEqual([]);
  });
});
