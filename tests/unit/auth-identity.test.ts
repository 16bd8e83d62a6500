import { describe, expect, it } from 'vitest';
import {
  localIdentity,
  MAX_IDENTITY,
  oidcIdentity,
  parseIdentity,
  sameIssuer,
} from '@/lib/auth/identity';
import { displayNameFrom } from '@/lib/auth/oidc';

// Who a session stands for: one key per person, apart from the name they are
// shown by, and that name taken from the configured claim only.

describe('identity keys', () => {
  it('keep local accounts and OpenID Connect users of one name apart', () => {
    const local = localIdentity('alice');
    const oidc = oidcIdentity('https://sso.example.com/realms/ops', 'alice');
    expect(local).toBe('local:alice');
    expect(oidc).toBe('oidc:https://sso.example.com/realms/ops#alice');
    expect(local).not.toBe(oidc);
    expect(parseIdentity(local)).toEqual({ kind: 'local', name: 'alice' });
    expect(parseIdentity(oidc)).toEqual({
      kind: 'oidc',
      issuer: 'https://sso.example.com/realms/ops',
      subject: 'alice',
    });
  });

  it('name the provider too: one subject at two providers is two people', () => {
    expect(oidcIdentity('https://a.example', '42')).not.toBe(
      oidcIdentity('https://b.example', '42'),
    );
    // A subject may hold a #: the issuer (a URL without a fragment) ends at the first.
    expect(parseIdentity('oidc:https://a.example#x#y')).toMatchObject({ subject: 'x#y' });
  });

  it('refuse what is not a key', () => {
    for (const bad of ['alice', 'local:', 'oidc:https://a.example', 'oidc:#sub', 'oidc:iss#']) {
      expect(parseIdentity(bad), bad).toBeNull();
    }
    expect(parseIdentity(`local:${'a'.repeat(MAX_IDENTITY)}`)).toBeNull();
  });

  it('take an issuer with or without its trailing slash as one', () => {
    expect(sameIssuer('http://127.0.0.1:3239/', 'http://127.0.0.1:3239')).toBe(true);
    expect(
      sameIssuer('https://sso.example.com/realms/ops', 'https://sso.example.com/realms/dev'),
    ).toBe(false);
  });
});

describe('the OpenID Connect display name', () => {
  const sub = { sub: '248289761001', email: 'jane@example.com', email_verified: true };

  it('is the configured claim', () => {
    expect(
      displayNameFrom([{ ...sub, preferred_username: ' jane ' }], 'preferred_username'),
    ).toEqual({ ok: true, name: 'jane' });
    expect(displayNameFrom([sub, { name: 'Jane Doe' }], 'name')).toEqual({
      ok: true,
      name: 'Jane Doe',
    });
  });

  it('falls back to no other claim: a missing or empty one refuses the sign-in, saying why', () => {
    for (const claims of [
      sub,
      { ...sub, preferred_username: '  ' },
      { ...sub, preferred_username: 7 },
    ]) {
      const result = displayNameFrom([claims, { name: 'Jane' }], 'preferred_username');
      expect(result.ok).toBe(false);
      expect(!result.ok && result.reason).toMatch(
        /no "preferred_username" claim \(AUTH_USERNAME_CLAIM\)/,
      );
    }
  });

  it('refuses a name too long to be one', () => {
    const result = displayNameFrom([{ preferred_username: 'j'.repeat(257) }], 'preferred_username');
    expect(result).toEqual({
      ok: false,
      reason: 'the "preferred_username" claim is longer than 256 characters',
    });
  });

  it('is an email address only when the provider says it verified it', () => {
    expect(displayNameFrom([sub], 'email')).toEqual({ ok: true, name: 'jane@example.com' });
    for (const verified of [false, 'true', 1, undefined]) {
      const result = displayNameFrom([{ ...sub, email_verified: verified }], 'email');
      expect(result.ok, String(verified)).toBe(false);
      expect(!result.ok && result.reason).toMatch(/not mark the email address .* as verified/);
    }
  });

  it('takes email_verified from userinfo, for the same address only', () => {
    const token = { sub: '1', email: 'jane@example.com' };
    expect(
      displayNameFrom([token, { email: 'jane@example.com', email_verified: true }], 'email'),
    ).toEqual({ ok: true, name: 'jane@example.com' });
    // Verified, but another address: the one in the ID token is not.
    expect(
      displayNameFrom([token, { email: 'other@example.com', email_verified: true }], 'email').ok,
    ).toBe(false);
  });
});
