import type { ListParams } from '@/lib/list-params';
import Link from 'next/link';
import { hasFilters, hrefWith } from './params';

/** No recordings: says why (the filters, or the source itself) and how to widen the search. */
export function EmptyState({
  params,
  sourceDetail,
}: {
  params: ListParams;
  sourceDetail: string | null;
}) {
  if (!hasFilters(params)) {
    return (
      <div role="status" className="rounded-md border border-zinc-800 bg-zinc-950 p-6">
        <h2 className="mb-1 font-semibold text-zinc-100">No recordings yet</h2>
        <p className="text-sm text-zinc-400">
          auditty reads from {sourceDetail ?? 'its source'}, and found nothing there. Recordings
          appear here as tlog-rec ships them (see /api/health).
        </p>
      </div>
    );
  }
  const ways: { label: string; href: string }[] = [];
  if (params.q)
    ways.push({
      label: `Search all text again without “${params.q}”`,
      href: hrefWith(params, { q: undefined }),
    });
  if (params.from || params.to)
    ways.push({
      label: 'Look at any time',
      href: hrefWith(params, { from: undefined, to: undefined }),
    });
  if (params.min) ways.push({ label: 'Any duration', href: hrefWith(params, { min: undefined }) });
  if (params.user.length + params.host.length > 0)
    ways.push({ label: 'Every user and host', href: hrefWith(params, { user: [], host: [] }) });
  return (
    <div
      role="status"
      className="rounded-md border border-zinc-800 bg-zinc-950 p-6"
      data-testid="empty-state"
    >
      <h2 className="mb-1 font-semibold text-zinc-100">No recordings match</h2>
      <p className="mb-3 text-sm text-zinc-400">
        {params.q ? (
          <>
            No output contains <span className="font-mono text-zinc-200">{params.q}</span> with
            these filters. Words are matched whole (try a prefix like{' '}
            <span className="font-mono">deplo*</span>), all of them in one message.
          </>
        ) : (
          'Nothing was recorded with all of these filters.'
        )}
      </p>
      {sourceDetail ? <p className="mb-3 text-xs text-zinc-500">Source: {sourceDetail}</p> : null}
      <ul className="flex flex-wrap gap-2 text-sm">
        {ways.map((way) => (
          <li key={way.label}>
            <Link
              href={way.href}
              className="rounded border border-zinc-700 px-3 py-1 text-emerald-300 hover:border-emerald-600 focus-visible:outline focus-visible:outline-2 focus-visible:outline-emerald-500"
            >
              {way.label}
            </Link>
          </li>
        ))}
      </ul>
    </div>
  );
}
