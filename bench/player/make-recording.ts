// Generates the benchmark's recording: real fixtures (tests/fixtures,
// recorded with tlog-rec) decoded and played one after another, in a seeded
// random order with seeded pauses between them, until the output reaches the
// wanted size; then written back as tlog JSON lines (tlog-writer.ts). The
// same seed and size always give the same file.

import {
  closeSync,
  existsSync,
  mkdirSync,
  openSync,
  readFileSync,
  renameSync,
  writeFileSync,
  writeSync,
} from 'node:fs';
import path from 'node:path';
import {
  assembleTimeline,
  parseMessageLine,
  type Timeline,
  type TimelineEvent,
} from '../../lib/tlog/index';
import { TlogWriter } from './tlog-writer';
import { createRng } from '../../tests/support/prng';

const ROOT = path.resolve(import.meta.dirname, '../..');
const FIXTURES = path.join(ROOT, 'tests/fixtures/recordings');
/** Fixtures to draw from, with how often each is drawn. big.tlog brings most of the bytes. */
const SOURCES: [name: string, weight: number][] = [
  ['big', 6],
  ['colors', 2],
  ['fullscreen', 2],
  ['utf8-emoji', 2],
  ['resize', 1],
  ['input', 1],
  ['invalid-bytes', 1],
];

export interface GeneratedRecording {
  file: string;
  rec: string;
  outputBytes: number;
  messages: number;
  durationMs: number;
  fileBytes: number;
}

/** The benchmark's seeded PRNG (mulberry32, tests/support/prng.ts): uniform in [0, 1). */
export function random(seed: number): () => number {
  return createRng(seed).next;
}

function load(name: string): Timeline {
  const lines = readFileSync(path.join(FIXTURES, `${name}.tlog`), 'utf8')
    .split('\n')
    .filter(Boolean);
  return assembleTimeline(
    lines.map((line) => {
      const parsed = parseMessageLine(line);
      if (!parsed.ok) throw new Error(`${name}: ${parsed.error}`);
      return parsed.value;
    }),
  );
}

export function generateRecording(
  dir: string,
  targetBytes: number,
  seed: number,
): GeneratedRecording {
  const name = `bench-${seed}-${targetBytes}`;
  const rec = `00000000000000000000000000b0e4c0-${seed.toString(16)}-${targetBytes.toString(16)}`;
  const file = path.join(dir, `${name}.tlog`);
  const meta = path.join(dir, `${name}.json`);
  if (existsSync(file) && existsSync(meta))
    return JSON.parse(readFileSync(meta, 'utf8')) as GeneratedRecording;

  const sources = SOURCES.map(([n, w]) => ({ timeline: load(n), weight: w }));
  const totalWeight = sources.reduce((s, x) => s + x.weight, 0);
  const next = random(seed);
  const writer = new TlogWriter({
    rec,
    host: 'bench.example',
    user: 'bench',
    startTime: 1_795_900_000,
  });
  let offset = 0;
  let end = 0;
  let outputBytes = 0;
  while (outputBytes < targetBytes) {
    let pick = next() * totalWeight;
    const source = sources.find((s) => (pick -= s.weight) < 0) ?? sources[0]!;
    for (const event of source.timeline.events) {
      const shifted: TimelineEvent = { ...event, t: offset + event.t };
      if (shifted.kind === 'output') outputBytes += shifted.data.length;
      writer.add(shifted);
    }
    end = offset + source.timeline.durationMs;
    // A pause between sessions of work: mostly short, sometimes minutes.
    offset = end + Math.round(500 + next() ** 3 * 120_000);
  }
  const lines = writer.finish();
  mkdirSync(dir, { recursive: true });
  // In slices: a gigabyte of JSON is more than one JavaScript string holds.
  const fd = openSync(`${file}.part`, 'w');
  let fileBytes = 0;
  for (let i = 0; i < lines.length; i += 10_000) {
    const slice = `${lines.slice(i, i + 10_000).join('\n')}\n`;
    fileBytes += writeSync(fd, slice);
  }
  closeSync(fd);
  renameSync(`${file}.part`, file);
  const result: GeneratedRecording = {
    file,
    rec,
    outputBytes,
    messages: lines.length,
    durationMs: end,
    fileBytes,
  };
  writeFileSync(meta, JSON.stringify(result, null, 2));
  return result;
}
