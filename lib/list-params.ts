// The recordings list's state is its URL (docs/http-api.md, "The list").
// This is the one reading of it: the parameters as typed, trimmed, names
// de-duplicated and a repeated single parameter taken once. The page builds
// its links from them (components/recordings-list/params.ts) and lib/schemas
// validates them into a ListQuery. No dependencies: client components use it.

export interface ListParams {
  user: string[];
  host: string[];
  session?: string;
  from?: string;
  to?: string;
  min?: string;
  q?: string;
  /** A word or phrase of a command line. */
  cmd?: string;
  sort?: string;
  size?: string;
  cursor?: string;
  /** The page's view (table or grouped); the API ignores it. */
  view?: string;
  /** The API's `facets=1`; the page always asks for facets. */
  facets?: string;
}

export type SingleParam = Exclude<keyof ListParams, 'user' | 'host'>;
/** In the order links write them (after q, users and hosts). */
export const SINGLE_PARAMS: SingleParam[] = [
  'q',
  'cmd',
  'session',
  'from',
  'to',
  'min',
  'sort',
  'size',
  'view',
  'cursor',
  'facets',
];

/** A query string, or Next's searchParams object. */
export type RawParams = Record<string, string | string[] | undefined> | URLSearchParams;

export function allValues(raw: RawParams, key: string): string[] {
  if (raw instanceof URLSearchParams) return raw.getAll(key);
  const value = raw[key];
  return value === undefined ? [] : Array.isArray(value) ? value : [value];
}

const names = (raw: RawParams, key: string) => [
  ...new Set(
    allValues(raw, key)
      .map((v) => v.trim())
      .filter(Boolean),
  ),
];

export function readListParams(raw: RawParams): ListParams {
  const params: ListParams = { user: names(raw, 'user'), host: names(raw, 'host') };
  for (const key of SINGLE_PARAMS) {
    const value = allValues(raw, key)[0]?.trim();
    if (value) params[key] = value;
  }
  return params;
}
