import { isIP } from 'node:net';

// What auditty knows of a request, from its headers. proxy.ts drops any
// x-auditty-* header a client sends and sets its own, which pages and route
// handlers then read through next/headers.

export const HEADER = {
  /** Path and query as the client asked for them. */
  url: 'x-auditty-url',
  /** The client's address. */
  ip: 'x-auditty-ip',
  nonce: 'x-auditty-nonce',
} as const;

/**
 * The client's address. Next.js fills X-Forwarded-For with the peer's address
 * only when the request has none, so the right-most entry is the peer, or
 * what the reverse proxy in front of auditty saw (it must set or append the
 * header; see README "Access").
 */
export function clientAddress(headers: Headers): string {
  const forwarded = headers.get('x-forwarded-for') ?? '';
  const last =
    forwarded
      .split(',')
      .map((s) => s.trim())
      .filter(Boolean)
      .pop() ?? '';
  const address = last.replace(/^::ffff:(?=\d+\.\d+\.\d+\.\d+$)/, '');
  return address.slice(0, 100) || 'unknown';
}

export const isIpAddress = (value: string): boolean => isIP(value) !== 0;

export function isSecure(headers: Headers, publicUrl: URL | null): boolean {
  if (publicUrl) return publicUrl.protocol === 'https:';
  return headers.get('x-forwarded-proto') === 'https';
}

/** This site's origin: AUTH_URL's when set, else the one the request was sent to. */
export function siteOrigin(headers: Headers, publicUrl: URL | null): string {
  if (publicUrl) return publicUrl.origin;
  const proto = headers.get('x-forwarded-proto') === 'https' ? 'https' : 'http';
  const host = headers.get('x-forwarded-host') ?? headers.get('host') ?? 'localhost';
  return `${proto}://${host}`;
}

const SAFE_METHODS = new Set(['GET', 'HEAD', 'OPTIONS']);

/**
 * Whether a state-changing request comes from another site. Browsers send
 * Fetch Metadata (Sec-Fetch-Site) with every request; it is the test when
 * present, because under Referrer-Policy: no-referrer a same-origin form
 * POST carries `Origin: null`. Without it, Origin must be this site. A
 * request with neither comes from a non-browser client, which cannot be
 * tricked into sending it.
 */
export function isCrossSite(method: string, headers: Headers, origin: string): boolean {
  if (SAFE_METHODS.has(method.toUpperCase())) return false;
  const site = headers.get('sec-fetch-site');
  if (site) return site !== 'same-origin' && site !== 'none';
  const from = headers.get('origin');
  return from !== null && from !== origin;
}
