import 'server-only';
import * as client from 'openid-client';
import { z } from 'zod';
import type { OidcSettings } from './config';
import { MAX_IDENTITY, oidcIdentity } from './identity';

// OpenID Connect sign-in: authorization code flow with PKCE (S256), state and
// nonce, done by openid-client (a certified relying party); auditty keeps the
// transaction in a sealed cookie between the two legs.

let discovered: { key: string; config: Promise<client.Configuration> } | undefined;

/** The provider's configuration, discovered once (again after a failure). */
export function providerConfig(settings: OidcSettings): Promise<client.Configuration> {
  const key = `${settings.issuer.href}|${settings.clientId}`;
  if (discovered?.key === key) return discovered.config;
  const auth = settings.clientSecret
    ? client.ClientSecretBasic(settings.clientSecret)
    : client.None();
  // Plain http is accepted by the environment check only for a provider on loopback (tests).
  const insecure = settings.issuer.protocol === 'http:';
  const config = client
    .discovery(settings.issuer, settings.clientId, undefined, auth, {
      timeout: 10,
      ...(insecure ? { execute: [client.allowInsecureRequests] } : {}),
    })
    .catch((err: unknown) => {
      discovered = undefined;
      throw err;
    });
  discovered = { key, config };
  return config;
}

export const transactionSchema = z.object({
  verifier: z.string().min(43).max(128),
  state: z.string().min(16).max(128),
  nonce: z.string().min(16).max(128),
  next: z.string().max(2048),
});
export type Transaction = z.infer<typeof transactionSchema>;

export async function startSignIn(
  settings: OidcSettings,
  redirectUri: string,
  next: string,
): Promise<{ url: URL; transaction: Transaction }> {
  const config = await providerConfig(settings);
  const transaction: Transaction = {
    verifier: client.randomPKCECodeVerifier(),
    state: client.randomState(),
    nonce: client.randomNonce(),
    next,
  };
  const url = client.buildAuthorizationUrl(config, {
    redirect_uri: redirectUri,
    scope: settings.scopes,
    response_type: 'code',
    code_challenge: await client.calculatePKCECodeChallenge(transaction.verifier),
    code_challenge_method: 'S256',
    state: transaction.state,
    nonce: transaction.nonce,
  });
  return { url, transaction };
}

/** Groups from a claim that holds a list or one string. */
export function groupsFrom(claims: Record<string, unknown>, claim: string): string[] | null {
  const value = claims[claim];
  if (typeof value === 'string') return [value];
  if (Array.isArray(value))
    return value.filter((v): v is string => typeof v === 'string').slice(0, 500);
  return null;
}

export type DisplayName = { ok: true; name: string } | { ok: false; reason: string };

/**
 * The name an OpenID Connect user is shown by, and that `oidcUsers` in the
 * policy is keyed by: the configured claim (AUTH_USERNAME_CLAIM) and no
 * other. Falling back to another claim would let whoever controls that one
 * (an unverified email, a name the user picks) take a name that grants
 * roles. Sources are the ID token's claims, then userinfo's (same subject).
 * An email counts only if the provider says it verified it (email_verified
 * exactly true, for that same address).
 */
export function displayNameFrom(sources: Record<string, unknown>[], claim: string): DisplayName {
  const raw = sources
    .map((s) => s[claim])
    .find((value): value is string => typeof value === 'string' && value.trim() !== '');
  if (raw === undefined) {
    return {
      ok: false,
      reason: `the provider sent no "${claim}" claim (AUTH_USERNAME_CLAIM), the only one auditty takes the user name from`,
    };
  }
  const name = raw.trim();
  if (name.length > 256) {
    return { ok: false, reason: `the "${claim}" claim is longer than 256 characters` };
  }
  if (claim === 'email') {
    const verified = sources.some(
      (s) => typeof s.email === 'string' && s.email.trim() === name && s.email_verified === true,
    );
    if (!verified) {
      return {
        ok: false,
        reason: `the provider did not mark the email address ${name} as verified (email_verified is not true)`,
      };
    }
  }
  return { ok: true, name };
}

export type OidcIdentity =
  { ok: true; id: string; name: string; groups: string[] } | { ok: false; reason: string };

/**
 * Completes the flow: checks state, nonce and PKCE, then reads who it is
 * (issuer and subject: the identity key) and their name and groups. A
 * provider that answers but names nobody usable gives ok: false with why.
 */
export async function finishSignIn(
  settings: OidcSettings,
  callbackUrl: URL,
  transaction: Transaction,
): Promise<OidcIdentity> {
  const config = await providerConfig(settings);
  const tokens = await client.authorizationCodeGrant(config, callbackUrl, {
    pkceCodeVerifier: transaction.verifier,
    expectedState: transaction.state,
    expectedNonce: transaction.nonce,
    idTokenExpected: true,
  });
  const claims: Record<string, unknown> = { ...tokens.claims() };
  // openid-client has checked `iss` against the provider's metadata; `sub` is in every ID token.
  const issuer = String(claims.iss ?? '');
  const subject = String(claims.sub ?? '');
  const id = oidcIdentity(issuer, subject);
  if (!issuer || !subject || id.length > MAX_IDENTITY) {
    return { ok: false, reason: 'the ID token names no usable issuer and subject' };
  }
  const claim = settings.usernameClaim;
  let groups = groupsFrom(claims, settings.groupsClaim);
  const sources = [claims];
  // Many providers put groups, the name or email_verified only in userinfo.
  const missing =
    groups === null ||
    !displayNameFrom([claims], claim).ok ||
    (claim === 'email' && claims.email_verified !== true);
  if (missing && config.serverMetadata().userinfo_endpoint) {
    const info: Record<string, unknown> = {
      ...(await client.fetchUserInfo(config, tokens.access_token, subject)),
    };
    groups ??= groupsFrom(info, settings.groupsClaim);
    sources.push(info);
  }
  const name = displayNameFrom(sources, claim);
  if (!name.ok) return { ok: false, reason: `${name.reason}; identity ${id}` };
  return { ok: true, id, name: name.name, groups: groups ?? [] };
}

/** Over plain http (loopback tests). */
export const OIDC_COOKIE = 'auditty_oidc';
/**
 * Behind HTTPS. Not `__Host-`, which requires Path=/: this cookie is scoped
 * to the two OIDC routes so that it does not travel with every request.
 * `__Secure-` still makes the browser take it only with Secure, from a
 * secure page; it is sealed besides, so a planted one is refused anyway.
 */
export const SECURE_OIDC_COOKIE = '__Secure-auditty_oidc';
/** The transaction cookie's name for a request's scheme: the only name read, and the one set. */
export const oidcCookieName = (secure: boolean): string =>
  secure ? SECURE_OIDC_COOKIE : OIDC_COOKIE;
export const OIDC_COOKIE_PATH = '/api/auth/oidc';
export const CALLBACK_PATH = '/api/auth/oidc/callback';
export const TRANSACTION_SECONDS = 600;
