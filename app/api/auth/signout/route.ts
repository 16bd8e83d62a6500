import type { NextRequest } from 'next/server';
import { currentCaller, type Caller } from '@/lib/access';
import { writeAuditEvent } from '@/lib/audit';
import { accessSettings } from '@/lib/auth/config';
import { crossSiteRefusal } from '@/lib/http';
import { signInPath } from '@/lib/auth/redirect';
import { isSecure } from '@/lib/auth/request';
import { seeOther, withoutSession } from '@/lib/auth/respond';
import { revocationStore } from '@/lib/auth/revocation';

export const dynamic = 'force-dynamic';

/**
 * Ends the session (a form POST from the header's "Sign out" button), and
 * every other session of the same person issued before now: the sign-out
 * event is the revocation every instance reads (lib/auth/revocation.ts), so
 * a copy of the cookie stops working too. Signing out always clears this
 * browser's cookie; when the event cannot be written, the sign-in page says
 * that copies elsewhere may still work.
 */
export async function POST(request: NextRequest): Promise<Response> {
  const refused = crossSiteRefusal(request);
  if (refused) return refused;
  const settings = accessSettings();
  const h = request.headers;
  let caller: Caller | null = null;
  let recorded = true;
  try {
    caller = await currentCaller();
  } catch {
    // The revocations cannot be read: whether this session counts is unknown.
    recorded = false;
  }
  const now = new Date();
  // This instance refuses the older sessions at once, whatever the trail does.
  if (caller?.id) revocationStore()?.revoked(caller.id, now.getTime());
  try {
    await writeAuditEvent('sign-out', { now }, caller);
  } catch {
    if (caller?.id) recorded = false;
  }
  const to = !settings.signIn ? '/' : recorded ? '/signin' : signInPath('/', 'signout');
  return withoutSession(seeOther(to), isSecure(h, settings.publicUrl));
}
