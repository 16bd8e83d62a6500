import { describe, expect, it } from 'vitest';
import { parseEnv } from '@/lib/env';

const SECRET = 'x'.repeat(32);

describe('access configuration', () => {
  it('is open access with nothing set, as before', () => {
    const env = parseEnv({});
    expect(env.AUTH_ISSUER).toBeUndefined();
    expect(env.AUDIT_INDEX).toBe('auditty-audit');
    expect(env.AUTH_GROUPS_CLAIM).toBe('groups');
    expect(env.AUTH_SESSION_HOURS).toBe(8);
    expect(env.AUTH_GROUPS_MAX_AGE_MINUTES).toBe(60);
  });

  it('takes how old OpenID Connect groups may be, in minutes', () => {
    expect(parseEnv({ AUTH_GROUPS_MAX_AGE_MINUTES: '15' }).AUTH_GROUPS_MAX_AGE_MINUTES).toBe(15);
    expect(parseEnv({ AUTH_GROUPS_MAX_AGE_MINUTES: ' ' }).AUTH_GROUPS_MAX_AGE_MINUTES).toBe(60);
  });

  it('takes OIDC, local accounts and the audit trail', () => {
    const env = parseEnv({
      ES_URL: 'http://127.0.0.1:9200',
      AUTH_ISSUER: 'https://sso.example.com/realms/ops',
      AUTH_CLIENT_ID: 'auditty',
      AUTH_CLIENT_SECRET: 's',
      AUTH_USERS_FILE: 'users.json',
      AUTH_SECRET: SECRET,
      AUTH_SESSION_HOURS: '12',
      AUDIT_INDEX: 'audit-trail',
    });
    expect(env.AUTH_USERS_FILE).toMatch(/^\/.*users\.json$/);
    expect(env.AUTH_SESSION_HOURS).toBe(12);
    expect(env.AUDIT_INDEX).toBe('audit-trail');
  });

  it.each([
    [
      { AUTH_USERS_FILE: 'u.json', AUDIT_LOG_FILE: 'a.log' },
      /AUTH_SECRET: sign-in needs AUTH_SECRET/,
    ],
    [
      { AUTH_USERS_FILE: 'u.json', AUDIT_LOG_FILE: 'a.log', AUTH_SECRET: 'short' },
      /AUTH_SECRET: must be at least 32/,
    ],
    [
      { AUTH_ISSUER: 'https://sso.example', AUTH_SECRET: SECRET, ES_URL: 'http://h:9200' },
      /AUTH_CLIENT_ID/,
    ],
    [
      { AUTH_USERS_FILE: 'u.json', AUTH_SECRET: SECRET },
      /AUDIT_LOG_FILE: sign-in on the files source/,
    ],
    [
      { AUTH_MODE: 'none', AUTH_USERS_FILE: 'u.json', AUTH_SECRET: SECRET, AUDIT_LOG_FILE: 'a' },
      /AUTH_MODE: .*contradicts/,
    ],
    [{ AUTH_MODE: 'off' }, /AUTH_MODE: the only value is "none"/],
    [
      {
        AUTH_ISSUER: 'http://sso.example',
        AUTH_CLIENT_ID: 'a',
        AUTH_SECRET: SECRET,
        ES_URL: 'http://h:9200',
      },
      /AUTH_ISSUER: must be https/,
    ],
    [{ AUTH_SCOPES: 'profile email' }, /AUTH_SCOPES: must include openid/],
    [{ AUDIT_INDEX: 'Audit*' }, /AUDIT_INDEX: must be an index name/],
    [{ AUTH_SESSION_HOURS: 'forever' }, /AUTH_SESSION_HOURS: must be a number of hours/],
    [{ AUTH_GROUPS_MAX_AGE_MINUTES: '1.5' }, /AUTH_GROUPS_MAX_AGE_MINUTES: must be a whole number/],
    [{ AUTH_GROUPS_MAX_AGE_MINUTES: '0' }, /AUTH_GROUPS_MAX_AGE_MINUTES: must be 1 to 43200/],
    [{ AUTH_GROUPS_MAX_AGE_MINUTES: '99999' }, /AUTH_GROUPS_MAX_AGE_MINUTES: must be 1 to 43200/],
  ])('refuses %j', (source, message) => {
    expect(() => parseEnv(source)).toThrow(message);
  });

  it('accepts a plain-http provider only on loopback (tests)', () => {
    const env = parseEnv({
      AUTH_ISSUER: 'http://127.0.0.1:3239',
      AUTH_CLIENT_ID: 'auditty',
      AUTH_SECRET: SECRET,
      AUDIT_LOG_FILE: '/tmp/a.log',
    });
    expect(env.AUTH_ISSUER).toBe('http://127.0.0.1:3239');
  });
});
