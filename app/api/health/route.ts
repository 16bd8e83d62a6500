import { currentCaller } from '@/lib/access';
import { accessSettings } from '@/lib/auth/config';
import { getSource } from '@/lib/sources';

export const dynamic = 'force-dynamic';

const VERSION = process.env.npm_package_version ?? '0.1.0';

/**
 * Open to everyone, for load balancers: the status and the HTTP code say
 * whether auditty can serve. What the source is (its kind, address, index,
 * counts) is for admins only when sign-in is configured (open access has no
 * one else), never for the network.
 */
export async function GET(): Promise<Response> {
  const details =
    !accessSettings().signIn || (await currentCaller().catch(() => null))?.admin === true;
  try {
    const health = await getSource().health();
    const status = health.reachable ? 'ok' : 'unavailable';
    return Response.json(details ? { status, source: health, version: VERSION } : { status }, {
      status: health.reachable ? 200 : 503,
      headers: { 'cache-control': 'no-store' },
    });
  } catch (err) {
    console.error('health:', err);
    return Response.json(
      details
        ? { status: 'unavailable', source: null, version: VERSION }
        : { status: 'unavailable' },
      { status: 503, headers: { 'cache-control': 'no-store' } },
    );
  }
}
