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

// Audit events as JSON lines appended to AUDIT_LOG_FILE (the files source,
// or sites that ship logs as files). One write per event with O_APPEND, so
// lines from concurrent requests do not interleave.

export class FileAuditSink {
  constructor(readonly file: string) {}

  async write(event: AuditEvent): Promise<void> {
    await fs.appendFile(/*turbopackIgnore: true*/ this.file, `${JSON.stringify(event)}\n`, {
      mode: 0o600,
    });
  }

  /** Reads the whole file: meant for the small sites that use files. */
  async search(filter: EventFilter): Promise<EventPage> {
    let text: string;
    try {
      text = await fs.readFile(/*turbopackIgnore: true*/ this.file, 'utf8');
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code === 'ENOENT') return { items: [], nextCursor: null };
      throw err;
    }
    const events: AuditEvent[] = [];
    for (const line of text.split('\n')) {
      if (!line.trim()) continue;
      let json: unknown;
      try {
        json = JSON.parse(line);
      } catch {
        continue; // A torn last line (disk full, crash) is skipped, not fatal.
      }
      const event = auditEventSchema.safeParse(json);
      if (event.success && matchesFilter(event.data, filter)) events.push(event.data);
    }
    events.sort(compareEvents);
    const items = events.slice(0, filter.size);
    const last = items[items.length - 1];
    return { items, nextCursor: events.length > filter.size && last ? encodeCursor(last) : null };
  }
}
