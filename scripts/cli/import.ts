import { createReadStream } from 'node:fs';
import { createInterface } from 'node:readline';
import { parseArgs } from 'node:util';
import { env } from '@/lib/env';
import { createClient } from '@/lib/sources/elasticsearch';
import { parseMessageLine } from '@/lib/tlog';

// `auditty import FILE...`: loads tlog JSON-lines files into an index the way
// the seed's rsyslog setup does: one document per message, plus an RFC 3339
// `timestamp`. Malformed lines are refused with their line numbers; the valid
// lines of the same file still load.

/** A message to index: its document id, and the document as JSON text. */
interface Row {
  id: string;
  source: string;
}

/** Deterministic ids: importing the same file twice adds nothing. */
function documentId(id: number, rec: string): string {
  return `${rec}:${String(id)}`;
}

/**
 * The stored document: the line as tlog wrote it, with the `timestamp` added
 * before its closing brace, so every field keeps its text. Parsed and written
 * again, a whole second's `time` (1790000000.000) became an integer, and
 * tlog-play's reader refuses that as "A message field has invalid type".
 * `line` is a JSON object (parseMessageLine accepted it); one that has a
 * `timestamp` of its own gets null: the caller refuses it, since two
 * `timestamp` keys are a document Elasticsearch refuses.
 */
export function documentSource(line: string, seconds: number): string | null {
  const body = line.trim();
  const original: Record<string, unknown> = JSON.parse(body);
  if ('timestamp' in original) return null;
  const timestamp = JSON.stringify(new Date(seconds * 1000).toISOString());
  const inner = body.slice(0, -1).trimEnd();
  return `${inner}${inner.endsWith('{') ? '' : ','}"timestamp":${timestamp}}`;
}

/** Where imports go: ES_INDEX when it names one index, else the pattern's `-import` index. */
export function importIndex(pattern: string): string {
  if (!/[*,]/.test(pattern)) return pattern;
  const prefix = pattern.split(',')[0]?.replace(/\*.*$/, '') ?? '';
  return `${prefix.replace(/[-_.]*$/, '') || 'tlog'}-import`;
}

/** The document id of a dropped operation (the helper hands the action back parsed). */
function droppedId(operation: unknown): string {
  const create = (operation as { create?: { _id?: unknown } } | null)?.create;
  return typeof create?._id === 'string' ? create._id : '?';
}

export async function importFiles(args: string[]): Promise<number> {
  const { values, positionals } = parseArgs({
    args,
    options: { index: { type: 'string' } },
    allowPositionals: true,
  });
  if (positionals.length === 0) {
    console.error('usage: auditty import [--index NAME] FILE...');
    return 2;
  }
  const config = env();
  if (!config.ES_URL) {
    console.error('auditty import: set ES_URL to the Elasticsearch to load into');
    return 2;
  }
  const index = values.index ?? importIndex(config.ES_INDEX);
  // A bulk request of a few MB can take far longer than a search on a busy
  // cluster (segment merges after a large load): give it minutes, not the
  // console's per-request timeout, and retry what the cluster pushes back.
  const client = createClient({
    ...config,
    ES_REQUEST_TIMEOUT_MS: Math.max(config.ES_REQUEST_TIMEOUT_MS, 180_000),
  });
  const refused: string[] = [];
  const recordings = new Set<string>();
  async function* documents(): AsyncGenerator<Row> {
    for (const file of positionals) {
      const lines = createInterface({ input: createReadStream(file), crlfDelay: Infinity });
      let number = 0;
      for await (const line of lines) {
        number += 1;
        if (line.trim() === '') continue;
        const parsed = parseMessageLine(line);
        if (!parsed.ok) {
          refused.push(`${file}:${number}: ${parsed.error}`);
          continue;
        }
        const message = parsed.value;
        const rec = message.rec ?? `${message.host}-${message.session}`;
        recordings.add(rec);
        const source = documentSource(line, message.time ?? Date.now() / 1000);
        if (source === null) {
          refused.push(`${file}:${number}: field "timestamp" is the importer's (from "time")`);
          continue;
        }
        yield { id: documentId(message.id, rec), source };
      }
    }
  }

  let present = 0;
  const failed: string[] = [];
  const stats = await client.helpers.bulk<Row>({
    datasource: documents(),
    onDocument: (row) => [{ create: { _index: index, _id: row.id } }, row.source],
    flushBytes: 4_000_000,
    concurrency: 2,
    retries: 3,
    wait: 3000,
    refreshOnCompletion: index,
    onDrop: (drop) => {
      if (drop.status === 409) present += 1;
      else failed.push(`${droppedId(drop.operation)}: ${JSON.stringify(drop.error)}`);
    },
  });
  for (const line of refused) console.error(`refused ${line}`);
  for (const line of failed.slice(0, 20)) console.error(`not indexed ${line}`);
  const loaded = stats.successful;
  console.log(
    `imported ${loaded} messages of ${recordings.size} recordings into ${index}` +
      ` (${present} already there, ${refused.length} lines refused, ${failed.length} failed) in ${stats.time} ms`,
  );
  await client.close();
  return refused.length > 0 || failed.length > 0 ? 1 : 0;
}
