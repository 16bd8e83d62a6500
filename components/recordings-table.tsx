import Link from 'next/link';
import { formatDuration, formatTimestamp } from '@/lib/format';
import type { RecordingSummary } from '@/lib/sources/types';

const SESSION_NONE = 4294967295;

export function RecordingsTable({ items }: { items: RecordingSummary[] }) {
  if (items.length === 0) {
    return (
      <p className="rounded border border-zinc-800 bg-zinc-900 p-6 text-zinc-400">
        No recordings match. Check the filters, or where auditty reads from (see /api/health).
      </p>
    );
  }
  return (
    <div className="overflow-x-auto rounded border border-zinc-800">
      <table className="w-full text-left text-sm">
        <thead className="bg-zinc-900 text-xs uppercase tracking-wide text-zinc-400">
          <tr>
            <th scope="col" className="px-3 py-2">Start</th>
            <th scope="col" className="px-3 py-2">Host</th>
            <th scope="col" className="px-3 py-2">User</th>
            <th scope="col" className="px-3 py-2">Session</th>
            <th scope="col" className="px-3 py-2 text-right">Duration</th>
            <th scope="col" className="px-3 py-2 text-right">Messages</th>
            <th scope="col" className="px-3 py-2">Notes</th>
          </tr>
        </thead>
        <tbody className="divide-y divide-zinc-800">
          {items.map((r) => (
            <tr key={r.id} className="hover:bg-zinc-900/60" data-testid="recording-row">
              <td className="px-3 py-2 font-mono whitespace-nowrap">
                <Link
                  href={`/recordings/${encodeURIComponent(r.id)}`}
                  className="text-emerald-400 hover:underline"
                >
                  {formatTimestamp(r.start)}
                </Link>
              </td>
              <td className="px-3 py-2">{r.host}</td>
              <td className="px-3 py-2">{r.user}</td>
              <td className="px-3 py-2 font-mono">{r.session === SESSION_NONE ? '—' : r.session}</td>
              <td className="px-3 py-2 text-right font-mono">{formatDuration(r.durationMs)}</td>
              <td className="px-3 py-2 text-right font-mono">{r.messages.toLocaleString('en')}</td>
              <td className="px-3 py-2 text-xs text-zinc-400">
                {r.hasInput ? <span className="mr-2 rounded bg-sky-900/60 px-1.5 py-0.5 text-sky-200">input</span> : null}
                {r.gaps > 0 ? (
                  <span className="rounded bg-amber-900/60 px-1.5 py-0.5 text-amber-200">
                    {r.gaps} missing
                  </span>
                ) : null}
              </td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}
