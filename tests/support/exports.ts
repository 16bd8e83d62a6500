// Helpers for export tests: run an export to the end, read asciicast files,
// and build small tlog messages by hand.

export async function collect(chunks: AsyncIterable<string | Uint8Array>): Promise<Buffer> {
  const parts: Buffer[] = [];
  for await (const chunk of chunks)
    parts.push(typeof chunk === 'string' ? Buffer.from(chunk, 'utf8') : Buffer.from(chunk));
  return Buffer.concat(parts);
}

export async function collectText(chunks: AsyncIterable<string | Uint8Array>): Promise<string> {
  return (await collect(chunks)).toString('utf8');
}

export interface Cast {
  header: Record<string, unknown>;
  events: [number, string, string][];
}

/** Parses asciicast v2, checking each line's shape on the way. */
export function parseCast(text: string): Cast {
  const lines = text.split('\n');
  if (lines.pop() !== '') throw new Error('asciicast does not end with a newline');
  const [first, ...rest] = lines;
  const header: unknown = JSON.parse(first ?? '');
  if (typeof header !== 'object' || header === null || Array.isArray(header))
    throw new Error('header is not an object');
  const events = rest.map((line, i) => {
    const event: unknown = JSON.parse(line);
    if (
      !Array.isArray(event) ||
      event.length !== 3 ||
      typeof event[0] !== 'number' ||
      typeof event[1] !== 'string' ||
      typeof event[2] !== 'string'
    ) {
      throw new Error(`event line ${i + 2} is not [time, code, data]: ${line.slice(0, 80)}`);
    }
    return [event[0], event[1], event[2]] as [number, string, string];
  });
  return { header: { ...header }, events };
}

/** One tlog message line; `over` replaces fields (undefined removes one). */
export function messageLine(over: Record<string, unknown> = {}): string {
  const message: Record<string, unknown> = {
    ver: '2.3',
    host: 'web-01.example.com',
    rec: 'rec-1',
    user: 'alice',
    term: 'xterm-256color',
    session: 7,
    id: 1,
    pos: 0,
    time: 1795797000.5,
    timing: '',
    in_txt: '',
    in_bin: [],
    out_txt: '',
    out_bin: [],
  };
  for (const [key, value] of Object.entries(over)) {
    if (value === undefined) delete message[key];
    else message[key] = value;
  }
  return JSON.stringify(message);
}
