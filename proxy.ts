import { NextResponse, type NextRequest } from 'next/server';
import { checkSession, type SessionRefusal } from '@/lib/access';
import { accessSettings } from '@/lib/auth/config';
import { contentSecurityPolicy, makeNonce, securityHeaders } from '@/lib/auth/csp';
import { signInPath } from '@/lib/auth/redirect';
import { clientAddress, HEADER, isSecure, openAccessRefusal } from '@/lib/auth/request';
import { withoutSession } from '@/lib/auth/respond';
import { openSession, sessionCookieName } from '@/lib/auth/session';
import { recordDenied } from '@/lib/audit';
import { AppError } from '@/lib/errors';
import { crossSiteRefusal, jsonError } from '@/lib/http';

// Runs before every route (Node.js runtime): security headers and a fresh CSP
// nonce on every response, cross-site refusal for state-changing requests,
// and, when sign-in is configured, no page or API without a session. Pages
// and route handlers check again (callerScope); this is the first door.

/** Reachable without a session. */
const PUBLIC =
  /^\/(signin|api\/auth\/.*|api\/health|icon\.svg|icon-\d+\.png|apple-touch-icon\.png|favicon\.ico|manifest\.webmanifest|robots\.txt)$/;

async function gate(
  request: NextRequest,
  path: string,
  forwarded: Headers,
): Promise<Response | null> {
  const settings = accessSettings();
  if (!settings.signIn && !settings.explicitlyOpen) {
    const why = openAccessRefusal(request.headers);
    if (why) return jsonError(new AppError('forbidden', why));
  }
  const refused = crossSiteRefusal(request);
  if (refused) return refused;
  if (!settings.signIn || PUBLIC.test(request.nextUrl.pathname)) return null;
  // The cookie's one name for this scheme (lib/auth/session.ts), checked in
  // full: the account, the groups' age, revocations (lib/access.ts).
  const secure = isSecure(request.headers, settings.publicUrl);
  const cookie = request.cookies.get(sessionCookieName(secure))?.value;
  const session = await openSession(cookie, settings.secret);
  let refusal: SessionRefusal | null = null;
  if (session) {
    let check;
    try {
      check = await checkSession(session);
    } catch (err) {
      // Revocations (or the accounts, the policy) cannot be read: nothing is served.
      return jsonError(err);
    }
    if (check.ok) return null;
    refusal = check.refusal;
    // This request's one event for it: pages and routes that find it refused again write none.
    const { id, name, via } = session;
    await recordDenied(refusal.reason, forwarded, { id, name, roles: [], via });
  }
  let response: NextResponse;
  if (request.nextUrl.pathname.startsWith('/api/')) {
    // Refused either way; rate-limited per address, never fatal here.
    if (!refusal) await recordDenied('no session', forwarded);
    const answer = jsonError(new AppError('unauthorized', refusal?.message ?? 'Sign in first'));
    response = new NextResponse(answer.body, answer);
  } else {
    // Same origin as the request, which Next.js sends on as a relative Location.
    const to = new URL(signInPath(path, refusal?.code), request.nextUrl);
    response = NextResponse.redirect(to, 307);
    response.headers.set('cache-control', 'no-store');
  }
  // A cookie that no longer counts is dropped, so that it is not refused (and recorded) again.
  return refusal ? withoutSession(response, secure) : response;
}

export async function proxy(request: NextRequest): Promise<Response> {
  const settings = accessSettings();
  const https = isSecure(request.headers, settings.publicUrl);
  const nonce = makeNonce();
  const csp = contentSecurityPolicy(nonce, { https, dev: process.env.NODE_ENV === 'development' });

  const url = new URL(request.nextUrl);
  // The client router's cache-busting parameter is not part of the address.
  if (url.searchParams.has('_rsc')) url.searchParams.delete('_rsc');
  const path = `${url.pathname}${url.search}`;
  const forwarded = new Headers(request.headers);
  for (const name of [...forwarded.keys()])
    if (name.startsWith('x-auditty-')) forwarded.delete(name);
  forwarded.set(HEADER.url, path);
  forwarded.set(HEADER.ip, clientAddress(request.headers, settings.trustedProxies));
  forwarded.set(HEADER.nonce, nonce);
  // Next.js reads the nonce from the request's CSP and puts it on its scripts.
  forwarded.set('content-security-policy', csp);

  const response =
    (await gate(request, path, forwarded)) ??
    NextResponse.next({ request: { headers: forwarded } });
  response.headers.set('content-security-policy', csp);
  for (const [name, value] of Object.entries(securityHeaders(https)))
    response.headers.set(name, value);
  return response;
}

export const config = {
  matcher: ['/((?!_next/static|_next/image).*)'],
};
