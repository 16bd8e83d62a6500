import { audit } from '@/lib/audit';
import { callerScope } from '@/lib/access';
import { AppError } from '@/lib/errors';
import { handle } from '@/lib/http';
import { invalidParameter, listAuditParams, parseListUrl } from '@/lib/schemas';
import { recordingIdSchema } from '@/lib/sources/ids';
import { getSource } from '@/lib/sources';

export const dynamic = 'force-dynamic';

/** The most recordings `rows=` asks for at once (components/recordings-list/live-rows.ts). */
const MAX_ROWS = 50;

// GET /api/recordings: the list as JSON (docs/http-api.md), plus `facets`
// with `facets=1`, `match` on items of a text search, `live` on recordings in
// progress, `totalApproximate` when the total is an estimate. Paging:
// pass `nextCursor` back as `cursor`, with the same sort.
// `rows=id,id,...` alone: those recordings' summaries as they are now (the
// list keeping its live rows current), those outside the scope left out.
export function GET(request: Request): Promise<Response> {
  return handle(async () => {
    const search = new URL(request.url).searchParams;
    if (search.has('rows')) return rows(search);
    const { query } = parseListUrl(search);
    if (!query.success) throw invalidParameter(query.error);
    // Searches are audit events, written before anything is served.
    const scope = await callerScope();
    await audit('recordings-list', { params: listAuditParams(query.data) });
    const result = await getSource().list(scope, query.data);
    return Response.json(result, { headers: { 'cache-control': 'no-store' } });
  });
}

async function rows(search: URLSearchParams): Promise<Response> {
  const bad = (message: string) =>
    new AppError('bad_request', `Invalid parameter rows: ${message}`);
  if ([...search.keys()].some((key) => key !== 'rows') || search.getAll('rows').length !== 1)
    throw bad('give it once, and alone');
  const ids = (search.get('rows') ?? '').split(',');
  if (ids.length > MAX_ROWS) throw bad(`at most ${MAX_ROWS} recordings`);
  if (!ids.every((id) => recordingIdSchema.safeParse(id).success)) throw bad('not recording ids');
  const scope = await callerScope();
  await audit('recordings-list', { params: { rows: ids } });
  const source = getSource();
  const found = await Promise.all([...new Set(ids)].map((id) => source.get(scope, id)));
  const items = found.filter((summary) => summary !== null);
  return Response.json({ items }, { headers: { 'cache-control': 'no-store' } });
}
