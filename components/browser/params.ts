// The list page's state is its URL. These helpers read the query string as
// typed (the page validates it separately with lib/schemas) and build the
// links that change one thing. Every change but paging starts again from the
// first page, so the cursor is dropped unless asked to keep it.

export interface BrowserParams {
  user: string[];
  host: string[];
  session?: string;
  from?: string;
  to?: string;
  min?: string;
  q?: string;
  sort?: string;
  size?: string;
  cursor?: string;
  view?: string;
}

type Single = Exclude<keyof BrowserParams, 'user' | 'host'>;
const SINGLES: Single[] = ['q', 'session', 'from', 'to', 'min', 'sort', 'size', 'view', 'cursor'];

type Raw = Record<string, string | string[] | undefined> | URLSearchParams;

function all(raw: Raw, key: string): string[] {
  if (raw instanceof URLSearchParams) return raw.getAll(key);
  const value = raw[key];
  return value === undefined ? [] : Array.isArray(value) ? value : [value];
}

export function readParams(raw: Raw): BrowserParams {
  const params: BrowserParams = {
    user: [
      ...new Set(
        all(raw, 'user')
          .map((v) => v.trim())
          .filter(Boolean),
      ),
    ],
    host: [
      ...new Set(
        all(raw, 'host')
          .map((v) => v.trim())
          .filter(Boolean),
      ),
    ],
  };
  for (const key of SINGLES) {
    const value = all(raw, key)[0]?.trim();
    if (value) params[key] = value;
  }
  return params;
}

/** `?user=a&host=b...` (or `/` alone) in a stable order, so equal states give equal URLs. */
export function toHref(params: BrowserParams): string {
  const search = new URLSearchParams();
  if (params.q) search.set('q', params.q);
  for (const user of params.user) search.append('user', user);
  for (const host of params.host) search.append('host', host);
  for (const key of SINGLES) {
    const value = params[key];
    if (key !== 'q' && value) search.set(key, value);
  }
  const text = search.toString();
  return text ? `/?${text}` : '/';
}

/** The same view with some parameters changed (undefined removes one); back to the first page. */
export function hrefWith(
  params: BrowserParams,
  change: Partial<BrowserParams>,
  keepCursor = false,
): string {
  const next: BrowserParams = { ...params, ...change };
  for (const key of Object.keys(change) as (keyof BrowserParams)[]) {
    if (change[key] === undefined && key !== 'user' && key !== 'host') delete next[key];
  }
  if (!keepCursor && !('cursor' in change)) delete next.cursor;
  return toHref(next);
}

/** Adds a value to a repeated filter, or removes it when present. */
export function toggled(list: string[], value: string): string[] {
  return list.includes(value) ? list.filter((v) => v !== value) : [...list, value];
}

export function hasFilters(params: BrowserParams): boolean {
  return (
    params.user.length > 0 ||
    params.host.length > 0 ||
    [params.q, params.session, params.from, params.to, params.min].some((v) => v !== undefined)
  );
}

/** A player link that opens paused at `ms` (a search hit's moment). */
export function playerHref(id: string, ms?: number): string {
  const base = `/recordings/${encodeURIComponent(id)}`;
  return ms === undefined ? base : `${base}?t=${(Math.max(0, ms) / 1000).toFixed(3)}`;
}
