import Link from 'next/link';
import type { AuditEvent } from '@/lib/audit/event';
import { formatTimestamp } from '@/lib/format';

const OUTCOME_STYLE: Record<string, string> = {
  success: 'text-emerald-400',
  failure: 'text-red-300',
  unknown: 'text-zinc-400',
};

const COLUMNS = ['Time', 'User', 'Action', 'Outcome', 'Recording', 'Address', 'URL'];

/** Audit events, newest first. */
export function AccessLogTable({ items }: { items: AuditEvent[] }) {
  if (items.length === 0) {
    return (
      <p className="rounded border border-zinc-800 bg-zinc-900 p-6 text-zinc-400">
        No events match.
      </p>
    );
  }
  return (
    <div className="overflow-x-auto rounded border border-zinc-800">
      <table className="w-full text-left text-sm">
        <thead className="bg-zinc-900 text-xs uppercase tracking-wide text-zinc-400">
          <tr>
            {COLUMNS.map((name) => (
              <th key={name} scope="col" className="px-3 py-2">
                {name}
              </th>
            ))}
          </tr>
        </thead>
        <tbody className="divide-y divide-zinc-800">
          {items.map((e) => (
            <tr key={e.event.id} data-testid="audit-row" className="hover:bg-zinc-900/60">
              <td className="px-3 py-2 font-mono whitespace-nowrap">
                {formatTimestamp(e['@timestamp'])}
              </td>
              <td className="px-3 py-2">
                {e.user?.name ?? <span className="text-zinc-500">(nobody)</span>}
              </td>
              <td className="px-3 py-2 font-mono">{e.event.action}</td>
              <td
                className={`px-3 py-2 ${OUTCOME_STYLE[e.event.outcome] ?? ''}`}
                title={e.event.reason}
              >
                {e.event.outcome}
              </td>
              <td className="px-3 py-2 font-mono">
                {e.auditty.recording ? (
                  <Link
                    href={`/access-log?recording=${encodeURIComponent(e.auditty.recording)}`}
                    className="text-emerald-400 hover:underline"
                  >
                    {e.auditty.recording}
                  </Link>
                ) : null}
              </td>
              <td className="px-3 py-2 font-mono">{e.source.address}</td>
              <td
                className="max-w-md truncate px-3 py-2 font-mono text-zinc-400"
                title={e.url.original}
              >
                {e.url.original}
              </td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}
