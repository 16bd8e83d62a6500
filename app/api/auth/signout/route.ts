import type { NextRequest } from 'next/server';
import { audit } from '@/lib/audit';
import { accessSettings } from '@/lib/auth/config';
import { crossSiteRefusal } from '@/lib/http';
import { isSecure } from '@/lib/auth/request';
import { seeOther, withoutSession } from '@/lib/auth/respond';

export const dynamic = 'force-dynamic';

/** Ends the session (a form POST from the header's "Sign out" button). */
export async function POST(request: NextRequest): Promise<Response> {
  const refused = crossSiteRefusal(request);
  if (refused) return refused;
  const settings = accessSettings();
  const h = request.headers;
  // Signing out always works; a trail that cannot be written is logged.
  await audit('sign-out').catch(() => undefined);
  return withoutSession(
    seeOther(settings.signIn ? '/signin' : '/'),
    isSecure(h, settings.publicUrl),
  );
}
