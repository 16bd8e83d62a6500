import 'server-only';
import { promises as fs } from 'node:fs';
import { auditEventSchema, type AuditEvent } from './event';
import {
  compareEvents,
  encodeCursor,
  matchesFilter,
  type EventFilter,
  type EventPage,
} from './query';

// A page of the access log from AUDIT_LOG_FILE, which only grows: read from
// its end in chunks, newest line first (events are appended as they happen),
// until the page is full, and never more than MAX_SCAN_BYTES per request.

/** A page of 50 to 200 events of under a kilobyte each fits in one or two. */
export const CHUNK_BYTES = 64 * 1024;
/**
 * What one request may read: about 100,000 events, well under a second on
 * any disk. A page deeper than that says so (EventPage.partial) instead of
 * making every view of the access log read a file that grows without end.
 */
export const MAX_SCAN_BYTES = 64 * 1024 * 1024;
/**
 * Events are under 48,000 characters (bounds.ts), 150 KB of UTF-8 at most;
 * a longer line is not one auditty wrote, and is skipped without being held
 * in memory.
 */
export const MAX_LINE_BYTES = 1024 * 1024;
/**
 * How far out of order two lines may be: an event's time is taken when it
 * is built and concurrent requests append in any order. The scan goes on
 * this far past the oldest event it keeps, so no event of the page is missed.
 */
export const REORDER_MS = 2_000;

export interface ScanOptions {
  chunkBytes?: number;
  maxBytes?: number;
}

export interface ScanResult {
  page: EventPage;
  /** Bytes read from the file. */
  bytesRead: number;
  /** Lines parsed: each at most once. */
  linesParsed: number;
}

/** The newest `capacity` matching events, newest first, and how many matched. */
class Newest {
  readonly kept: AuditEvent[] = [];
  matched = 0;

  constructor(private readonly capacity: number) {}

  get oldestMs(): number | null {
    const last = this.kept[this.capacity - 1];
    return last ? Date.parse(last['@timestamp']) : null;
  }

  add(event: AuditEvent): void {
    this.matched += 1;
    const last = this.kept[this.kept.length - 1];
    if (this.kept.length === this.capacity && last && compareEvents(event, last) >= 0) return;
    // Lines come nearly newest first, so this walks back a step or none.
    let at = this.kept.length;
    while (at > 0 && compareEvents(event, this.kept[at - 1]!) < 0) at -= 1;
    this.kept.splice(at, 0, event);
    if (this.kept.length > this.capacity) this.kept.pop();
  }
}

export async function scanFile(
  file: string,
  filter: EventFilter,
  options: ScanOptions = {},
): Promise<ScanResult> {
  const chunkBytes = options.chunkBytes ?? CHUNK_BYTES;
  const maxBytes = options.maxBytes ?? MAX_SCAN_BYTES;
  let handle;
  try {
    handle = await fs.open(/*turbopackIgnore: true*/ file, 'r');
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT')
      return { page: { items: [], nextCursor: null }, bytesRead: 0, linesParsed: 0 };
    throw err;
  }
  const newest = new Newest(filter.size + 1);
  let linesParsed = 0;

  /** One whole line; true when nothing further back can be on the page. */
  const visit = (line: Buffer): boolean => {
    linesParsed += 1;
    let json: unknown;
    try {
      json = JSON.parse(line.toString('utf8'));
    } catch {
      return false; // A torn line (disk full, crash, a write under way) is skipped, not fatal.
    }
    const parsed = auditEventSchema.safeParse(json);
    if (!parsed.success) return false;
    const event = parsed.data;
    const ms = Date.parse(event['@timestamp']);
    const oldest = newest.oldestMs;
    if (oldest !== null && ms < oldest - REORDER_MS) return true;
    if (filter.fromMs !== undefined && ms < filter.fromMs - REORDER_MS) return true;
    if (matchesFilter(event, filter)) newest.add(event);
    return false;
  };

  let bytesRead = 0;
  let capped = false;
  try {
    let pos = (await handle.stat()).size;
    const buffer = Buffer.allocUnsafe(chunkBytes);
    // The end of the line whose start is further back, as copies (the buffer is reused).
    let carry: Buffer[] = [];
    let carried = 0;
    let overlong = false;
    let done = false;
    while (pos > 0 && !done) {
      if (bytesRead >= maxBytes) {
        capped = true;
        break;
      }
      const length = Math.min(chunkBytes, pos, maxBytes - bytesRead);
      pos -= length;
      await readFully(handle, buffer, length, pos);
      bytesRead += length;
      const chunk = buffer.subarray(0, length);
      let end = length;
      while (end > 0 && !done) {
        const newline = chunk.lastIndexOf(0x0a, end - 1);
        if (newline === -1) break;
        const start = chunk.subarray(newline + 1, end);
        if (!overlong && start.length + carried > 0)
          done = visit(carried ? Buffer.concat([start, ...carry]) : start);
        carry = [];
        carried = 0;
        overlong = false;
        end = newline;
      }
      if (done || end === 0) continue;
      if (!overlong) {
        carry.unshift(Buffer.from(chunk.subarray(0, end)));
        carried += end;
      }
      if (carried > MAX_LINE_BYTES) {
        overlong = true;
        carry = [];
        carried = 0;
      }
    }
    // The file's first line has no newline before it.
    if (!done && !capped && pos === 0 && carried > 0 && !overlong) visit(Buffer.concat(carry));
  } finally {
    await handle.close();
  }

  const items = newest.kept.slice(0, filter.size);
  const last = items[items.length - 1];
  const full = newest.matched > filter.size;
  return {
    page: {
      items,
      nextCursor: full && last ? encodeCursor(last) : null,
      ...(capped && !full ? { partial: { scannedBytes: bytesRead } } : {}),
    },
    bytesRead,
    linesParsed,
  };
}

async function readFully(
  handle: fs.FileHandle,
  buffer: Buffer,
  length: number,
  position: number,
): Promise<void> {
  let got = 0;
  while (got < length) {
    const { bytesRead } = await handle.read(buffer, got, length - got, position + got);
    if (bytesRead === 0) throw new Error('the audit file shrank while it was read');
    got += bytesRead;
  }
}
