import type { ListParams } from '@/lib/list-params';
import Link from 'next/link';
import type { FacetValue } from '@/lib/sources/types';
import { hrefWith, toggled } from './params';

/**
 * Top users or hosts with their recordings. A click adds the value to the
 * filter (or removes it); the counts ignore this facet's own filter, so the
 * other values stay pickable.
 */
export function FacetPanel({
  title,
  field,
  values,
  params,
}: {
  title: string;
  field: 'user' | 'host';
  /** null when the list could not be read. */
  values: FacetValue[] | null;
  params: ListParams;
}) {
  const selected = params[field];
  const shown = new Set((values ?? []).map((v) => v.value));
  // A selected value outside the top list still shows, so it can be removed here.
  const extra = selected.filter((v) => !shown.has(v)).map((value) => ({ value, count: null }));
  const rows: { value: string; count: number | null }[] = [...(values ?? []), ...extra];
  const max = Math.max(1, ...(values ?? []).map((v) => v.count));
  return (
    <nav
      aria-labelledby={`facet-${field}`}
      className="rounded-md border border-zinc-800 bg-zinc-950"
    >
      <h2
        id={`facet-${field}`}
        className="flex items-baseline justify-between border-b border-zinc-800 px-3 py-2 text-xs font-semibold uppercase tracking-wide text-zinc-400"
      >
        {title}
        {selected.length > 0 ? (
          <Link
            href={hrefWith(params, { [field]: [] })}
            className="font-normal normal-case tracking-normal text-emerald-400 hover:underline"
          >
            clear
          </Link>
        ) : null}
      </h2>
      {rows.length === 0 ? (
        <p className="px-3 py-2 text-xs text-zinc-500">
          {values === null ? 'No counts without a list' : 'None match'}
        </p>
      ) : (
        <ul className="py-1">
          {rows.map(({ value, count }) => {
            const active = selected.includes(value);
            return (
              <li key={value}>
                <Link
                  href={hrefWith(params, { [field]: toggled(selected, value) })}
                  aria-current={active ? 'true' : undefined}
                  data-testid={`facet-${field}`}
                  title={
                    active
                      ? `Remove the ${field} filter ${value}`
                      : `Only recordings of ${field} ${value}`
                  }
                  className={`relative flex items-center gap-2 px-3 py-1 text-sm focus-visible:outline focus-visible:outline-2 focus-visible:-outline-offset-2 focus-visible:outline-emerald-500 ${active ? 'text-emerald-200' : 'text-zinc-300 hover:text-zinc-100'}`}
                >
                  <span
                    aria-hidden="true"
                    className={`absolute inset-y-0.5 left-0 rounded-r ${active ? 'bg-emerald-500/20' : 'bg-zinc-800/60'}`}
                    style={{ width: `${count === null ? 0 : Math.round((count / max) * 100)}%` }}
                  />
                  <span aria-hidden="true" className="relative w-3 text-emerald-400">
                    {active ? '✓' : ''}
                  </span>
                  <span
                    className="relative min-w-0 flex-1 truncate font-mono text-xs"
                    title={value}
                  >
                    {value}
                  </span>
                  <span className="relative font-mono text-xs text-zinc-400">
                    {count === null ? '' : count.toLocaleString('en')}
                  </span>
                </Link>
              </li>
            );
          })}
        </ul>
      )}
    </nav>
  );
}
