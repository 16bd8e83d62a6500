import 'server-only';
import type { Caller } from '@/lib/access';
import { auditSink, searchEvents, VIEW_ACTIONS } from './index';

// "Who viewed this recording", for admins on the player page: the audit
// trail's view, replay and export events of one recording, by person: by
// identity key (user.id), since a local account and an OpenID Connect user
// may have the same name. Two people of one name are told apart by their key.

export interface RecordingViewer {
  name: string;
  /** ISO 8601 of the latest event. */
  last: string;
  count: number;
  /** view, replay, export: what they did. */
  actions: string[];
}

export type RecordingViewers =
  | { readable: true; viewers: RecordingViewer[] }
  /** The trail could not be read: the page says so instead of breaking. */
  | { readable: false };

/** null when the caller may not see it (not an admin) or there is no audit trail. */
export async function recordingViewers(
  caller: Caller | null,
  recordingId: string,
): Promise<RecordingViewers | null> {
  if (!caller?.admin || !auditSink()) return null;
  let events;
  try {
    events = (
      await searchEvents(caller, { recording: recordingId, actions: VIEW_ACTIONS, size: 200 })
    ).items;
  } catch (err) {
    console.error(`audit: who viewed ${recordingId}:`, err);
    return { readable: false };
  }
  const byPerson = new Map<string, RecordingViewer & { id: string | undefined }>();
  for (const e of events) {
    if (e.event.outcome !== 'success') continue;
    const name = e.user?.name ?? '(open access)';
    const id = e.user?.id;
    const key = id ?? `name:${name}`;
    const viewer = byPerson.get(key) ?? { id, name, last: e['@timestamp'], count: 0, actions: [] };
    viewer.count += 1;
    const action = e.event.action.replace('recording-', '');
    if (!viewer.actions.includes(action)) viewer.actions.push(action);
    byPerson.set(key, viewer);
  }
  const all = [...byPerson.values()];
  const shared = (name: string) => all.filter((v) => v.name === name).length > 1;
  return {
    readable: true,
    viewers: all.map(({ id, ...v }) =>
      id && shared(v.name) ? { ...v, name: `${v.name} (${id})` } : v,
    ),
  };
}
