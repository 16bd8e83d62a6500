import type { ListParams } from '@/lib/list-params';
import type { RecordingSummary } from '@/lib/sources/types';
import { RecordingsTable } from './recordings-table';
import { hrefWith, toggled } from './params';
import Link from 'next/link';

/** host -> user -> recordings, in the page's order of first appearance. */
function group(items: RecordingSummary[]) {
  const hosts = new Map<string, Map<string, RecordingSummary[]>>();
  for (const item of items) {
    const users = hosts.get(item.host) ?? new Map<string, RecordingSummary[]>();
    hosts.set(item.host, users);
    const list = users.get(item.user) ?? [];
    users.set(item.user, list);
    list.push(item);
  }
  return hosts;
}

/** The page's recordings by host, then user: for scanning a fleet (best sorted by host). */
export function GroupedView({ items, params }: { items: RecordingSummary[]; params: ListParams }) {
  const hosts = group(items);
  return (
    <div className="space-y-3">
      {[...hosts].map(([host, users]) => {
        const count = [...users.values()].reduce((n, list) => n + list.length, 0);
        return (
          <details key={host} open className="group rounded-md border border-zinc-800 bg-zinc-950">
            <summary className="flex cursor-pointer list-none items-center gap-3 rounded-t-md bg-zinc-900 px-3 py-2 focus-visible:outline focus-visible:outline-2 focus-visible:outline-emerald-500">
              <span aria-hidden="true" className="text-zinc-500 transition group-open:rotate-90">
                ▸
              </span>
              <h2 className="font-mono text-sm font-semibold text-zinc-100">{host}</h2>
              <span className="text-xs text-zinc-400">
                {count} recording{count === 1 ? '' : 's'} · {users.size} user
                {users.size === 1 ? '' : 's'}
              </span>
              <Link
                href={hrefWith(params, { host: toggled(params.host, host) })}
                className="ml-auto rounded text-xs text-zinc-400 hover:text-emerald-300 focus-visible:outline focus-visible:outline-2 focus-visible:outline-emerald-500"
              >
                {params.host.includes(host) ? 'Remove host filter' : 'Only this host'}
              </Link>
            </summary>
            <div className="space-y-3 p-3">
              {[...users].map(([user, list]) => (
                <section key={user} aria-label={`${user} on ${host}`}>
                  <h3 className="mb-1 flex items-baseline gap-2 text-sm">
                    <span className="font-medium text-sky-300">{user}</span>
                    <span className="text-xs text-zinc-500">
                      {list.length} recording{list.length === 1 ? '' : 's'}
                    </span>
                  </h3>
                  <RecordingsTable
                    items={list}
                    params={params}
                    names={false}
                    caption={`Recordings of ${user} on ${host}`}
                  />
                </section>
              ))}
            </div>
          </details>
        );
      })}
    </div>
  );
}
