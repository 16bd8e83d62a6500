import type { ListParams } from '@/lib/list-params';
import Link from 'next/link';
import { hrefWith } from './params';

/** Table or grouped by host then user; grouping sorts by host unless sorted by a name already. */
export function ViewToggle({ params }: { params: ListParams }) {
  const grouped = params.view === 'grouped';
  const byName = /^(host|user):/.test(params.sort ?? '');
  const item = (active: boolean) =>
    `px-3 py-1 text-sm focus-visible:outline focus-visible:outline-2 focus-visible:-outline-offset-2 focus-visible:outline-emerald-500 ${active ? 'bg-zinc-700 text-zinc-50' : 'text-zinc-400 hover:text-zinc-100'}`;
  return (
    <div
      role="group"
      aria-label="View"
      className="inline-flex overflow-hidden rounded-md border border-zinc-700"
    >
      <Link
        href={hrefWith(params, { view: undefined })}
        aria-current={!grouped ? 'true' : undefined}
        className={item(!grouped)}
      >
        Table
      </Link>
      <Link
        href={hrefWith(params, { view: 'grouped', ...(byName ? {} : { sort: 'host:asc' }) })}
        aria-current={grouped ? 'true' : undefined}
        className={item(grouped)}
      >
        By host and user
      </Link>
    </div>
  );
}
