import Link from 'next/link';
import type { RecordingViewers as RecordingViewersData } from '@/lib/audit/viewers';
import { formatTimestamp } from '@/lib/format';

/**
 * "Who viewed this recording", for admins, on the player page. The page
 * passes what lib/audit/viewers.ts found (a promise, so that the player does
 * not wait for it); null renders nothing.
 */
export async function RecordingViewers({
  recordingId,
  viewers: pending,
}: {
  recordingId: string;
  viewers: Promise<RecordingViewersData | null>;
}) {
  const found = await pending;
  if (!found) return null;
  if (!found.readable) {
    return (
      <p className="text-sm text-zinc-500">
        Who viewed this recording: the audit trail cannot be read right now.
      </p>
    );
  }
  const viewers = found.viewers;
  return (
    <section
      aria-labelledby="viewers-heading"
      data-testid="recording-viewers"
      className="rounded border border-zinc-800 p-3"
    >
      <h2 id="viewers-heading" className="mb-2 text-sm font-semibold text-zinc-300">
        Who viewed this recording
      </h2>
      {viewers.length === 0 ? (
        <p className="text-sm text-zinc-500">Nobody yet (events take a second to show).</p>
      ) : (
        <ul className="space-y-1 text-sm">
          {viewers.map((v) => (
            <li key={v.name} data-testid="recording-viewer">
              <span className="font-medium">{v.name}</span>{' '}
              <span className="text-zinc-400">
                {v.actions.join(', ')} · {v.count}× · last {formatTimestamp(v.last)}
              </span>
            </li>
          ))}
        </ul>
      )}
      <Link
        href={`/access-log?recording=${encodeURIComponent(recordingId)}`}
        className="mt-2 inline-block text-xs text-emerald-400 hover:underline"
      >
        All events for this recording
      </Link>
    </section>
  );
}
