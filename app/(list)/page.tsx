import Link from 'next/link';
import { ActiveFilters } from '@/components/recordings-list/active-filters';
import { FacetPanel } from '@/components/recordings-list/facet-panel';
import { FilterForm } from '@/components/recordings-list/filter-form';
import { KeyboardNav } from '@/components/recordings-list/keyboard-nav';
import { toHref } from '@/components/recordings-list/params';
import { Results } from '@/components/recordings-list/results';
import { SearchBox } from '@/components/recordings-list/search-box';
import { ViewToggle } from '@/components/recordings-list/view-toggle';
import { ErrorNotice } from '@/components/error-notice';
import { callerScope, maySeeSourceDetail } from '@/lib/access';
import { audit } from '@/lib/audit';
import { AppError } from '@/lib/errors';
import { listAuditParams, parseListUrl } from '@/lib/schemas';
import { getSource, type ListResult } from '@/lib/sources';

export const dynamic = 'force-dynamic';

export default async function RecordingsPage({
  searchParams,
}: {
  searchParams: Promise<Record<string, string | string[] | undefined>>;
}) {
  const { params, query: parsed } = parseListUrl(await searchParams);
  const source = getSource();
  let result: ListResult | null = null;
  let problem: { title: string; message: string; retry: boolean } | null = null;
  if (!parsed.success) {
    const issues = parsed.error.issues.map(
      (i) => `${i.path.join('.') || 'parameter'}: ${i.message}`,
    );
    problem = {
      title: issues.length === 1 ? 'This filter is not valid' : 'These filters are not valid',
      message: `${issues.join('; ')}. Fix ${issues.length === 1 ? 'it' : 'them'} above, or remove ${issues.length === 1 ? 'it' : 'them'}.`,
      retry: false,
    };
  } else {
    try {
      const scope = await callerScope();
      // Searches are audit events, written before anything is served.
      await audit('recordings-list', { params: listAuditParams(parsed.data) });
      result = await source.list(scope, { ...parsed.data, facets: true });
    } catch (err) {
      if (!(err instanceof AppError)) throw err;
      problem = { title: 'Recordings could not be listed', message: err.message, retry: true };
    }
  }
  // An empty list: say what the source is looking at (an index pattern that
  // matches nothing, an empty directory).
  const sourceDetail =
    result && result.items.length === 0 && (await maySeeSourceDetail())
      ? (await source.health()).detail
      : null;
  const from = source.kind === 'elasticsearch' ? 'Elasticsearch' : 'recording files';

  return (
    <section aria-labelledby="recordings-heading" className="space-y-4">
      <div className="flex flex-wrap items-center justify-between gap-3">
        <div className="flex items-baseline gap-3">
          <h1 id="recordings-heading" className="text-xl font-semibold">
            Recordings
          </h1>
          <p className="text-sm text-zinc-400" aria-live="polite">
            {result
              ? `${result.totalApproximate ? 'about ' : ''}${result.total.toLocaleString('en')} recording${result.total === 1 ? '' : 's'} in ${from}`
              : `from ${from}`}
          </p>
        </div>
        <ViewToggle params={params} />
      </div>
      <SearchBox key={params.q ?? ''} params={params} />
      <FilterForm
        params={params}
        users={result?.facets?.users.map((f) => f.value) ?? []}
        hosts={result?.facets?.hosts.map((f) => f.value) ?? []}
      />
      <ActiveFilters params={params} />
      <div className="grid gap-4 lg:grid-cols-[15rem_minmax(0,1fr)] 2xl:grid-cols-[17rem_minmax(0,1fr)]">
        <aside aria-label="Facets" className="space-y-4">
          <FacetPanel
            title="Users"
            field="user"
            values={result?.facets?.users ?? null}
            params={params}
          />
          <FacetPanel
            title="Hosts"
            field="host"
            values={result?.facets?.hosts ?? null}
            params={params}
          />
        </aside>
        {problem || !result ? (
          <div className="min-w-0 space-y-3">
            <ErrorNotice
              title={problem?.title ?? 'Recordings could not be listed'}
              message={problem?.message ?? ''}
            />
            {problem?.retry ? (
              <Link
                href={toHref(params)}
                className="inline-block rounded border border-zinc-700 px-3 py-1 text-sm hover:border-emerald-600"
              >
                Try again
              </Link>
            ) : null}
          </div>
        ) : (
          <Results params={params} result={result} sourceDetail={sourceDetail} />
        )}
      </div>
      <KeyboardNav />
    </section>
  );
}
