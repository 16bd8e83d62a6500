import { audit } from '@/lib/audit';
import { AppError } from '@/lib/errors';
import { callerScope } from '@/lib/access';
import { handle } from '@/lib/http';
import { listAuditParams, listParamsSchema, paramsRecord } from '@/lib/schemas';
import { getSource } from '@/lib/sources';

export const dynamic = 'force-dynamic';

// GET /api/recordings: the list as JSON (shared/DESIGN.md), plus `facets`
// with `facets=1`, `match` on items of a text search, `live` on recordings in
// progress, `totalApproximate` when the total is an estimate. Paging:
// pass `nextCursor` back as `cursor`, with the same sort.
export function GET(request: Request): Promise<Response> {
  return handle(async () => {
    const params = paramsRecord(new URL(request.url).searchParams);
    const parsed = listParamsSchema.safeParse(params);
    if (!parsed.success) {
      const issue = parsed.error.issues[0];
      throw new AppError(
        'bad_request',
        `Invalid parameter ${issue?.path.join('.') ?? ''}: ${issue?.message ?? 'invalid'}`,
      );
    }
    // Searches are audit events, written before anything is served.
    const scope = await callerScope();
    await audit('recordings-list', { params: listAuditParams(parsed.data) });
    const result = await getSource().list(scope, parsed.data);
    return Response.json(result, { headers: { 'cache-control': 'no-store' } });
  });
}
