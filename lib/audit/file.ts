import 'server-only';
import { promises as fs } from 'node:fs';
import type { AuditEvent } from './event';
import { scanFile } from './file-scan';
import type { EventFilter, EventPage } from './query';

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

  /** Reads from the end, no more than a page needs and never past a cap (file-scan.ts). */
  async search(filter: EventFilter): Promise<EventPage> {
    return (await scanFile(this.file, filter)).page;
  }
}
