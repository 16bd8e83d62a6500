// Measurement 4: how fast lib/tlog turns tlog JSON into timeline events,
// next to how fast @xterm/headless can take the same output bytes (the
// rendering limit a player cannot beat).

import { readFileSync } from 'node:fs';
import xtermHeadless from '@xterm/headless';
import { TimelineBuilder, validateMessage } from '@/lib/tlog';

const { Terminal } = xtermHeadless;

export function decodeFile(file: string) {
  const text = readFileSync(file, 'utf8');
  const started = performance.now();
  const builder = new TimelineBuilder();
  let start = 0;
  while (start < text.length) {
    let end = text.indexOf('\n', start);
    if (end < 0) end = text.length;
    const line = text.slice(start, end);
    start = end + 1;
    if (line === '') continue;
    const message = validateMessage(JSON.parse(line));
    if (message.ok) builder.push(message.value);
  }
  const ms = performance.now() - started;
  const timeline = builder.timeline;
  const output: Uint8Array[] = [];
  let outputBytes = 0;
  for (const event of timeline.events) {
    if (event.kind === 'output') {
      output.push(event.data);
      outputBytes += event.data.length;
    }
  }
  return {
    ms,
    inputBytes: Buffer.byteLength(text),
    outputBytes,
    output,
    messages: timeline.messages,
  };
}

/** Writes the bytes to a headless xterm in 64 KiB chunks, waiting for each to be parsed. */
export async function xtermWrite(output: Uint8Array[], cols = 100, rows = 30) {
  const terminal = new Terminal({ cols, rows, scrollback: 1000, allowProposedApi: true });
  const started = performance.now();
  let pending: Uint8Array[] = [];
  let size = 0;
  const flush = () =>
    new Promise<void>((resolve) => {
      const chunk = Buffer.concat(pending);
      pending = [];
      size = 0;
      terminal.write(chunk, resolve);
    });
  for (const data of output) {
    pending.push(data);
    size += data.length;
    if (size >= 65536) await flush();
  }
  if (size > 0) await flush();
  const ms = performance.now() - started;
  terminal.dispose();
  return { ms };
}
