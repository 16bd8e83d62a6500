import type { ListResult } from '@/lib/sources/types';
import { RecordingsTable } from './recordings-table';
import { EmptyState } from './empty-state';
import { GroupedView } from './grouped-view';
import { Pager } from './pager';
import type { ListParams } from '@/lib/list-params';

/** The list itself: notices, the table or grouped view (or why it is empty), the pager. */
export function Results({
  params,
  result,
  sourceDetail,
}: {
  params: ListParams;
  result: ListResult;
  sourceDetail: string | null;
}) {
  return (
    <div className="min-w-0 space-y-3">
      {result.notices?.map((notice) => (
        <p
          key={notice}
          role="note"
          className="rounded border border-amber-900 bg-amber-950/40 px-3 py-2 text-sm text-amber-200"
        >
          {notice} (see /api/health).
        </p>
      ))}
      {params.q && result.items.length > 0 ? (
        <p className="text-xs text-zinc-500">
          Each match shows where the text first appears; ▶ opens the player paused at the moment it
          was printed.
        </p>
      ) : null}
      {result.items.length === 0 ? (
        <EmptyState params={params} sourceDetail={sourceDetail} />
      ) : params.view === 'grouped' ? (
        <GroupedView items={result.items} params={params} />
      ) : (
        <RecordingsTable items={result.items} params={params} caption="Recordings" />
      )}
      {result.items.length === 0 && !params.cursor ? null : (
        <Pager
          params={params}
          shown={result.items.length}
          total={result.total}
          approximate={result.totalApproximate === true}
          nextCursor={result.nextCursor}
        />
      )}
    </div>
  );
}
