import type { NextRequest } from 'next/server';
import { callerFor, passwordStamp } from '@/lib/access';
import { writeAuditEvent } from '@/lib/audit';
import { accessSettings } from '@/lib/auth/config';
import { crossSiteRefusal } from '@/lib/http';
import { localIdentity } from '@/lib/auth/identity';
import { checkLocalSignIn, signInFormSchema, type LocalSignIn } from '@/lib/auth/local';
import { safeNext } from '@/lib/auth/redirect';
import { clientAddress, HEADER, isSecure } from '@/lib/auth/request';
import { backToSignIn, seeOther, withSession } from '@/lib/auth/respond';
import { newSession, sealSession, type NewSession } from '@/lib/auth/session';

export const dynamic = 'force-dynamic';

/** The audit trail's reason for each refusal. */
const REFUSALS = {
  credentials: 'wrong user name or password',
  throttled: 'throttled',
  busy: 'too many sign-ins at once',
} as const satisfies Record<Extract<LocalSignIn, { ok: false }>['reason'], string>;

/** The sign-in form of local accounts (a plain HTML form POST). */
export async function POST(request: NextRequest): Promise<Response> {
  const refused = crossSiteRefusal(request);
  if (refused) return refused;
  const settings = accessSettings();
  const h = request.headers;
  const form = await request.formData().catch(() => null);
  const next = safeNext(typeof form?.get('next') === 'string' ? String(form?.get('next')) : null);
  if (!settings.usersFile) return backToSignIn(next, 'unavailable');
  const parsed = signInFormSchema.safeParse({
    username: form?.get('username'),
    password: form?.get('password'),
  });
  if (!parsed.success) return backToSignIn(next, 'credentials');
  const { username, password } = parsed.data;
  const address = h.get(HEADER.ip) ?? clientAddress(h);

  const result = await checkLocalSignIn(settings.usersFile, username, password, address);
  if (!result.ok) {
    const reason = REFUSALS[result.reason];
    // Refused either way: a trail that cannot be written is logged, not fatal here.
    await writeAuditEvent(
      'sign-in',
      {
        outcome: 'failure',
        reason,
        // The name tried: its owner sees attempts on their account in their own access log.
        user: { id: localIdentity(username), name: username, roles: [], via: 'local' },
      },
      null,
    ).catch(() => undefined);
    return backToSignIn(next, result.reason);
  }

  const issued = Date.now();
  const session: NewSession = {
    name: username,
    via: 'local',
    stamp: passwordStamp(result.account.password),
  };
  const claims = newSession(session, issued);
  const caller = await callerFor(claims);
  try {
    await writeAuditEvent(
      'sign-in',
      { user: { id: claims.id, name: username, roles: caller?.roles ?? [], via: 'local' } },
      caller,
    );
  } catch {
    return backToSignIn(next, 'audit');
  }
  const token = await sealSession(session, settings.secret, settings.sessionSeconds, issued);
  return withSession(
    seeOther(next),
    token,
    isSecure(h, settings.publicUrl),
    settings.sessionSeconds,
  );
}
