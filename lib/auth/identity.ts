// Who a session stands for, as one key per person: a local account and an
// OpenID Connect user with the same name are two people, and nothing that is
// keyed by identity (revocations, "your own events" in the access log) may
// mix them up. The name a person is shown by is apart from the key.
//   local:<account name>
//   oidc:<issuer>#<subject>     (the ID token's `iss` and `sub`: stable, unique)

/** An issuer URL and a subject (at most 255 characters in OpenID Connect) fit with room to spare. */
export const MAX_IDENTITY = 1024;

export type IdentityKind = 'local' | 'oidc';

export const localIdentity = (name: string): string => `local:${name}`;

export const oidcIdentity = (issuer: string, subject: string): string =>
  `oidc:${issuer}#${subject}`;

export type ParsedIdentity =
  { kind: 'local'; name: string } | { kind: 'oidc'; issuer: string; subject: string };

/** The parts of an identity key, or null for a string that is not one. */
export function parseIdentity(id: string): ParsedIdentity | null {
  if (id.length > MAX_IDENTITY) return null;
  if (id.startsWith('local:') && id.length > 'local:'.length) {
    return { kind: 'local', name: id.slice('local:'.length) };
  }
  if (!id.startsWith('oidc:')) return null;
  // An issuer is a URL without a fragment, so the first `#` ends it.
  const rest = id.slice('oidc:'.length);
  const hash = rest.indexOf('#');
  if (hash <= 0 || hash === rest.length - 1) return null;
  return { kind: 'oidc', issuer: rest.slice(0, hash), subject: rest.slice(hash + 1) };
}

/**
 * Whether two spellings name one issuer: `new URL()` adds a `/` to a bare
 * origin (AUTH_ISSUER=https://sso.example.com) that the provider's `iss`
 * may not have.
 */
export function sameIssuer(a: string, b: string): boolean {
  return a.replace(/\/$/, '') === b.replace(/\/$/, '');
}
