// Deterministic large recordings made from the real fixtures: messages of
// fixtures picked by a seeded PRNG are renumbered (id), shifted in time (pos,
// time) and given one rec id, so the result is valid tlog that tlog-play
// plays. Output size grows with fullscreen (vim/less) screens, the densest
// real fixture.

import { createWriteStream, readFileSync } from 'node:fs';
import path from 'node:path';
import { messageEnd } from '../../lib/tlog/timing-script';
import { createRng } from '../../tests/support/prng';
import { tlogLine } from '../../tests/support/tlog-line';

const FIXTURES = path.resolve(import.meta.dirname, '../../tests/fixtures/recordings');
const WEIGHTS: [string, number][] = [
  ['fullscreen', 0.75],
  ['colors', 0.1],
  ['utf8-emoji', 0.07],
  ['gap', 0.05],
  ['resize', 0.03],
];

interface Message {
  [key: string]: unknown;
  id: number;
  pos: number;
  time: number;
  timing: string;
  out_txt: string;
  out_bin: number[];
}

function load(name: string): Message[] {
  return readFileSync(path.join(FIXTURES, `${name}.tlog`), 'utf8')
    .split('\n')
    .filter((l) => l !== '')
    .map((l) => JSON.parse(l) as Message);
}

export interface Generated {
  file: string;
  rec: string;
  messages: number;
  outputBytes: number;
  fileBytes: number;
}

/** Writes a recording of at least `minMessages` messages and `minOutputBytes` of output. */
export async function generateRecording(options: {
  file: string;
  rec: string;
  minMessages: number;
  minOutputBytes: number;
  seed: number;
  startTime?: number;
}): Promise<Generated> {
  const random = createRng(options.seed).next;
  const fixtures = new Map(WEIGHTS.map(([name]) => [name, load(name)]));
  const out = createWriteStream(options.file);
  const encoder = new TextEncoder();
  let id = 0;
  let pos = 0;
  let outputBytes = 0;
  let fileBytes = 0;
  const start = options.startTime ?? 1_790_000_000;
  while (id < options.minMessages || outputBytes < options.minOutputBytes) {
    let pick = random();
    const name = WEIGHTS.find(([, w]) => (pick -= w) < 0)?.[0] ?? 'fullscreen';
    const messages = fixtures.get(name) ?? [];
    const base = messages[0]?.pos ?? 0;
    // Where the piece ends: its last message's pos plus that message's delays.
    let end = 0;
    for (const m of messages) {
      id += 1;
      const shifted = pos + (m.pos - base);
      end = messageEnd(shifted, m.timing);
      const line = `${tlogLine({ ...m, rec: options.rec, id, pos: shifted, time: start + shifted / 1000 })}\n`;
      outputBytes += encoder.encode(m.out_txt).length + m.out_bin.length;
      fileBytes += line.length;
      if (!out.write(line)) await new Promise<void>((r) => out.once('drain', () => r()));
    }
    // A pause between the pieces, as between commands.
    // (From the last message's pos instead, the next piece started inside it:
    // tlog-play stopped with "Packet timestamp is out of order" at message 11.)
    pos = end + 500 + Math.floor(random() * 4000);
  }
  await new Promise<void>((resolve, reject) =>
    out.end((err?: Error | null) => (err ? reject(err) : resolve())),
  );
  return { file: options.file, rec: options.rec, messages: id, outputBytes, fileBytes };
}
