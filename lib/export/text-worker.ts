// The worker thread of the jobs that run recorded output through a terminal
// (lib/export/text-budget.ts starts it): the text export, the asciicast
// export with its command markers, and the command timeline. The message
// lines come in batches, the result goes back as it is made. Interpreting
// recorded output runs here, where it cannot stall the server's event loop
// and its memory has a ceiling.

import { setPriority } from 'node:os';
import { parentPort } from 'node:worker_threads';
import { exportAsciicast, type AsciicastOptions } from './asciicast';
import { exportCommands } from './commands';
import { exportText } from './text';

/**
 * Below the server's own threads: on Linux a nice value is per thread, so
 * this lowers only the worker, and a busy export yields the CPU to requests.
 */
const WORKER_NICE = 10;
try {
  setPriority(WORKER_NICE);
} catch {
  // Not permitted here: the export runs at the server's priority.
}

/** What a worker is asked to make of a recording's lines. */
export type TerminalJob =
  | { kind: 'text'; inputLogged?: boolean }
  | { kind: 'asciicast'; options: AsciicastOptions }
  | { kind: 'commands'; inputLogged?: boolean };

export type ToWorker =
  /** Before the first lines of each job. */
  { type: 'start'; job: TerminalJob } | { type: 'lines'; lines: string[] } | { type: 'end' };
export type FromWorker =
  /** Ready for the next batch (the first one is sent without asking). */
  | { type: 'ready' }
  | { type: 'text'; text: string }
  | { type: 'done' }
  | { type: 'error'; message: string };

const port = parentPort;
if (!port) throw new Error('text-worker.ts runs in a worker thread');

/** Batches as they arrive; `next` resolves when one does. */
const queue: ToWorker[] = [];
let wake: (() => void) | null = null;
port.on('message', (message: ToWorker) => {
  queue.push(message);
  wake?.();
  wake = null;
});

async function next(): Promise<ToWorker> {
  while (queue.length === 0) await new Promise<void>((resolve) => (wake = resolve));
  return queue.shift() ?? { type: 'end' };
}

/** One job's lines: up to its `end`. */
async function* lines(): AsyncGenerator<string> {
  for (;;) {
    const message = await next();
    if (message.type === 'end') return;
    if (message.type !== 'lines') throw new Error(`unexpected ${message.type} during a job`);
    yield* message.lines;
    port?.postMessage({ type: 'ready' } satisfies FromWorker);
  }
}

function run(job: TerminalJob): AsyncGenerator<string> {
  switch (job.kind) {
    case 'text':
      return exportText(lines(), { inputLogged: job.inputLogged });
    case 'asciicast':
      return exportAsciicast(lines(), { ...job.options, commands: true });
    case 'commands':
      return exportCommands(lines(), { inputLogged: job.inputLogged });
  }
}

// One job after another: text-budget.ts keeps a worker that finished one
// for the next (a worker costs a start), and ends one that failed.
void (async () => {
  for (;;) {
    try {
      const start = await next();
      if (start.type !== 'start') throw new Error(`a job starts with start, not ${start.type}`);
      for await (const text of run(start.job))
        port.postMessage({ type: 'text', text } satisfies FromWorker);
      port.postMessage({ type: 'done' } satisfies FromWorker);
    } catch (err) {
      port.postMessage({
        type: 'error',
        message: err instanceof Error ? err.message : String(err),
      } satisfies FromWorker);
      return;
    }
  }
})();
