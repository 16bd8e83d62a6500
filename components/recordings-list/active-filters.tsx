import type { ListParams } from '@/lib/list-params';
import Link from 'next/link';
import { hasFilters, hrefWith } from './params';

interface Chip {
  label: string;
  value: string;
  href: string;
}

export function chips(params: ListParams): Chip[] {
  const list: Chip[] = [];
  if (params.q)
    list.push({ label: 'text', value: params.q, href: hrefWith(params, { q: undefined }) });
  if (params.cmd)
    list.push({
      label: 'command',
      value: params.cmd,
      href: hrefWith(params, { cmd: undefined }),
    });
  for (const user of params.user) {
    list.push({
      label: 'user',
      value: user,
      href: hrefWith(params, { user: params.user.filter((v) => v !== user) }),
    });
  }
  for (const host of params.host) {
    list.push({
      label: 'host',
      value: host,
      href: hrefWith(params, { host: params.host.filter((v) => v !== host) }),
    });
  }
  if (params.session)
    list.push({
      label: 'session',
      value: params.session,
      href: hrefWith(params, { session: undefined }),
    });
  if (params.from)
    list.push({ label: 'from', value: params.from, href: hrefWith(params, { from: undefined }) });
  if (params.to)
    list.push({ label: 'to', value: params.to, href: hrefWith(params, { to: undefined }) });
  if (params.min)
    list.push({ label: 'at least', value: params.min, href: hrefWith(params, { min: undefined }) });
  return list;
}

/** What the list is filtered by, each removable; the query stays in view even when it fails. */
export function ActiveFilters({ params }: { params: ListParams }) {
  if (!hasFilters(params)) return null;
  return (
    <ul aria-label="Active filters" className="flex flex-wrap items-center gap-2">
      {chips(params).map((chip) => (
        <li key={`${chip.label}-${chip.value}`}>
          <Link
            href={chip.href}
            className="inline-flex items-center gap-1.5 rounded-full border border-zinc-700 bg-zinc-900 py-0.5 pl-2.5 pr-1.5 text-xs hover:border-red-800 hover:bg-red-950/40 focus-visible:outline focus-visible:outline-2 focus-visible:outline-emerald-500"
            aria-label={`Remove filter ${chip.label} ${chip.value}`}
          >
            <span className="text-zinc-500">{chip.label}</span>
            <span className="max-w-[20rem] truncate font-mono text-zinc-100">{chip.value}</span>
            <span aria-hidden="true" className="text-zinc-500">
              ×
            </span>
          </Link>
        </li>
      ))}
      <li>
        <Link
          href={hrefWith(params, {
            user: [],
            host: [],
            q: undefined,
            cmd: undefined,
            session: undefined,
            from: undefined,
            to: undefined,
            min: undefined,
          })}
          className="rounded text-xs text-emerald-400 hover:underline focus-visible:outline focus-visible:outline-2 focus-visible:outline-emerald-500"
        >
          Clear all
        </Link>
      </li>
    </ul>
  );
}
