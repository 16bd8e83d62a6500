import type { ListParams } from '@/lib/list-params';
import Link from 'next/link';
import { hrefWith } from './params';

type Field = 'start' | 'duration' | 'user' | 'host';

/** Names sort A to Z first, times and durations largest first. */
const FIRST: Record<Field, 'asc' | 'desc'> = {
  start: 'desc',
  duration: 'desc',
  user: 'asc',
  host: 'asc',
};

/** A column header that sorts by its field, and shows the direction it sorts in. */
export function SortHeader({
  field,
  label,
  params,
  className = '',
}: {
  field: Field;
  label: string;
  params: ListParams;
  className?: string;
}) {
  const [current, direction] = (params.sort ?? 'start:desc').split(':');
  const active = current === field;
  const next = active ? (direction === 'asc' ? 'desc' : 'asc') : FIRST[field];
  return (
    <th
      scope="col"
      aria-sort={active ? (direction === 'asc' ? 'ascending' : 'descending') : 'none'}
      className={`whitespace-nowrap px-2 py-2 font-medium ${className}`}
    >
      <Link
        href={hrefWith(params, { sort: `${field}:${next}` })}
        className={`inline-flex items-center gap-1 rounded hover:text-zinc-100 focus-visible:outline focus-visible:outline-2 focus-visible:outline-emerald-500 ${active ? 'text-emerald-300' : ''}`}
        title={`Sort by ${field}, ${next === 'asc' ? 'ascending' : 'descending'}`}
      >
        {label}
        <span aria-hidden="true" className="text-[10px]">
          {active ? (direction === 'asc' ? '▲' : '▼') : '↕'}
        </span>
      </Link>
    </th>
  );
}
