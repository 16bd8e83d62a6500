import { accessSettings } from '@/lib/auth/config';
import { getSource } from '@/lib/sources';

export const dynamic = 'force-dynamic';

const VERSION = process.env.npm_package_version ?? '0.1.0';

/**
 * Open to everyone, for load balancers. With sign-in configured it says only
 * whether auditty can serve (status and HTTP code): the source's kind,
 * address, index and counts are for signed-in people, not for the network.
 */
export async function GET(): Promise<Response> {
  const open = !accessSettings().signIn;
  try {
    const health = await getSource().health();
    const status = health.reachable ? 'ok' : 'unavailable';
    return Response.json(open ? { status, source: health, version: VERSION } : { status }, {
      status: health.reachable ? 200 : 503,
      headers: { 'cache-control': 'no-store' },
    });
  } catch (err) {
    console.error('health:', err);
    return Response.json(
      open ? { status: 'unavailable', source: null, version: VERSION } : { status: 'unavailable' },
      {
        status: 503,
        headers: { 'cache-control': 'no-store' },
      },
    );
  }
}
