import { createHash } from 'node:crypto';
import { promises as fs, type Stats } from 'node:fs';

// A configuration file (the policy, the local accounts) parsed again when it
// changes. Its stat alone can miss a change: file systems keep times at a
// granularity (a second on ext3, two on FAT, and a server's clock on NFS),
// so an edit of the same size right after the previous one can leave size
// and mtime as they were. While the file's mtime is that close to when it
// was last read, it is read again and its hash compared; once the file has
// been still for longer, a change must move its mtime, and stat suffices.

/** Coarse time stamps, plus a few seconds of clock difference with a file server. */
export const MTIME_GRANULARITY_MS = 5_000;

interface Entry<T> {
  file: string;
  dev: number;
  ino: number;
  size: number;
  mtimeMs: number;
  ctimeMs: number;
  /** When the text behind `hash` was read (taken before reading it). */
  readAtMs: number;
  hash: string;
  value: T;
}

export class FileCache<T> {
  private entry: Entry<T> | undefined;
  /** Parses done, for tests. */
  parses = 0;

  constructor(
    private readonly parse: (text: string, file: string) => T,
    private readonly now: () => number = Date.now,
  ) {}

  /** The file's value now; ENOENT and read errors are thrown. */
  async get(file: string): Promise<T> {
    const stat = await fs.stat(/*turbopackIgnore: true*/ file);
    const cached = this.entry;
    if (cached && cached.file === file && sameStat(cached, stat)) {
      if (cached.readAtMs - stat.mtimeMs > MTIME_GRANULARITY_MS) return cached.value;
    }
    const readAtMs = this.now();
    const text = await fs.readFile(/*turbopackIgnore: true*/ file, 'utf8');
    const hash = createHash('sha256').update(text).digest('base64url');
    let value: T;
    if (cached && cached.file === file && cached.hash === hash) {
      value = cached.value;
    } else {
      value = this.parse(text, file);
      this.parses += 1;
    }
    this.entry = {
      file,
      dev: stat.dev,
      ino: stat.ino,
      size: stat.size,
      mtimeMs: stat.mtimeMs,
      ctimeMs: stat.ctimeMs,
      readAtMs,
      hash,
      value,
    };
    return value;
  }
}

const sameStat = (entry: Entry<unknown>, stat: Stats) =>
  entry.dev === stat.dev &&
  entry.ino === stat.ino &&
  entry.size === stat.size &&
  entry.mtimeMs === stat.mtimeMs &&
  entry.ctimeMs === stat.ctimeMs;
