import { promises as fs } from 'node:fs';
import { auditEventSchema, REVOCATION_ACTIONS } from '@/lib/audit/event';
import type { RevocationStore } from './revocation';

// Revocations on the files sink: every instance keeps a map identity ->
// latest sign-out or session-revoke, and brings it up to date on each
// session check by reading what AUDIT_LOG_FILE gained since the last time.
// The whole file is read once (streaming, a chunk at a time), then only its
// new bytes; nothing is ever skipped for being too far back, since a missed
// revocation would let a session it ended back in. A file rotated (another
// inode), truncated (smaller), or truncated and grown back (the bytes before
// the offset changed) is read again from its start; what the map holds stays.
// A file that cannot be read throws, and the request is refused.

export const CHUNK_BYTES = 64 * 1024;
/** Events are far smaller (lib/audit/bounds.ts); a longer line is not auditty's, and is skipped unheld. */
export const MAX_LINE_BYTES = 1024 * 1024;
/** Bytes before the offset compared on each read: an event's id and time make them unique. */
const TAIL_BYTES = 64;
const PRUNE_EVERY_MS = 60_000;

export interface FileRevocationOptions {
  /**
   * How long a revocation matters: sessions older than the session lifetime
   * are refused anyway, so older revocations are dropped (bounded memory).
   */
  retainMs?: number;
  now?: () => number;
  chunkBytes?: number;
}

export class FileRevocations implements RevocationStore {
  private readonly latest = new Map<string, number>();
  /** Where the next read starts: just after the last whole line read. */
  private offset = 0;
  private fileId: { dev: number; ino: number } | null = null;
  private tail: Buffer = Buffer.alloc(0);
  private running: Promise<void> | null = null;
  private queued: Promise<void> | null = null;
  private prunedAt = 0;
  /** What the reads cost, for tests: bytes read, lines parsed, reads from the start again. */
  readonly stats = { bytesRead: 0, linesParsed: 0, restarts: 0 };

  constructor(
    readonly file: string,
    private readonly options: FileRevocationOptions = {},
  ) {}

  /** Identities with a revocation in memory. */
  get size(): number {
    return this.latest.size;
  }

  async notBefore(id: string): Promise<number> {
    await this.catchUp();
    return this.latest.get(id) ?? 0;
  }

  revoked(id: string, atMs: number): void {
    this.note(id, atMs);
  }

  /**
   * Reads what the file gained. A check that arrives during a read waits for
   * the next one, which starts after it: a revocation appended before the
   * check began is always seen.
   */
  catchUp(): Promise<void> {
    if (this.queued) return this.queued;
    if (this.running) {
      this.queued = this.running
        .catch(() => undefined)
        .then(() => {
          this.queued = null;
          return this.start();
        });
      return this.queued;
    }
    return this.start();
  }

  private start(): Promise<void> {
    const run = this.read().finally(() => {
      if (this.running === run) this.running = null;
    });
    this.running = run;
    return run;
  }

  private now(): number {
    return (this.options.now ?? Date.now)();
  }

  private restart(): void {
    if (this.offset > 0 || this.fileId) this.stats.restarts += 1;
    this.offset = 0;
    this.tail = Buffer.alloc(0);
    this.fileId = null;
  }

  private async read(): Promise<void> {
    let handle;
    try {
      handle = await fs.open(/*turbopackIgnore: true*/ this.file, 'r');
    } catch (err) {
      // Not there (yet, or renamed away by a rotation): nothing new; its successor is read whole.
      if ((err as NodeJS.ErrnoException).code === 'ENOENT') return this.restart();
      throw err;
    }
    try {
      const stat = await handle.stat();
      const other = this.fileId && (this.fileId.dev !== stat.dev || this.fileId.ino !== stat.ino);
      if (other || stat.size < this.offset || !(await this.tailMatches(handle))) this.restart();
      this.fileId = { dev: stat.dev, ino: stat.ino };
      await this.readLines(handle, stat.size);
    } finally {
      await handle.close();
    }
    this.prune();
  }

  private async tailMatches(handle: fs.FileHandle): Promise<boolean> {
    if (this.offset === 0 || this.tail.length === 0) return true;
    const got = Buffer.alloc(this.tail.length);
    const { bytesRead } = await handle.read(got, 0, got.length, this.offset - got.length);
    return bytesRead === got.length && got.equals(this.tail);
  }

  /** Whole lines from the offset to `end`; a last line without its newline waits for the next read. */
  private async readLines(handle: fs.FileHandle, end: number): Promise<void> {
    const buffer = Buffer.allocUnsafe(this.options.chunkBytes ?? CHUNK_BYTES);
    const start = this.offset;
    let pos = this.offset;
    let carry: Buffer[] = [];
    let carried = 0;
    let overlong = false;
    while (pos < end) {
      const { bytesRead } = await handle.read(buffer, 0, Math.min(buffer.length, end - pos), pos);
      if (bytesRead === 0) break; // It shrank meanwhile: the next read notices.
      this.stats.bytesRead += bytesRead;
      const chunk = buffer.subarray(0, bytesRead);
      let from = 0;
      for (let nl = chunk.indexOf(0x0a, from); nl !== -1; nl = chunk.indexOf(0x0a, from)) {
        const piece = chunk.subarray(from, nl);
        if (!overlong && carried + piece.length <= MAX_LINE_BYTES)
          this.visit(carried ? Buffer.concat([...carry, piece]) : piece);
        carry = [];
        carried = 0;
        overlong = false;
        from = nl + 1;
        this.offset = pos + from;
      }
      if (from < bytesRead && !overlong) {
        const rest = chunk.subarray(from);
        if (carried + rest.length > MAX_LINE_BYTES) {
          overlong = true;
          carry = [];
          carried = 0;
        } else {
          carry.push(Buffer.from(rest));
          carried += rest.length;
        }
      }
      pos += bytesRead;
    }
    if (this.offset > start || this.tail.length === 0) {
      const length = Math.min(TAIL_BYTES, this.offset);
      const tail = Buffer.alloc(length);
      const { bytesRead } = await handle.read(tail, 0, length, this.offset - length);
      this.tail = tail.subarray(0, bytesRead);
    }
  }

  private visit(line: Buffer): void {
    // Most events are not revocations: skipped without being parsed.
    if (!REVOCATION_ACTIONS.some((action) => line.includes(action))) return;
    this.stats.linesParsed += 1;
    let json: unknown;
    try {
      json = JSON.parse(line.toString('utf8'));
    } catch {
      return; // A torn line (disk full, a crash) is not an event.
    }
    const parsed = auditEventSchema.safeParse(json);
    if (!parsed.success) return;
    const event = parsed.data;
    if (!REVOCATION_ACTIONS.includes(event.event.action) || !event.user?.id) return;
    const ms = Date.parse(event['@timestamp']);
    if (Number.isFinite(ms)) this.note(event.user.id, ms);
  }

  private note(id: string, atMs: number): void {
    const retain = this.options.retainMs ?? Infinity;
    if (atMs < this.now() - retain) return;
    if (atMs > (this.latest.get(id) ?? 0)) this.latest.set(id, atMs);
  }

  private prune(): void {
    const retain = this.options.retainMs;
    const now = this.now();
    if (retain === undefined || now - this.prunedAt < PRUNE_EVERY_MS) return;
    this.prunedAt = now;
    for (const [id, at] of this.latest) if (at < now - retain) this.latest.delete(id);
  }
}
