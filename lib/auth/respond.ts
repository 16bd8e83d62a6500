import 'server-only';
import { NextResponse } from 'next/server';
import { signInPath } from './redirect';
import { cookieOptions, sessionCookieName } from './session';

// Responses of the sign-in routes: relative redirects (they hold behind any
// reverse proxy's host name) and the session cookie.

export const SIGN_IN_ERRORS = [
  'credentials',
  'throttled',
  'busy',
  'audit',
  'oidc',
  'unavailable',
  /** The provider answered, but without a usable name (AUTH_USERNAME_CLAIM, a verified email). */
  'identity',
  /** Sessions that no longer count (lib/access.ts SessionRefusal codes). */
  'ended',
  'revoked',
  'stale',
  /** Signed out of this browser, but the sign-out could not be recorded: copies may still work. */
  'signout',
] as const;
export type SignInError = (typeof SIGN_IN_ERRORS)[number];

export function seeOther(location: string): NextResponse {
  return new NextResponse(null, {
    status: 303,
    headers: { location, 'cache-control': 'no-store' },
  });
}

/** Back to the sign-in page with an error, keeping where the caller was going. */
export function backToSignIn(next: string, error: SignInError): NextResponse {
  return seeOther(signInPath(next, error));
}

export function withSession(
  response: NextResponse,
  token: string,
  secure: boolean,
  maxAge: number,
): NextResponse {
  response.cookies.set(sessionCookieName(secure), token, cookieOptions(secure, maxAge));
  return response;
}

export function withoutSession(response: NextResponse, secure: boolean): NextResponse {
  response.cookies.set(sessionCookieName(secure), '', cookieOptions(secure, 0));
  return response;
}
