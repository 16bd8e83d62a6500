import type { NextRequest } from 'next/server';
import { callerFor } from '@/lib/access';
import { writeAuditEvent } from '@/lib/audit';
import { accessSettings } from '@/lib/auth/config';
import {
  CALLBACK_PATH,
  finishSignIn,
  OIDC_COOKIE_PATH,
  oidcCookieName,
  transactionSchema,
} from '@/lib/auth/oidc';
import { safeNext } from '@/lib/auth/redirect';
import { isSecure, siteOrigin } from '@/lib/auth/request';
import { backToSignIn, seeOther, withSession } from '@/lib/auth/respond';
import {
  cookieOptions,
  newSession,
  sealSession,
  unseal,
  type NewSession,
} from '@/lib/auth/session';

export const dynamic = 'force-dynamic';

/** Second leg: the provider sends the browser back here with a code. */
export async function GET(request: NextRequest): Promise<Response> {
  const settings = accessSettings();
  if (!settings.oidc) return backToSignIn('/', 'unavailable');
  const h = request.headers;
  const secure = isSecure(h, settings.publicUrl);
  const cookie = oidcCookieName(secure);
  const sealed = request.cookies.get(cookie)?.value;
  const transaction = transactionSchema.safeParse(
    await unseal(sealed, settings.secret, 'oidc-transaction'),
  );
  // No transaction: expired, or a callback this browser never started.
  if (!transaction.success) return backToSignIn('/', 'oidc');
  const next = safeNext(transaction.data.next);
  const done = (response: ReturnType<typeof seeOther>) => {
    response.cookies.set(cookie, '', cookieOptions(secure, 0, OIDC_COOKIE_PATH));
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
  if (!identity.ok) {
    // The provider vouched for someone, but not for a name auditty may use.
    const reason = `refused: ${identity.reason}`;
    await writeAuditEvent('sign-in', { outcome: 'failure', reason }, null).catch(() => undefined);
    return done(backToSignIn(next, 'identity'));
  }

  const issued = Date.now();
  const session: NewSession = {
    id: identity.id,
    name: identity.name,
    via: 'oidc',
    groups: identity.groups,
  };
  const caller = await callerFor(newSession(session, issued));
  try {
    await writeAuditEvent(
      'sign-in',
      { user: { id: identity.id, name: identity.name, roles: caller?.roles ?? [], via: 'oidc' } },
      caller,
    );
  } catch {
    return done(backToSignIn(next, 'audit'));
  }
  const token = await sealSession(session, settings.secret, settings.sessionSeconds, issued);
  return done(withSession(seeOther(next), token, secure, settings.sessionSeconds));
}
