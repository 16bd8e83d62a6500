import 'server-only';
import type { Caller } from '@/lib/access';
import { auditSink, searchEvents, VIEW_ACTIONS } from './index';

// "Who viewed this recording", for admins on the player page: the audit
// trail's view, replay and export events of one recording, by person.

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
  const byName = new Map<string, RecordingViewer>();
  for (const e of events) {
    if (e.event.outcome !== 'success') continue;
    const name = e.user?.name ?? '(open access)';
    const viewer = byName.get(name) ?? { name, last: e['@timestamp'], count: 0, actions: [] };
    viewer.count += 1;
    const action = e.event.action.replace('recording-', '');
    if (!viewer.actions.includes(action)) viewer.actions.push(action);
    byName.set(name, viewer);
  }
  return { readable: true, viewers: [...byName.values()] };
}
