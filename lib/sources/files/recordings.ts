import { createHash } from 'node:crypto';
import { messageEnd } from '@/lib/tlog';
import { inScope } from '../scope';
import { summarize } from '../summary';
import type { RecordingSummary, Scope } from '../types';

// The files source's recordings: messages grouped by `rec` (or, for writers
// that put none, by the file that holds them), ordered by id, duplicates
// dropped, summarized. A recording is one host and one user: a message that
// claims the recording's id with another host or user (two files without
// `rec` used to merge, and a recorded user can write any JSON to syslog) is
// kept apart from the rest by the scope, which applies to every message:
// a caller sees a recording's messages of the hosts and users it may see,
// and its summary is computed from those alone, as Elasticsearch's queries
// do (docs/architecture.md, "Access").

/** What the index keeps of a message: its exact line and what listing needs. */
export interface StoredMessage {
  line: string;
  id: number;
  pos: number;
  /** Unix ms of the message's first event; the file's mtime for writers without a usable `time`. */
  timeMs: number;
  /** messageStartMs: null without a usable `time`. */
  startMs: number | null;
  timing: string;
  out: string;
  input: boolean;
  rec?: string;
  host: string;
  user: string;
  session: number;
  term: string;
  /** The file it came from, relative to the directory. */
  file: string;
}

export interface IndexedRecording {
  /** Over all its messages (what an unrestricted caller sees). */
  summary: RecordingSummary;
  /** Earliest message time: the start order's key. */
  startKey: number;
  /** pos of the last message: the duration order's key. */
  lastPos: number;
  messages: StoredMessage[];
  /** More than one host or user among the messages. */
  mixed: boolean;
}

/** The longest id a URL may carry (lib/sources/ids.ts). */
const MAX_ID = 200;

/**
 * The id of a file's messages that carry no `rec`: `file-` and the path
 * relative to the directory, every byte outside [A-Za-z0-9.-] written as
 * `_` and two hex digits, so that different paths never share an id
 * (`web-1/session.log` is `file-web-1_2fsession.log`). A path too long for
 * a URL is named by its hash instead.
 */
export function fallbackId(relative: string): string {
  let encoded = '';
  for (const byte of Buffer.from(relative, 'utf8')) {
    const c = String.fromCharCode(byte);
    encoded += /[A-Za-z0-9.-]/.test(c) ? c : `_${byte.toString(16).padStart(2, '0')}`;
  }
  const id = `file-${encoded}`;
  if (id.length <= MAX_ID) return id;
  return `file-${createHash('sha256').update(relative).digest('hex').slice(0, 40)}`;
}

/** Indexes one recording from its messages (sorted by id, duplicates dropped). */
function indexRecording(
  id: string,
  messages: StoredMessage[],
  mixed: boolean,
): IndexedRecording | null {
  const first = messages[0];
  const last = messages[messages.length - 1];
  if (!first || !last) return null;
  return {
    summary: summarize({
      id,
      host: first.host,
      user: first.user,
      session: first.session,
      term: first.term,
      startMs: first.startMs ?? first.timeMs,
      durationMs: messageEnd(last.pos, last.timing),
      messages: messages.length,
      lastId: last.id,
      hasInput: messages.some((m) => m.input),
    }),
    startKey: messages.reduce((min, m) => Math.min(min, m.timeMs), Infinity),
    lastPos: last.pos,
    messages,
    mixed,
  };
}

/** Groups the files' messages into recordings. */
export function groupRecordings(
  files: Iterable<{ relative: string; messages: StoredMessage[] }>,
): Map<string, IndexedRecording> {
  const byId = new Map<string, StoredMessage[]>();
  for (const file of files) {
    const fallback = fallbackId(file.relative);
    for (const message of file.messages) {
      const id = message.rec ?? fallback;
      const list = byId.get(id);
      if (list) list.push(message);
      else byId.set(id, [message]);
    }
  }
  const recordings = new Map<string, IndexedRecording>();
  for (const [id, list] of byId) {
    list.sort((a, b) => a.id - b.id);
    const messages = list.filter((m, i) => i === 0 || list[i - 1]?.id !== m.id);
    const first = messages[0];
    const mixed = messages.some((m) => m.host !== first?.host || m.user !== first?.user);
    const recording = indexRecording(id, messages, mixed);
    if (recording) recordings.set(id, recording);
  }
  return recordings;
}

/**
 * The recording as `scope` sees it: all of it when its one host and user are
 * in scope, null when they are not; for a mixed recording, only its messages
 * in scope, summarized again (null when none is).
 */
export function scopedRecording(
  recording: IndexedRecording,
  scope: Scope,
): IndexedRecording | null {
  if (!recording.mixed) {
    const { host, user } = recording.summary;
    return inScope(scope, host, user) ? recording : null;
  }
  const visible = recording.messages.filter((m) => inScope(scope, m.host, m.user));
  if (visible.length === recording.messages.length) return recording;
  return indexRecording(recording.summary.id, visible, true);
}
