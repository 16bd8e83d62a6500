import { SINGLE_PARAMS, type ListParams } from '@/lib/list-params';

// The list page's state is its URL (read by lib/list-params.ts). These
// helpers build the links that change one thing. Every change but paging
// starts again from the first page, so the cursor is dropped unless asked to
// keep it.

/** `?user=a&host=b...` (or `/` alone) in a stable order, so equal states give equal URLs. */
export function toHref(params: ListParams): string {
  const search = new URLSearchParams();
  if (params.q) search.set('q', params.q);
  for (const user of params.user) search.append('user', user);
  for (const host of params.host) search.append('host', host);
  for (const key of SINGLE_PARAMS) {
    const value = params[key];
    if (key !== 'q' && value) search.set(key, value);
  }
  const text = search.toString();
  return text ? `/?${text}` : '/';
}

/** The same view with some parameters changed (undefined removes one); back to the first page. */
export function hrefWith(
  params: ListParams,
  change: Partial<ListParams>,
  keepCursor = false,
): string {
  const next: ListParams = { ...params, ...change };
  for (const key of Object.keys(change) as (keyof ListParams)[]) {
    if (change[key] === undefined && key !== 'user' && key !== 'host') delete next[key];
  }
  if (!keepCursor && !('cursor' in change)) delete next.cursor;
  return toHref(next);
}

/** Adds a value to a repeated filter, or removes it when present. */
export function toggled(list: string[], value: string): string[] {
  return list.includes(value) ? list.filter((v) => v !== value) : [...list, value];
}

export function hasFilters(params: ListParams): boolean {
  return (
    params.user.length > 0 ||
    params.host.length > 0 ||
    [params.q, params.cmd, params.session, params.from, params.to, params.min].some(
      (v) => v !== undefined,
    )
  );
}
