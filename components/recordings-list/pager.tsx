import type { ListParams } from '@/lib/list-params';
import Link from 'next/link';
import { hrefWith } from './params';

const link =
  'rounded border border-zinc-700 px-3 py-1 text-sm hover:border-emerald-600 hover:text-emerald-200 focus-visible:outline focus-visible:outline-2 focus-visible:outline-emerald-500';

/** Where this page is in the list, and the way on. Cursors only go forward; the browser's Back goes back. */
export function Pager({
  params,
  shown,
  total,
  approximate,
  nextCursor,
}: {
  params: ListParams;
  shown: number;
  total: number;
  approximate: boolean;
  nextCursor: string | null;
}) {
  return (
    <nav
      aria-label="Pages"
      className="flex flex-wrap items-center justify-between gap-3 text-sm text-zinc-400"
    >
      <p>
        {shown.toLocaleString('en')} shown {params.cursor ? 'on this page ' : ''}of{' '}
        <span
          title={
            approximate ? 'Elasticsearch estimates counts this large (within 0.1%)' : undefined
          }
        >
          {approximate ? 'about ' : ''}
          {total.toLocaleString('en')}
        </span>{' '}
        recording{total === 1 ? '' : 's'}
      </p>
      <div className="flex items-center gap-2">
        {params.cursor ? (
          <Link href={hrefWith(params, {})} className={link}>
            « First page
          </Link>
        ) : null}
        {nextCursor ? (
          <Link
            href={hrefWith(params, { cursor: nextCursor }, true)}
            rel="next"
            className={link}
            data-testid="next-page"
          >
            Next page »
          </Link>
        ) : shown > 0 ? (
          <span className="text-xs text-zinc-500">End of the list</span>
        ) : null}
      </div>
    </nav>
  );
}
