import 'server-only';
import { promises as fs } from 'node:fs';

// Reading a recordings file line by line in bounded chunks: a file of any
// size costs at most a chunk and a line in memory while it is read, and a
// line longer than any tlog message is skipped without being held.

/** Bytes read at a time. */
export const CHUNK_BYTES = 1024 * 1024;
/**
 * The longest line kept. tlog writes messages of a few KB (the payload
 * limit is 2 KiB by default and rarely raised past 64 KiB): a longer line is
 * not a tlog message, and holding it would let one file take the memory.
 */
export const MAX_LINE_BYTES = 1024 * 1024;

export type FileLine =
  /** A complete line (without its newline); `end` is the byte offset after the newline. */
  | { kind: 'line'; text: string; end: number }
  /** A line over MAX_LINE_BYTES, skipped; `end` as above. */
  | { kind: 'too-long'; end: number }
  /** The file's last bytes, with no newline after them yet (a writer may still be writing). */
  | { kind: 'tail'; text: string; end: number };

const NEWLINE = 0x0a;
const decoder = new TextDecoder('utf-8');

/** The lines of `file` from byte `from` to `to` (its size when read). */
export async function* readLines(file: string, from: number, to: number): AsyncGenerator<FileLine> {
  const handle = await fs.open(file, 'r');
  try {
    const buffer = Buffer.alloc(CHUNK_BYTES);
    /** Bytes of the current line read so far (held only while under MAX_LINE_BYTES). */
    let pending: Buffer[] = [];
    let pendingBytes = 0;
    let skipping = false;
    let offset = from;
    while (offset < to) {
      const { bytesRead } = await handle.read(
        buffer,
        0,
        Math.min(CHUNK_BYTES, to - offset),
        offset,
      );
      if (bytesRead === 0) break;
      let start = 0;
      for (;;) {
        const newline = buffer.indexOf(NEWLINE, start);
        const stop = newline === -1 || newline >= bytesRead ? bytesRead : newline;
        if (!skipping) {
          if (pendingBytes + (stop - start) > MAX_LINE_BYTES) {
            skipping = true;
            pending = [];
            pendingBytes = 0;
          } else {
            pending.push(Buffer.from(buffer.subarray(start, stop)));
            pendingBytes += stop - start;
          }
        }
        if (stop === bytesRead) break;
        const end = offset + newline + 1;
        if (skipping) yield { kind: 'too-long', end };
        else
          yield { kind: 'line', text: decoder.decode(Buffer.concat(pending, pendingBytes)), end };
        pending = [];
        pendingBytes = 0;
        skipping = false;
        start = newline + 1;
      }
      offset += bytesRead;
    }
    if (pendingBytes > 0 && !skipping) {
      yield {
        kind: 'tail',
        text: decoder.decode(Buffer.concat(pending, pendingBytes)),
        end: offset,
      };
    }
  } finally {
    await handle.close();
  }
}

/** The first `bytes` of a file (fewer if it is shorter): its fingerprint for "rewritten?". */
export async function readHead(file: string, bytes: number): Promise<Buffer> {
  const handle = await fs.open(file, 'r');
  try {
    const buffer = Buffer.alloc(bytes);
    const { bytesRead } = await handle.read(buffer, 0, bytes, 0);
    return buffer.subarray(0, bytesRead);
  } finally {
    await handle.close();
  }
}
