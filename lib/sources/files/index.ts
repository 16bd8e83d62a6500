import 'server-only';
import { promises as fs } from 'node:fs';
import path from 'node:path';
import { decodeTiming, parseMessageLine, type TlogMessage } from '@/lib/tlog';
import { AppError } from '@/lib/errors';
import { inScope } from '../scope';
import type {
  ListQuery,
  ListResult,
  RecordingSource,
  RecordingSummary,
  Scope,
  SourceHealth,
} from '../types';

// The embedded source: a directory of tlog JSON-lines files (tlog-rec's file
// writer, or `journalctl -o cat` exports). Files are parsed once and parsed
// again when their size or mtime changes, so appended lines show up live.

const EXTENSIONS = /\.(tlog|json|jsonl|ndjson|log)$/i;

interface StoredMessage {
  message: TlogMessage;
  /** The line exactly as it is in the file. */
  line: string;
}

interface ParsedFile {
  mtimeMs: number;
  size: number;
  messages: StoredMessage[];
  badLines: { line: number; error: string }[];
}

interface Recording {
  id: string;
  messages: StoredMessage[];
  fallbackStartMs: number;
}

async function listFiles(dir: string): Promise<string[]> {
  const entries = await fs.readdir(dir, { withFileTypes: true, recursive: true });
  return entries
    .filter((entry) => entry.isFile() && EXTENSIONS.test(entry.name))
    .map((entry) => path.join(entry.parentPath, entry.name))
    .sort();
}

function parseFile(text: string, mtimeMs: number, size: number): ParsedFile {
  const messages: StoredMessage[] = [];
  const badLines: ParsedFile['badLines'] = [];
  const lines = text.split('\n');
  lines.forEach((raw, index) => {
    const line = raw.endsWith('\r') ? raw.slice(0, -1) : raw;
    if (line.trim() === '') return;
    const parsed = parseMessageLine(line);
    if (parsed.ok) messages.push({ message: parsed.value, line });
    else badLines.push({ line: index + 1, error: parsed.error });
  });
  return { mtimeMs, size, messages, badLines };
}

function summarize(recording: Recording): RecordingSummary {
  const messages = recording.messages;
  const first = messages[0];
  const last = messages[messages.length - 1];
  if (!first || !last) throw new Error('a recording has at least one message');
  const durationMs = decodeTiming(last.message).end;
  const startMs =
    first.message.time !== undefined
      ? Math.round(first.message.time * 1000 - first.message.pos)
      : recording.fallbackStartMs;
  const span = last.message.id - first.message.id + 1;
  return {
    id: recording.id,
    host: first.message.host,
    user: first.message.user,
    session: first.message.session,
    term: first.message.term,
    start: new Date(startMs).toISOString(),
    end: new Date(startMs + durationMs).toISOString(),
    durationMs,
    messages: messages.length,
    hasInput: messages.some((m) => /[<[]/.test(m.message.timing)),
    gaps: span - messages.length + (first.message.id - 1),
  };
}

export class FilesSource implements RecordingSource {
  readonly kind = 'files' as const;
  private readonly files = new Map<string, ParsedFile>();

  constructor(private readonly dir: string) {}

  /** Re-reads changed files and groups messages into recordings. */
  private async recordings(): Promise<Map<string, Recording>> {
    let paths: string[];
    try {
      paths = await listFiles(this.dir);
    } catch (err) {
      throw new AppError('source_unavailable', `Cannot read RECORDINGS_DIR ${this.dir}`, {
        cause: err,
      });
    }
    const seen = new Set(paths);
    for (const known of this.files.keys()) if (!seen.has(known)) this.files.delete(known);
    await Promise.all(
      paths.map(async (file) => {
        try {
          const stat = await fs.stat(file);
          const cached = this.files.get(file);
          if (cached && cached.mtimeMs === stat.mtimeMs && cached.size === stat.size) return;
          const text = await fs.readFile(file, 'utf8');
          this.files.set(file, parseFile(text, stat.mtimeMs, stat.size));
        } catch (err) {
          console.error(`files source: skipping unreadable ${file}:`, err);
          this.files.delete(file);
        }
      }),
    );

    const byId = new Map<string, Recording>();
    for (const [file, parsed] of this.files) {
      for (const stored of parsed.messages) {
        const id = stored.message.rec ?? `file-${path.basename(file).replace(/[^\w.-]/g, '_')}`;
        let recording = byId.get(id);
        if (!recording) {
          recording = { id, messages: [], fallbackStartMs: parsed.mtimeMs };
          byId.set(id, recording);
        }
        recording.messages.push(stored);
      }
    }
    for (const recording of byId.values()) {
      // Stable sort, then keep the first of each id.
      recording.messages.sort((a, b) => a.message.id - b.message.id);
      recording.messages = recording.messages.filter(
        (m, i, all) => i === 0 || all[i - 1]?.message.id !== m.message.id,
      );
    }
    return byId;
  }

  async list(scope: Scope, query: ListQuery): Promise<ListResult> {
    const recordings = await this.recordings();
    const items = [...recordings.values()]
      .map(summarize)
      .filter((s) => inScope(scope, s.host, s.user))
      .filter((s) => (query.user === undefined ? true : s.user === query.user))
      .filter((s) => (query.host === undefined ? true : s.host === query.host))
      .filter((s) => (query.fromMs === undefined ? true : Date.parse(s.end) >= query.fromMs))
      .filter((s) => (query.toMs === undefined ? true : Date.parse(s.start) <= query.toMs))
      .sort((a, b) =>
        query.sort === 'start:asc' ? a.start.localeCompare(b.start) : b.start.localeCompare(a.start),
      );
    return { items: items.slice(0, query.size), nextCursor: null, total: items.length };
  }

  async get(scope: Scope, id: string): Promise<RecordingSummary | null> {
    const recording = (await this.recordings()).get(id);
    if (!recording) return null;
    const summary = summarize(recording);
    return inScope(scope, summary.host, summary.user) ? summary : null;
  }

  async messages(scope: Scope, id: string): Promise<AsyncIterable<string> | null> {
    const recording = (await this.recordings()).get(id);
    const first = recording?.messages[0];
    if (!recording || !first || !inScope(scope, first.message.host, first.message.user)) {
      return null;
    }
    const lines = recording.messages.map((m) => m.line);
    return (async function* () {
      yield* lines;
    })();
  }

  async health(): Promise<SourceHealth> {
    try {
      const recordings = await this.recordings();
      const files = [...this.files.values()];
      const bad = files.reduce((n, f) => n + f.badLines.length, 0);
      return {
        kind: 'files',
        reachable: true,
        messages: files.reduce((n, f) => n + f.messages.length, 0),
        detail: `${recordings.size} recordings in ${this.files.size} files; ${bad} malformed lines skipped`,
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
