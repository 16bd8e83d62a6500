// The text export's worker thread (lib/export/text-budget.ts starts it): the
// message lines come in batches, the transcript goes back as it is made.
// Interpreting recorded output is the one export that runs a terminal, so it
// runs here, where it cannot stall the server's event loop and its memory
// has a ceiling.

import { setPriority } from 'node:os';
import { parentPort } from 'node:worker_threads';
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

export type ToWorker = { type: 'lines'; lines: string[] } | { type: 'end' };
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

/** One export's lines: up to its `end`. */
async function* lines(): AsyncGenerator<string> {
  for (;;) {
    const message = await next();
    if (message.type === 'end') return;
    yield* message.lines;
    port?.postMessage({ type: 'ready' } satisfies FromWorker);
  }
}

// One export after another: text-budget.ts keeps a worker that finished an
// export for the next one (a worker costs a start), and ends one that failed.
void (async () => {
  for (;;) {
    try {
      for await (const text of exportText(lines()))
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
