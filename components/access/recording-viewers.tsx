import Link from 'next/link';
import { currentCaller } from '@/lib/access';
import { auditSink, searchEvents, VIEW_ACTIONS } from '@/lib/audit';
import { formatTimestamp } from '@/lib/format';

interface Viewer {
  name: string;
  last: string;
  count: number;
  actions: Set<string>;
}

/**
 * "Who viewed this recording", for admins, on the player page: a server
 * component that renders nothing for anyone else or without an audit trail.
 * It never breaks the page it sits in: a trail it cannot read says so.
 */
export async function RecordingViewers({ recordingId }: { recordingId: string }) {
  const caller = await currentCaller();
  if (!caller?.admin || !auditSink()) return null;
  let events;
  try {
    events = (
      await searchEvents(caller, { recording: recordingId, actions: VIEW_ACTIONS, size: 200 })
    ).items;
  } catch {
    return (
      <p className="text-sm text-zinc-500">
        Who viewed this recording: the audit trail cannot be read right now.
      </p>
    );
  }
  const viewers = new Map<string, Viewer>();
  for (const e of events) {
    if (e.event.outcome !== 'success') continue;
    const name = e.user?.name ?? '(open access)';
    const v = viewers.get(name) ?? {
      name,
      last: e['@timestamp'],
      count: 0,
      actions: new Set<string>(),
    };
    v.count += 1;
    v.actions.add(e.event.action.replace('recording-', ''));
    viewers.set(name, v);
  }
  return (
    <section
      aria-labelledby="viewers-heading"
      data-testid="recording-viewers"
      className="rounded border border-zinc-800 p-3"
    >
      <h2 id="viewers-heading" className="mb-2 text-sm font-semibold text-zinc-300">
        Who viewed this recording
      </h2>
      {viewers.size === 0 ? (
        <p className="text-sm text-zinc-500">Nobody yet (events take a second to show).</p>
      ) : (
        <ul className="space-y-1 text-sm">
          {[...viewers.values()].map((v) => (
            <li key={v.name} data-testid="recording-viewer">
              <span className="font-medium">{v.name}</span>{' '}
              <span className="text-zinc-400">
                {[...v.actions].join(', ')} · {v.count}× · last {formatTimestamp(v.last)}
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
