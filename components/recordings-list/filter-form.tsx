import type { ListParams } from '@/lib/list-params';
import Link from 'next/link';
import { hrefWith } from './params';

const QUICK = [
  { label: 'Last 24 h', from: 'now-24h' },
  { label: '7 days', from: 'now-7d' },
  { label: '30 days', from: 'now-30d' },
] as const;

/**
 * The form's fields. User and host add to the names already chosen (so they
 * start empty); the others show the value in the URL.
 */
const FIELDS: {
  label: string;
  name: 'user' | 'host' | 'cmd' | 'session' | 'from' | 'to' | 'min';
  placeholder: string;
  list?: string;
  keep?: true;
  numeric?: true;
}[] = [
  { label: 'Add user', name: 'user', placeholder: 'alice', list: 'user-options' },
  { label: 'Add host', name: 'host', placeholder: 'db-3.example.com', list: 'host-options' },
  { label: 'Command', name: 'cmd', placeholder: 'passwd, rm -rf', keep: true },
  { label: 'Session', name: 'session', placeholder: 'audit id', keep: true, numeric: true },
  { label: 'From', name: 'from', placeholder: 'now-7d, 2026-11-20', keep: true },
  { label: 'To', name: 'to', placeholder: 'now, 2026-11-21T18:00Z', keep: true },
  { label: 'Min duration', name: 'min', placeholder: '5m, 90s, 1:30', keep: true },
];

const input =
  'w-full rounded border border-zinc-700 bg-zinc-900 px-2 py-1.5 font-mono text-sm text-zinc-100 placeholder:font-sans placeholder:text-zinc-600 focus:border-emerald-500 focus:outline-none focus:ring-1 focus:ring-emerald-500';
const label = 'flex min-w-0 flex-col gap-1 text-xs font-medium text-zinc-400';

/**
 * The structured filters, as a plain GET form: submitting it is an ordinary
 * navigation to the URL of the new view (no script needed). The values
 * already chosen ride along as hidden fields; a user or host typed here is
 * added to them.
 */
export function FilterForm({
  params,
  users,
  hosts,
}: {
  params: ListParams;
  users: string[];
  hosts: string[];
}) {
  const anyTime = !params.from && !params.to;
  return (
    <div className="space-y-2 rounded-md border border-zinc-800 bg-zinc-950 p-3">
      <form
        method="get"
        action="/"
        aria-label="Filters"
        className="grid grid-cols-2 items-end gap-3 md:grid-cols-4 xl:grid-cols-8"
      >
        {params.q ? <input type="hidden" name="q" value={params.q} /> : null}
        {params.sort ? <input type="hidden" name="sort" value={params.sort} /> : null}
        {params.view ? <input type="hidden" name="view" value={params.view} /> : null}
        {params.size ? <input type="hidden" name="size" value={params.size} /> : null}
        {params.user.map((v) => (
          <input key={`u-${v}`} type="hidden" name="user" value={v} />
        ))}
        {params.host.map((v) => (
          <input key={`h-${v}`} type="hidden" name="host" value={v} />
        ))}
        {FIELDS.map((field) => (
          <label key={field.label} className={label}>
            {field.label}
            <input
              name={field.name}
              {...(field.list ? { list: field.list, autoComplete: 'off' } : {})}
              {...(field.keep ? { defaultValue: params[field.name] } : {})}
              {...(field.numeric ? { inputMode: 'numeric' as const } : {})}
              placeholder={field.placeholder}
              className={input}
            />
          </label>
        ))}
        <button
          type="submit"
          className="h-[34px] rounded bg-emerald-700 px-4 text-sm font-medium text-white hover:bg-emerald-600 focus-visible:outline focus-visible:outline-2 focus-visible:outline-offset-2 focus-visible:outline-emerald-400"
        >
          Apply filters
        </button>
        <datalist id="user-options">
          {users.map((v) => (
            <option key={v} value={v} />
          ))}
        </datalist>
        <datalist id="host-options">
          {hosts.map((v) => (
            <option key={v} value={v} />
          ))}
        </datalist>
      </form>
      <div
        className="flex flex-wrap items-center gap-2 text-xs"
        aria-label="Quick time ranges"
        role="group"
      >
        <span className="text-zinc-500">Active during:</span>
        {QUICK.map((quick) => {
          const active = params.from === quick.from && !params.to;
          return (
            <Link
              key={quick.from}
              href={hrefWith(params, { from: quick.from, to: undefined })}
              aria-current={active ? 'true' : undefined}
              className={`rounded-full border px-2.5 py-0.5 focus-visible:outline focus-visible:outline-2 focus-visible:outline-emerald-500 ${active ? 'border-emerald-600 bg-emerald-950 text-emerald-200' : 'border-zinc-700 text-zinc-300 hover:border-zinc-500'}`}
            >
              {quick.label}
            </Link>
          );
        })}
        <Link
          href={hrefWith(params, { from: undefined, to: undefined })}
          aria-current={anyTime ? 'true' : undefined}
          className={`rounded-full border px-2.5 py-0.5 focus-visible:outline focus-visible:outline-2 focus-visible:outline-emerald-500 ${anyTime ? 'border-emerald-600 bg-emerald-950 text-emerald-200' : 'border-zinc-700 text-zinc-300 hover:border-zinc-500'}`}
        >
          Any time
        </Link>
      </div>
    </div>
  );
}
