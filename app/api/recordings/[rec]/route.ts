import { callerScope } from '@/lib/access';
import { auditFound } from '@/lib/audit';
import { notFound, recordingRoute } from '@/lib/http';
import { getSource } from '@/lib/sources';

export const dynamic = 'force-dynamic';

export const GET = recordingRoute(async (id) => {
  const summary = await auditFound(
    'recording-view',
    id,
    await getSource().get(await callerScope(), id),
  );
  if (!summary) throw notFound();
  return Response.json(summary, { headers: { 'cache-control': 'no-store' } });
});
