import type { RecordingSummary } from '@/lib/sources/types';
import type { ListParams } from '@/lib/list-params';
import { RecordingRow } from './recording-row';
import { SortHeader } from './sort-header';

const th = 'px-2 py-2 font-medium';

/** The recordings of a page. `names: false` drops host and user (the grouped view shows them as headings). */
export function RecordingsTable({
  items,
  params,
  names = true,
  caption,
}: {
  items: RecordingSummary[];
  params: ListParams;
  names?: boolean;
  caption?: string;
}) {
  return (
    <div className="overflow-x-auto rounded-md border border-zinc-800">
      <table className="w-full text-left text-sm">
        {caption ? <caption className="sr-only">{caption}</caption> : null}
        <thead className="bg-zinc-900 text-xs uppercase tracking-wide text-zinc-400">
          <tr>
            {names ? (
              <>
                <SortHeader field="start" label="Start (UTC)" params={params} />
                <SortHeader field="host" label="Host" params={params} />
                <SortHeader field="user" label="User" params={params} />
              </>
            ) : (
              <th scope="col" className={th}>
                Start (UTC)
              </th>
            )}
            <th scope="col" className={th}>
              Session
            </th>
            <th scope="col" className={th}>
              End
            </th>
            {names ? (
              <SortHeader
                field="duration"
                label="Duration"
                params={params}
                className="text-right"
              />
            ) : (
              <th scope="col" className={`${th} text-right`}>
                Duration
              </th>
            )}
            <th scope="col" className={`${th} text-right`}>
              Messages
            </th>
            <th scope="col" className={`${th} text-center`}>
              Input
            </th>
            <th scope="col" className={`${th} text-right`}>
              Gaps
            </th>
          </tr>
        </thead>
        <tbody>
          {items.map((item) => (
            <RecordingRow key={item.id} item={item} params={params} names={names} />
          ))}
        </tbody>
      </table>
    </div>
  );
}
