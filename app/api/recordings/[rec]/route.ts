import { callerScope } from '@/lib/access';
import { auditFound } from '@/lib/audit';
import { handle, notFound, parseRecordingId } from '@/lib/http';
import { getSource } from '@/lib/sources';

export const dynamic = 'force-dynamic';

export function GET(
  _request: Request,
  { params }: { params: Promise<{ rec: string }> },
): Promise<Response> {
  return handle(async () => {
    const id = parseRecordingId((await params).rec);
    const summary = await auditFound(
      'recording-view',
      id,
      await getSource().get(await callerScope(), id),
    );
    if (!summary) throw notFound();
    return Response.json(summary, { headers: { 'cache-control': 'no-store' } });
  });
}
