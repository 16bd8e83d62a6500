import { audit } from '@/lib/audit';
import { callerScope } from '@/lib/access';
import { handle } from '@/lib/http';
import { invalidParameter, listAuditParams, parseListUrl } from '@/lib/schemas';
import { getSource } from '@/lib/sources';

export const dynamic = 'force-dynamic';

// GET /api/recordings: the list as JSON (docs/http-api.md), plus `facets`
// with `facets=1`, `match` on items of a text search, `live` on recordings in
// progress, `totalApproximate` when the total is an estimate. Paging:
// pass `nextCursor` back as `cursor`, with the same sort.
export function GET(request: Request): Promise<Response> {
  return handle(async () => {
    const { query } = parseListUrl(new URL(request.url).searchParams);
    if (!query.success) throw invalidParameter(query.error);
    // Searches are audit events, written before anything is served.
    const scope = await callerScope();
    await audit('recordings-list', { params: listAuditParams(query.data) });
    const result = await getSource().list(scope, query.data);
    return Response.json(result, { headers: { 'cache-control': 'no-store' } });
  });
}
