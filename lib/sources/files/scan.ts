import 'server-only';
import { promises as fs } from 'node:fs';
import path from 'node:path';
import { messageEnd, messageStartMs, parseMessageLine } from '@/lib/tlog';
import { summarize } from '../summary';
import type { RecordingSummary } from '../types';

// The files source's in-memory index of a directory of tlog JSON-lines files.
// Files are read once; a file that grew is read from where the last read
// stopped (live recordings append), one that changed otherwise is read
// again. Unreadable files and malformed lines are skipped, counted and
// reported, never fatal.

const EXTENSIONS = /\.(tlog|json|jsonl|ndjson|log)$/i;

/** What the index keeps of a message: its exact line and what listing needs. */
export interface StoredMessage {
  line: string;
  id: number;
  pos: number;
  /** Unix ms of the message's first event; the file's mtime for writers without a usable `time`. */
  timeMs: number;
  timing: string;
  out: string;
  input: boolean;
}

interface ParsedFile {
  mtimeMs: number;
  size: number;
  /** Bytes read so far: up to the end of the last complete line. */
  readBytes: number;
  messages: (StoredMessage & {
    rec?: string;
    host: string;
    user: string;
    session: number;
    term: string;
    /** messageStartMs: null without a usable `time`. */
    startMs: number | null;
  })[];
  badLines: { line: number; error: string }[];
  lines: number;
}

export interface IndexedRecording {
  summary: RecordingSummary;
  /** Earliest message time: the start order's key. */
  startKey: number;
  /** pos of the last message: the duration order's key. */
  lastPos: number;
  messages: StoredMessage[];
}

export interface Problems {
  badLines: number;
  badFiles: number;
  unreadable: string[];
}

async function listFiles(dir: string): Promise<string[]> {
  const entries = await fs.readdir(dir, { withFileTypes: true, recursive: true });
  return entries
    .filter((entry) => entry.isFile() && EXTENSIONS.test(entry.name))
    .map((entry) => path.join(entry.parentPath, entry.name))
    .sort();
}

function parseLine(file: ParsedFile, raw: string): boolean {
  const line = raw.endsWith('\r') ? raw.slice(0, -1) : raw;
  if (line.trim() === '') return true;
  const parsed = parseMessageLine(line);
  if (!parsed.ok) {
    file.badLines.push({ line: file.lines, error: parsed.error });
    return false;
  }
  const m = parsed.value;
  const startMs = messageStartMs(m);
  file.messages.push({
    line,
    id: m.id,
    pos: m.pos,
    // A `time` beyond what a Date holds is damage: the file's time stands in.
    timeMs: m.time === undefined || startMs === null ? file.mtimeMs : Math.round(m.time * 1000),
    startMs,
    timing: m.timing,
    out: m.out_txt,
    input: /[<[]/.test(m.timing),
    ...(m.rec !== undefined ? { rec: m.rec } : {}),
    host: m.host,
    user: m.user,
    session: m.session,
    term: m.term,
  });
  return true;
}

/**
 * Parses the whole lines of `text` (a file's content from a line start), and
 * a last line without newline if it is already a valid message (a writer may
 * still be writing it otherwise). Returns the UTF-8 bytes consumed.
 */
function parseLines(file: ParsedFile, text: string): number {
  const end = text.lastIndexOf('\n') + 1;
  for (const raw of text.slice(0, Math.max(0, end - 1)).split('\n')) {
    if (end === 0) break;
    file.lines += 1;
    parseLine(file, raw);
  }
  const tail = text.slice(end);
  if (tail.trim() !== '' && parseMessageLine(tail.trimEnd()).ok) {
    file.lines += 1;
    parseLine(file, tail.trimEnd());
    return Buffer.byteLength(text, 'utf8');
  }
  return Buffer.byteLength(text.slice(0, end), 'utf8');
}

export class DirectoryIndex {
  private readonly files = new Map<string, ParsedFile>();
  private readonly unreadable = new Map<string, string>();
  private recordings = new Map<string, IndexedRecording>();
  /** Goes up each time the recordings change. */
  version = 0;
  private dirty = true;
  private scannedAt = 0;
  private scanning: Promise<void> | null = null;

  constructor(
    private readonly dir: string,
    /** A list within this many ms of the last scan reuses it. */
    private readonly rescanMs = 500,
  ) {}

  /** Brings the index up to date (at most one scan at a time) and returns it. */
  async current(): Promise<Map<string, IndexedRecording>> {
    if (Date.now() - this.scannedAt >= this.rescanMs) {
      this.scanning ??= this.scan().finally(() => {
        this.scanning = null;
      });
      await this.scanning;
    }
    if (this.dirty) this.rebuild();
    return this.recordings;
  }

  problems(): Problems {
    const bad = [...this.files.values()].filter((f) => f.badLines.length > 0);
    return {
      badLines: bad.reduce((n, f) => n + f.badLines.length, 0),
      badFiles: bad.length,
      unreadable: [...this.unreadable.keys()],
    };
  }

  stats() {
    const files = [...this.files.values()];
    return { files: files.length, messages: files.reduce((n, f) => n + f.messages.length, 0) };
  }

  private async scan(): Promise<void> {
    const paths = await listFiles(this.dir);
    const seen = new Set(paths);
    for (const known of this.files.keys()) {
      if (!seen.has(known)) {
        this.files.delete(known);
        this.dirty = true;
      }
    }
    for (const gone of this.unreadable.keys()) if (!seen.has(gone)) this.unreadable.delete(gone);
    await Promise.all(paths.map((file) => this.read(file)));
    this.scannedAt = Date.now();
  }

  private async read(file: string): Promise<void> {
    try {
      const stat = await fs.stat(file);
      const cached = this.files.get(file);
      if (cached && cached.mtimeMs === stat.mtimeMs && cached.size === stat.size) return;
      this.dirty = true;
      this.unreadable.delete(file);
      if (cached && stat.size > cached.readBytes && cached.size <= stat.size) {
        // Grown: read the new part only.
        const handle = await fs.open(file, 'r');
        try {
          const buffer = Buffer.alloc(stat.size - cached.readBytes);
          await handle.read(buffer, 0, buffer.length, cached.readBytes);
          cached.readBytes += parseLines(cached, buffer.toString('utf8'));
        } finally {
          await handle.close();
        }
        cached.mtimeMs = stat.mtimeMs;
        cached.size = stat.size;
        return;
      }
      const text = await fs.readFile(file, 'utf8');
      const parsed: ParsedFile = {
        mtimeMs: stat.mtimeMs,
        size: stat.size,
        readBytes: 0,
        messages: [],
        badLines: [],
        lines: 0,
      };
      parsed.readBytes = parseLines(parsed, text);
      this.files.set(file, parsed);
    } catch (err) {
      console.error(`files source: skipping unreadable ${file}:`, err);
      this.unreadable.set(file, err instanceof Error ? err.message : String(err));
      if (this.files.delete(file)) this.dirty = true;
    }
  }

  /** Groups messages into recordings (ordered by id, duplicates dropped) and summarizes each. */
  private rebuild(): void {
    const byId = new Map<string, ParsedFile['messages']>();
    for (const [file, parsed] of this.files) {
      const fallback = `file-${path.basename(file).replace(/[^\w.-]/g, '_')}`;
      for (const message of parsed.messages) {
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
      const last = messages[messages.length - 1];
      if (!first || !last) continue;
      recordings.set(id, {
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
      });
    }
    this.recordings = recordings;
    this.version += 1;
    this.dirty = false;
  }
}
