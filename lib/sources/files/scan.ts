import 'server-only';
import { createHash } from 'node:crypto';
import { promises as fs } from 'node:fs';
import path from 'node:path';
import { messageHasInput, messageStartMs, parseMessageLine } from '@/lib/tlog';
import { readHead, readLines } from './file-lines';
import { groupRecordings, type IndexedRecording, type StoredMessage } from './recordings';

// The files source's in-memory index of a directory of tlog JSON-lines files.
// Files are read once, in bounded chunks; a file that grew is read from where
// the last read stopped (live recordings append), one that was replaced,
// truncated or rewritten is read again. Unreadable files and malformed lines
// are skipped, counted and reported, never fatal.

const EXTENSIONS = /\.(tlog|json|jsonl|ndjson|log)$/i;
/** Bad lines remembered per file (all are counted). */
const BAD_LINES_KEPT = 100;
/** Files read at once: each holds a chunk in memory while it is read. */
const READ_CONCURRENCY = 8;
/** Bytes at the head of a file whose hash tells an append from a rewrite. */
const HEAD_BYTES = 4096;

interface ParsedFile {
  /** Relative to the directory: names the recordings of messages without `rec`. */
  relative: string;
  dev: number;
  ino: number;
  mtimeMs: number;
  size: number;
  /** Bytes read so far: up to the end of the last complete line. */
  readBytes: number;
  /** Hash of the first min(HEAD_BYTES, readBytes) bytes, and how many that was. */
  head: { bytes: number; hash: string };
  messages: StoredMessage[];
  badLines: number;
  firstBadLines: { line: number; error: string }[];
  lines: number;
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

const sha1 = (data: Buffer) => createHash('sha1').update(data).digest('hex');

function badLine(file: ParsedFile, error: string): void {
  file.badLines += 1;
  if (file.firstBadLines.length < BAD_LINES_KEPT)
    file.firstBadLines.push({ line: file.lines, error });
}

/** Adds one line's message to the file; false when the line is not a message. */
function parseLine(file: ParsedFile, raw: string): boolean {
  const line = raw.endsWith('\r') ? raw.slice(0, -1) : raw;
  if (line.trim() === '') return true;
  const parsed = parseMessageLine(line);
  if (!parsed.ok) {
    badLine(file, parsed.error);
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
    input: messageHasInput(m.timing),
    ...(m.rec !== undefined ? { rec: m.rec } : {}),
    host: m.host,
    user: m.user,
    session: m.session,
    term: m.term,
    file: file.relative,
  });
  return true;
}

/**
 * Reads the file's lines from `readBytes` to `size`: whole lines, and a last
 * line without newline if it is already a valid message (a writer may still
 * be writing it otherwise, and it is read again next time).
 */
async function readFrom(file: ParsedFile, absolute: string): Promise<void> {
  for await (const entry of readLines(absolute, file.readBytes, file.size)) {
    if (entry.kind === 'tail') {
      if (entry.text.trim() === '' || !parseMessageLine(entry.text.trimEnd()).ok) break;
      file.lines += 1;
      parseLine(file, entry.text.trimEnd());
    } else {
      file.lines += 1;
      if (entry.kind === 'line') parseLine(file, entry.text);
      else badLine(file, 'line is longer than any tlog message; skipped');
    }
    file.readBytes = entry.end;
  }
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
    if (this.dirty) {
      this.recordings = groupRecordings(this.files.values());
      this.version += 1;
      this.dirty = false;
    }
    return this.recordings;
  }

  problems(): Problems {
    const bad = [...this.files.values()].filter((f) => f.badLines > 0);
    return {
      badLines: bad.reduce((n, f) => n + f.badLines, 0),
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
    let next = 0;
    const worker = async () => {
      while (next < paths.length) {
        const file = paths[next++];
        if (file) await this.read(file);
      }
    };
    await Promise.all(Array.from({ length: READ_CONCURRENCY }, worker));
    this.scannedAt = Date.now();
  }

  /** Whether `cached` still describes the start of the file: an append, not a rewrite. */
  private async appended(
    cached: ParsedFile,
    file: string,
    stat: { dev: number; ino: number; size: number },
  ) {
    if (cached.dev !== stat.dev || cached.ino !== stat.ino || stat.size < cached.readBytes)
      return false;
    return sha1(await readHead(file, cached.head.bytes)) === cached.head.hash;
  }

  private async read(file: string): Promise<void> {
    try {
      const stat = await fs.stat(file);
      const cached = this.files.get(file);
      if (cached && cached.mtimeMs === stat.mtimeMs && cached.size === stat.size) return;
      this.dirty = true;
      this.unreadable.delete(file);
      if (cached && stat.size >= cached.size && (await this.appended(cached, file, stat))) {
        cached.mtimeMs = stat.mtimeMs;
        cached.size = stat.size;
        await readFrom(cached, file);
        return;
      }
      const parsed: ParsedFile = {
        relative: path.relative(this.dir, file),
        dev: stat.dev,
        ino: stat.ino,
        mtimeMs: stat.mtimeMs,
        size: stat.size,
        readBytes: 0,
        head: { bytes: 0, hash: '' },
        messages: [],
        badLines: 0,
        firstBadLines: [],
        lines: 0,
      };
      await readFrom(parsed, file);
      const headBytes = Math.min(HEAD_BYTES, parsed.readBytes);
      parsed.head = { bytes: headBytes, hash: sha1(await readHead(file, headBytes)) };
      this.files.set(file, parsed);
    } catch (err) {
      console.error(`files source: skipping unreadable ${file}:`, err);
      this.unreadable.set(file, err instanceof Error ? err.message : String(err));
      if (this.files.delete(file)) this.dirty = true;
    }
  }
}
