// raw export: the output byte stream exactly as the terminal received it, the
// same bytes `tlog-play --goto=end` writes (without its trailing reset).
// `cat` it in a terminal of the recorded size to see the final screen.

import { decodeLines, type MessageLines } from './messages';

export async function* exportRaw(lines: MessageLines): AsyncGenerator<Uint8Array> {
  for await (const { events } of decodeLines(lines)) {
    for (const event of events) {
      if (event.kind === 'output') yield event.data;
    }
  }
}
