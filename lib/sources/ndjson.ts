import 'server-only';

// Messages as NDJSON chunks for the messages API: each message's JSON and a
// line feed, copied once into chunks of about CHUNK bytes.

const CHUNK = 64 * 1024;
const LINE_FEED = Buffer.from('\n');

/** `lines` (each one message's JSON, with no line break in it) as NDJSON chunks. */
export function* ndjsonChunks(lines: Iterable<Uint8Array>): Generator<Uint8Array> {
  let parts: Uint8Array[] = [];
  let size = 0;
  for (const line of lines) {
    parts.push(line, LINE_FEED);
    size += line.length + 1;
    if (size >= CHUNK) {
      yield Buffer.concat(parts, size);
      parts = [];
      size = 0;
    }
  }
  if (size > 0) yield Buffer.concat(parts, size);
}
