import { getSource } from '@/lib/sources';

export const dynamic = 'force-dynamic';

const VERSION = process.env.npm_package_version ?? '0.1.0';

export async function GET(): Promise<Response> {
  try {
    const health = await getSource().health();
    return Response.json(
      { status: health.reachable ? 'ok' : 'unavailable', source: health, version: VERSION },
      { status: health.reachable ? 200 : 503, headers: { 'cache-control': 'no-store' } },
    );
  } catch (err) {
    console.error('health:', err);
    return Response.json(
      { status: 'unavailable', source: null, version: VERSION },
      { status: 503, headers: { 'cache-control': 'no-store' } },
    );
  }
}
