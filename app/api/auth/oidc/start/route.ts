import { NextResponse, type NextRequest } from 'next/server';
import { accessSettings } from '@/lib/auth/config';
import {
  CALLBACK_PATH,
  OIDC_COOKIE_PATH,
  oidcCookieName,
  startSignIn,
  TRANSACTION_SECONDS,
} from '@/lib/auth/oidc';
import { safeNext } from '@/lib/auth/redirect';
import { isSecure, siteOrigin } from '@/lib/auth/request';
import { backToSignIn } from '@/lib/auth/respond';
import { cookieOptions, seal } from '@/lib/auth/session';

export const dynamic = 'force-dynamic';

/**
 * First leg: a link on the sign-in page (GET, so that form-action 'self'
 * does not stand in the way of the redirect to the provider). A forged link
 * only starts a sign-in that the victim must complete at their provider, and
 * the callback accepts only the state sealed into this browser's cookie.
 */
export async function GET(request: NextRequest): Promise<Response> {
  const settings = accessSettings();
  const next = safeNext(request.nextUrl.searchParams.get('next'));
  if (!settings.oidc) return backToSignIn(next, 'unavailable');
  const h = request.headers;
  const redirectUri = `${siteOrigin(h, settings.publicUrl)}${CALLBACK_PATH}`;
  let started;
  try {
    started = await startSignIn(settings.oidc, redirectUri, next);
  } catch (err) {
    console.error('oidc: could not start sign-in:', err);
    return backToSignIn(next, 'oidc');
  }
  const sealed = await seal(
    started.transaction,
    settings.secret,
    'oidc-transaction',
    TRANSACTION_SECONDS,
  );
  const response = new NextResponse(null, {
    status: 303,
    headers: { location: started.url.href, 'cache-control': 'no-store' },
  });
  const secure = isSecure(h, settings.publicUrl);
  response.cookies.set(
    oidcCookieName(secure),
    sealed,
    cookieOptions(secure, TRANSACTION_SECONDS, OIDC_COOKIE_PATH),
  );
  return response;
}
