import 'server-only';
import { AppError } from '@/lib/errors';
import { isUnrestricted } from '../scope';
import { ndjsonChunks } from '../ndjson';
import { asOf } from '../summary';
import {
  type IdRange,
  type MessageStream,
  type ListQuery,
  type ListResult,
  type RecordingSource,
  type RecordingSummary,
  type Scope,
  type SourceHealth,
  type TailMessage,
  type TailRequest,
} from '../types';
import { FileCommands } from './commands';
import { pageOf, prepareList, type PreparedList } from './list';
import { scopedRecording, type IndexedRecording, type StoredMessage } from './recordings';
import { DirectoryIndex, type Problems } from './scan';

// The embedded source: a directory of tlog JSON-lines files (tlog-rec's file
// writer, or `journalctl -o cat` exports), indexed in memory (scan.ts) and
// kept current as files grow or appear.

const PREPARED_KEPT = 8;

const unrestricted = (scope: Scope) => isUnrestricted(scope.hosts) && isUnrestricted(scope.users);

function describe(problems: Problems, mixed: number): string[] {
  const notices: string[] = [];
  if (mixed > 0) {
    notices.push(
      `${mixed} recording${mixed === 1 ? ' holds' : 's hold'} messages of more than one host or user (forged or damaged: a caller sees only the messages of the hosts and users it may see)`,
    );
  }
  if (problems.badLines > 0) {
    const lines = problems.badLines;
    const files = problems.badFiles;
    notices.push(
      `${lines} malformed line${lines === 1 ? '' : 's'} in ${files} file${files === 1 ? '' : 's'} ${lines === 1 ? 'was' : 'were'} skipped`,
    );
  }
  if (problems.unreadable.length > 0) {
    const n = problems.unreadable.length;
    notices.push(
      `${n} file${n === 1 ? '' : 's'} could not be read and ${n === 1 ? 'was' : 'were'} skipped`,
    );
  }
  return notices;
}

/** The index of the first message whose id is above `id` (messages sorted by id). */
function firstAbove(messages: readonly { id: number }[], id: number): number {
  let [low, high] = [0, messages.length];
  while (low < high) {
    const middle = (low + high) >> 1;
    if ((messages[middle]?.id ?? 0) > id) high = middle;
    else low = middle + 1;
  }
  return low;
}

export class FilesSource implements RecordingSource {
  readonly kind = 'files' as const;
  private readonly index: DirectoryIndex;
  /** Recent queries' whole lists, so that the next pages cost only a slice. */
  private readonly prepared = new Map<string, PreparedList>();
  private readonly commands = new FileCommands();

  constructor(
    private readonly dir: string,
    options: { rescanMs?: number } = {},
  ) {
    this.index = new DirectoryIndex(dir, options.rescanMs);
  }

  private async recordings(): Promise<Map<string, IndexedRecording>> {
    try {
      return await this.index.current();
    } catch (err) {
      throw new AppError('source_unavailable', `Cannot read RECORDINGS_DIR ${this.dir}`, {
        cause: err,
      });
    }
  }

  async list(scope: Scope, query: ListQuery): Promise<ListResult> {
    const recordings = await this.recordings();
    const { cursor: _cursor, size: _size, ...rest } = query;
    const key = JSON.stringify([this.index.version, scope, rest]);
    let prepared = this.prepared.get(key);
    if (!prepared) {
      const commands =
        query.cmd !== undefined ? await this.commands.of(recordings.values()) : undefined;
      prepared = prepareList(recordings.values(), scope, query, commands);
      this.prepared.set(key, prepared);
      for (const old of this.prepared.keys()) {
        if (this.prepared.size <= PREPARED_KEPT) break;
        this.prepared.delete(old);
      }
    }
    const result = pageOf(prepared, query);
    // What the directory holds beyond the caller's recordings is for callers who may see it all.
    if (!unrestricted(scope)) return result;
    const notices = describe(this.index.problems(), prepared.mixed);
    return notices.length > 0 ? { ...result, notices } : result;
  }

  private async scoped(scope: Scope, id: string): Promise<IndexedRecording | null> {
    const recording = (await this.recordings()).get(id);
    return recording ? scopedRecording(recording, scope) : null;
  }

  async get(scope: Scope, id: string): Promise<RecordingSummary | null> {
    const recording = await this.scoped(scope, id);
    return recording ? asOf(recording.summary, Date.now()) : null;
  }

  async messages(
    scope: Scope,
    id: string,
    _signal?: AbortSignal,
    range?: IdRange,
  ): Promise<MessageStream | null> {
    const recording = await this.scoped(scope, id);
    if (!recording) return null;
    const { messages } = recording;
    const kept = range
      ? messages.slice(firstAbove(messages, range.from - 1), firstAbove(messages, range.to))
      : messages;
    if (kept.length === 0) return null;
    const lines = kept.map((m) => m.line);
    async function* each() {
      yield* lines;
    }
    // Encoded as the chunks are taken, not the whole recording up front.
    function* encoded() {
      for (const line of lines) yield Buffer.from(line);
    }
    async function* ndjson() {
      yield* ndjsonChunks(encoded());
    }
    // In memory already: nothing to free.
    return { [Symbol.asyncIterator]: each, ndjson, close: async () => undefined };
  }

  /**
   * The index reads only what was appended since its last look (scan.ts),
   * so following a file costs its new lines; a rotated file (a new inode at
   * the path) is read from its start.
   */
  async tail(scope: Scope, id: string, request: TailRequest): Promise<TailMessage[]> {
    const recording = await this.scoped(scope, id);
    if (!recording) return [];
    const { messages } = recording;
    // Sorted by id (recordings.ts): the new ones are at the end, the missing found by halving.
    const found: StoredMessage[] = [];
    for (const wanted of request.missing) {
      const m = messages[firstAbove(messages, wanted - 1)];
      if (m?.id === wanted) found.push(m);
    }
    const from = firstAbove(messages, request.afterId);
    found.push(...messages.slice(from, from + request.limit));
    return found
      .sort((a, b) => a.id - b.id)
      .slice(0, request.limit)
      .map((m) => ({
        id: m.id,
        host: m.host,
        user: m.user,
        timeMs: m.startMs === null ? null : m.timeMs,
        line: m.line,
      }));
  }

  async health(): Promise<SourceHealth> {
    try {
      const recordings = await this.recordings();
      const { files, messages } = this.index.stats();
      const problems = this.index.problems();
      return {
        kind: 'files',
        reachable: true,
        messages,
        detail:
          `${recordings.size} recordings in ${files} files; ${problems.badLines} malformed lines skipped` +
          (problems.unreadable.length > 0
            ? `; ${problems.unreadable.length} unreadable files skipped`
            : ''),
      };
    } catch (err) {
      return {
        kind: 'files',
        reachable: false,
        detail: err instanceof Error ? err.message : String(err),
      };
    }
  }
}
