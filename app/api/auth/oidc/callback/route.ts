import type { NextRequest } from 'next/server';
import { callerFor } from '@/lib/access';
import { writeAuditEvent } from '@/lib/audit';
import { accessSettings } from '@/lib/auth/config';
import {
  CALLBACK_PATH,
  finishSignIn,
  OIDC_COOKIE,
  OIDC_COOKIE_PATH,
  transactionSchema,
} from '@/lib/auth/oidc';
import { safeNext } from '@/lib/auth/redirect';
import { isSecure, siteOrigin } from '@/lib/auth/request';
import { backToSignIn, seeOther, withSession } from '@/lib/auth/respond';
import { cookieOptions, sealSession, unseal } from '@/lib/auth/session';

export const dynamic = 'force-dynamic';

/** Second leg: the provider sends the browser back here with a code. */
export async function GET(request: NextRequest): Promise<Response> {
  const settings = accessSettings();
  if (!settings.oidc) return backToSignIn('/', 'unavailable');
  const h = request.headers;
  const secure = isSecure(h, settings.publicUrl);
  const sealed = request.cookies.get(OIDC_COOKIE)?.value;
  const transaction = transactionSchema.safeParse(
    await unseal(sealed, settings.secret, 'oidc-transaction'),
  );
  // No transaction: expired, or a callback this browser never started.
  if (!transaction.success) return backToSignIn('/', 'oidc');
  const next = safeNext(transaction.data.next);
  const done = (response: ReturnType<typeof seeOther>) => {
    response.cookies.set(OIDC_COOKIE, '', cookieOptions(secure, 0, OIDC_COOKIE_PATH));
    return response;
  };

  let identity;
  try {
    const callbackUrl = new URL(
      `${CALLBACK_PATH}${request.nextUrl.search}`,
      siteOrigin(h, settings.publicUrl),
    );
    identity = await finishSignIn(settings.oidc, callbackUrl, transaction.data);
  } catch (err) {
    console.error('oidc: sign-in failed:', err);
    const reason = `provider sign-in failed: ${err instanceof Error ? err.message : String(err)}`;
    await writeAuditEvent('sign-in', { outcome: 'failure', reason }, null).catch(() => undefined);
    return done(backToSignIn(next, 'oidc'));
  }

  const session = { name: identity.name, via: 'oidc' as const, groups: identity.groups };
  const caller = await callerFor({ ...session, exp: 0 });
  try {
    await writeAuditEvent(
      'sign-in',
      { user: { name: identity.name, roles: caller?.roles ?? [], via: 'oidc' } },
      caller,
    );
  } catch {
    return done(backToSignIn(next, 'audit'));
  }
  const token = await sealSession(session, settings.secret, settings.sessionSeconds);
  return done(withSession(seeOther(next), token, secure, settings.sessionSeconds));
}
