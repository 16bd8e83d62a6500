import { expect, it } from 'vitest';
import {
  ACCOUNTS,
  as,
  CLIENT_IP,
  MARKERS,
  MISSING,
  recordings,
  type Recording,
  type World,
} from './access-matrix';

// The authorization matrix: every account (and nobody) x every route x every
// recording (in scope, out of scope, missing). Out-of-scope recordings must
// be indistinguishable from missing ones and must not show through list
// items, totals, cursors, filters, text search, metadata, messages or exports.

type Handler = (
  request: Request,
  context: { params: Promise<{ rec: string }> },
) => Promise<Response>;
export interface Routes {
  list: (request: Request) => Promise<Response>;
  get: Handler;
  messages: Handler;
  export: Handler;
  commands: Handler;
}

const FORMATS = ['tlog', 'asciicast', 'raw', 'text'] as const;
const NOT_FOUND = { error: { code: 'not_found', message: 'No such recording' } };

export const cells = { count: 0 };

/** Calls the route for `url` as Next.js would, and reads the whole answer. */
async function call(
  world: World,
  routes: Routes,
  account: string | null,
  url: string,
): Promise<Response> {
  return as(world, account, url, async () => {
    const request = new Request(`http://127.0.0.1${url}`);
    const match = /^\/api\/recordings\/([^/?]+)(\/messages|\/export|\/commands)?/.exec(url);
    if (!match) return routes.list(request);
    const context = { params: Promise.resolve({ rec: match[1] ?? '' }) };
    const route =
      match[2] === '/messages'
        ? routes.messages
        : match[2] === '/export'
          ? routes.export
          : match[2] === '/commands'
            ? routes.commands
            : routes.get;
    const response = await route(request, context);
    // Streams are read inside the request's context, as they are in a server.
    return new Response(await response.arrayBuffer(), {
      status: response.status,
      headers: response.headers,
    });
  });
}

interface Facet {
  value: string;
  count: number;
}
const countsOf = (facets: Facet[]) => Object.fromEntries(facets.map((f) => [f.value, f.count]));
function tally(values: string[]): Record<string, number> {
  const out: Record<string, number> = {};
  for (const v of values) out[v] = (out[v] ?? 0) + 1;
  return out;
}

interface ListBody {
  items: { id: string }[];
  total: number;
  nextCursor: string | null;
}

async function listAll(
  world: World,
  routes: Routes,
  account: string,
  query: string,
): Promise<{ ids: string[]; totals: number[] }> {
  const ids: string[] = [];
  const totals: number[] = [];
  let cursor: string | null = null;
  for (let page = 0; page < 50; page++) {
    const url: string = `/api/recordings?${query}${cursor ? `&cursor=${encodeURIComponent(cursor)}` : ''}`;
    const response = await call(world, routes, account, url);
    expect(response.status, url).toBe(200);
    const body = (await response.json()) as ListBody;
    ids.push(...body.items.map((i) => i.id));
    totals.push(body.total);
    cursor = body.nextCursor;
    if (!cursor) break;
  }
  return { ids, totals };
}

export function defineMatrix(world: () => World, routes: () => Routes): void {
  const all = recordings();
  const sorted = (ids: string[]) => [...ids].sort();

  for (const [account, { sees }] of Object.entries(ACCOUNTS)) {
    const visible = all.filter(sees);
    const expected = (r: (x: Recording) => boolean) => sorted(visible.filter(r).map((x) => x.id));

    it(`${account}: the list, its totals, cursors, filters and search show only what ${account} may see`, async () => {
      const w = world();
      const r = routes();
      const whole = await listAll(w, r, account, 'size=500');
      expect(sorted(whole.ids)).toEqual(expected(() => true));
      expect(whole.totals).toEqual([visible.length]);
      // One item a page: every cursor leads only to permitted recordings, and totals never count others.
      const paged = await listAll(w, r, account, 'size=1');
      for (const id of paged.ids) expect(visible.map((v) => v.id)).toContain(id);
      for (const total of paged.totals) expect(total).toBe(visible.length);
      if (paged.totals.length > 1) expect(sorted(paged.ids)).toEqual(expected(() => true));
      for (const [filter, keep] of [
        ['host=db-1', (x: Recording) => x.host === 'db-1'],
        ['user=alice', (x: Recording) => x.user === 'alice'],
        ['host=vm&user=root', (x: Recording) => x.host === 'vm' && x.user === 'root'],
      ] as const) {
        const filtered = await listAll(w, r, account, `size=500&${filter}`);
        expect(sorted(filtered.ids), filter).toEqual(expected(keep));
        expect(filtered.totals, filter).toEqual([expected(keep).length]);
      }
      // Text search: a word two recordings share finds the one in scope, never the other.
      for (const [family, word] of Object.entries(MARKERS)) {
        const pair = all.filter((x) => x.family === family).map((x) => x.id);
        const found = await listAll(w, r, account, `size=500&q=${encodeURIComponent(word)}`);
        for (const id of found.ids)
          expect(
            visible.map((v) => v.id),
            `q=${word}`,
          ).toContain(id);
        expect(sorted(found.ids.filter((id) => pair.includes(id))), `q=${word}`).toEqual(
          expected((x) => x.family === family),
        );
        for (const total of found.totals)
          expect(total, `q=${word}`).toBeLessThanOrEqual(visible.length);
      }
      // Facets count only recordings in scope.
      const faceted = await call(w, r, account, '/api/recordings?size=500&facets=1');
      const { facets } = (await faceted.json()) as { facets?: { users: Facet[]; hosts: Facet[] } };
      expect(facets, 'facets').toBeDefined();
      expect(countsOf(facets?.hosts ?? [])).toEqual(tally(visible.map((x) => x.host)));
      expect(countsOf(facets?.users ?? [])).toEqual(tally(visible.map((x) => x.user)));
      cells.count += 7;
    });

    it(`${account}: metadata, messages, commands and exports answer 404 outside the scope, exactly as for a missing one`, async () => {
      const w = world();
      const r = routes();
      const cases = [...all, { id: MISSING, host: '-', user: '-', lines: [], family: '' }].flatMap(
        (rec) =>
          [
            `/api/recordings/${rec.id}`,
            `/api/recordings/${rec.id}/messages`,
            `/api/recordings/${rec.id}/commands`,
            ...FORMATS.map((f) => `/api/recordings/${rec.id}/export?format=${f}`),
          ].map((url) => ({ rec, url, allowed: rec.id !== MISSING && sees(rec) })),
      );
      // Four at a time, each in its own request context.
      for (let i = 0; i < cases.length; i += 4) {
        await Promise.all(
          cases.slice(i, i + 4).map(async ({ rec, url, allowed }) => {
            const response = await call(w, r, account, url);
            cells.count += 1;
            if (!allowed) {
              expect(response.status, `${account} ${url}`).toBe(404);
              expect(await response.json(), url).toEqual(NOT_FOUND);
              return;
            }
            expect(response.status, `${account} ${url}`).toBe(200);
            const text = await response.text();
            if (url.endsWith('/messages'))
              expect(text.trim().split('\n')).toHaveLength(rec.lines.length);
            if (url.endsWith('/commands'))
              expect(JSON.parse(text)).toMatchObject({
                recording: rec.id,
                messages: rec.lines.length,
                commands: expect.any(Array),
              });
            if (url === `/api/recordings/${rec.id}`) {
              expect(JSON.parse(text)).toMatchObject({
                id: rec.id,
                host: rec.host,
                user: rec.user,
              });
            }
          }),
        );
      }
    });
  }

  it('nobody signed in: every route answers 401, and says nothing of any recording', async () => {
    const w = world();
    const r = routes();
    const urls = ['/api/recordings?size=500', '/api/recordings?host=db-1'];
    for (const rec of [...all.slice(0, 3), { id: MISSING }]) {
      urls.push(
        `/api/recordings/${rec.id}`,
        `/api/recordings/${rec.id}/messages`,
        `/api/recordings/${rec.id}/commands`,
        `/api/recordings/${rec.id}/export?format=text`,
      );
    }
    for (const url of urls) {
      const response = await call(w, r, null, url);
      cells.count += 1;
      expect(response.status, url).toBe(401);
      expect(await response.json()).toEqual({
        error: { code: 'unauthorized', message: 'Sign in first' },
      });
    }
  });
}

export { CLIENT_IP };
