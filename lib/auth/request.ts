import { BlockList, isIP } from 'node:net';
import { isLoopback } from '@/lib/net/loopback';

// What auditty knows of a request, from its headers. proxy.ts drops any
// x-auditty-* header a client sends and sets its own, which pages and route
// handlers then read through next/headers.

export const HEADER = {
  /** The connection's peer address, set by scripts/server.mjs. */
  peer: 'x-auditty-peer',
  /** Path and query as the client asked for them. */
  url: 'x-auditty-url',
  /** The client's address. */
  ip: 'x-auditty-ip',
  nonce: 'x-auditty-nonce',
} as const;

const mapped = (address: string) => address.replace(/^::ffff:(?=\d+\.\d+\.\d+\.\d+$)/, '');

/**
 * The connection's peer address, or null when the request did not come
 * through scripts/server.mjs in this process (a `next start` run by hand,
 * where a client could send the header itself).
 */
export function peerAddress(headers: Headers): string | null {
  if (process.env.AUDITTY_LAUNCHER !== String(process.pid)) return null;
  const peer = headers.get(HEADER.peer);
  return peer ? mapped(peer) : null;
}

/** AUTH_TRUSTED_PROXIES: addresses and CIDR ranges of the reverse proxies in front of auditty. */
export function trustedProxies(spec: string | undefined): BlockList {
  const list = new BlockList();
  for (const entry of (spec ?? '')
    .split(',')
    .map((s) => s.trim())
    .filter(Boolean)) {
    const [address = '', bits] = entry.split('/');
    const family = isIP(address) === 6 ? 'ipv6' : 'ipv4';
    if (bits === undefined) list.addAddress(address, family);
    else list.addSubnet(address, Number(bits), family);
  }
  return list;
}

const trusts = (list: BlockList, address: string) =>
  isIP(address) !== 0 && list.check(address, isIP(address) === 6 ? 'ipv6' : 'ipv4');

/**
 * The client's address. The peer of the connection, unless it is a trusted
 * reverse proxy (AUTH_TRUSTED_PROXIES, none by default): then the right-most
 * X-Forwarded-For entry that is not one, since each proxy appends what it
 * saw and only the right-most entries are theirs. Without the peer (no
 * scripts/server.mjs), the right-most entry: what Next.js fills in from the
 * socket when a client sends none, and what any client can claim otherwise.
 */
export function clientAddress(headers: Headers, trusted: BlockList = new BlockList()): string {
  const forwarded = (headers.get('x-forwarded-for') ?? '')
    .split(',')
    .map((s) => mapped(s.trim()))
    .filter(Boolean);
  const peer = peerAddress(headers);
  let address = peer ?? forwarded.pop() ?? '';
  if (peer !== null) {
    while (trusts(trusted, address) && forwarded.length > 0) address = forwarded.pop() ?? '';
  }
  return address.slice(0, 100) || 'unknown';
}

/**
 * Why open access may not serve this request, or null when it may: it
 * serves this machine only. The Host must be a loopback name (a page from
 * another site that rebinds its name to 127.0.0.1 sends its own name), and
 * the peer a loopback address (`next start` listens on every interface
 * unless told otherwise; without scripts/server.mjs the peer is unknown).
 */
export function openAccessRefusal(headers: Headers): string | null {
  const host = headers.get('host') ?? '';
  const name = host.replace(/:\d+$/, '');
  if (!isLoopback(name)) {
    return `Open access serves this machine only, and "${host.slice(0, 100)}" is not a loopback name`;
  }
  const peer = peerAddress(headers);
  if (peer === null) {
    return 'Open access serves this machine only: start auditty with npm start, which tells it who connects';
  }
  if (!isLoopback(peer)) {
    return `Open access serves this machine only, and ${peer.slice(0, 100)} is another machine`;
  }
  return null;
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

/** Where a provider sends the browser back after sign-in: a navigation from its site. */
const FROM_OTHER_SITES = new Set(['/api/auth/oidc/callback']);

/**
 * Whether a read (GET, HEAD) was made by another site: an image, a script, a
 * frame or a fetch of another site's page that the browser sends with this
 * site's cookies (SameSite=Lax sends them on top-level navigations only,
 * but Fetch Metadata tells any of them). Every page and API call writes an
 * audit event in the caller's name, so none of them may be triggered from
 * elsewhere. Allowed: a top-level navigation to a page (a link to a
 * recording shared in a chat), and the OpenID provider's callback. Browsers
 * without Fetch Metadata, and non-browser clients, send no Sec-Fetch-Site.
 */
export function isCrossSiteRead(path: string, headers: Headers): boolean {
  const site = headers.get('sec-fetch-site');
  if (!site || site === 'same-origin' || site === 'none') return false;
  if (FROM_OTHER_SITES.has(path)) return false;
  const navigation =
    headers.get('sec-fetch-mode') === 'navigate' && headers.get('sec-fetch-dest') === 'document';
  return path.startsWith('/api/') || !navigation;
}
