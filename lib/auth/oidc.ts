import 'server-only';
import * as client from 'openid-client';
import { z } from 'zod';
import type { OidcSettings } from './config';

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

function nameFrom(claims: Record<string, unknown>, claim: string): string | null {
  for (const key of [claim, 'preferred_username', 'email', 'sub']) {
    const value = claims[key];
    if (typeof value === 'string' && value.trim() !== '') return value.trim().slice(0, 256);
  }
  return null;
}

/** Completes the flow: checks state, nonce and PKCE, then reads the name and groups. */
export async function finishSignIn(
  settings: OidcSettings,
  callbackUrl: URL,
  transaction: Transaction,
): Promise<{ name: string; groups: string[] }> {
  const config = await providerConfig(settings);
  const tokens = await client.authorizationCodeGrant(config, callbackUrl, {
    pkceCodeVerifier: transaction.verifier,
    expectedState: transaction.state,
    expectedNonce: transaction.nonce,
    idTokenExpected: true,
  });
  const claims: Record<string, unknown> = { ...tokens.claims() };
  let groups = groupsFrom(claims, settings.groupsClaim);
  // Many providers put groups (and sometimes the name) only in userinfo.
  if (groups === null && typeof claims.sub === 'string') {
    const info: Record<string, unknown> = {
      ...(await client.fetchUserInfo(config, tokens.access_token, claims.sub)),
    };
    groups = groupsFrom(info, settings.groupsClaim);
    for (const [key, value] of Object.entries(info)) if (!(key in claims)) claims[key] = value;
  }
  const name = nameFrom(claims, settings.usernameClaim);
  if (!name) throw new Error('the provider sent no usable user name');
  return { name, groups: groups ?? [] };
}

export const OIDC_COOKIE = 'auditty_oidc';
export const OIDC_COOKIE_PATH = '/api/auth/oidc';
export const CALLBACK_PATH = '/api/auth/oidc/callback';
export const TRANSACTION_SECONDS = 600;
