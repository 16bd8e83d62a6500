import { requireCaller } from '@/lib/access';
import { auditSink, searchEvents } from '@/lib/audit';
import { eventFilterSchema } from '@/lib/audit/query';
import { AppError } from '@/lib/errors';
import { handle } from '@/lib/http';
import { invalidParameter, paramsRecord } from '@/lib/schemas';

export const dynamic = 'force-dynamic';

/**
 * GET /api/audit/events?user=&action=&recording=&from=&to=&size=&cursor= ->
 * {"items":[ECS events],"nextCursor"}. Admins see everyone's events; others
 * only their own (the user filter is then theirs, whatever was asked).
 */
export function GET(request: Request): Promise<Response> {
  return handle(async () => {
    const caller = await requireCaller();
    if (!auditSink())
      throw new AppError(
        'not_found',
        'There is no audit trail (set AUDIT_INDEX or AUDIT_LOG_FILE)',
      );
    const parsed = eventFilterSchema.safeParse(paramsRecord(new URL(request.url).searchParams));
    if (!parsed.success) throw invalidParameter(parsed.error);
    return Response.json(await searchEvents(caller, parsed.data), {
      headers: { 'cache-control': 'no-store' },
    });
  });
}
