import 'server-only';
import { availableParallelism } from 'node:os';
import { Worker } from 'node:worker_threads';
import { AppError } from '@/lib/errors';
import type { CommandsDocument } from './commands';
import type { MessageLines } from './messages';
import type { FromWorker, TerminalJob, ToWorker } from './text-worker';

// The jobs that interpret recorded output in a terminal (the text export,
// the asciicast export with command markers, the command timeline), under a
// budget. Recorded output is hostile: whatever xterm.js does with it, it
// does in a worker thread (text-worker.ts), so the server's event loop keeps
// answering, with a ceiling on its heap and on its time, and a cap on how
// many run at once.

export interface TextBudget {
  /** Wall-clock ms for the whole export; past it the transfer is aborted. */
  timeMs: number;
  /** The worker's heap ceiling. */
  memoryMb: number;
}

/**
 * Generous for real recordings (a 100 MB recording's transcript takes about
 * 20 s on 2 cores, bench/RESULTS.md), small next to what a stalled server costs.
 */
export const TEXT_BUDGET: TextBudget = { timeMs: 300_000, memoryMb: 256 };
/** Terminal jobs (text exports and the like) running at once per instance: a core stays for the requests; the next few wait. */
export const TEXT_EXPORTS_AT_ONCE = Math.max(1, availableParallelism() - 1);
const TEXT_EXPORTS_WAITING = 4;
/**
 * Lines handed to the worker at a time. The next batch goes when the worker
 * asks for it and the client has taken the text so far (this generator only
 * runs when it is pulled), so a slow client holds back the worker.
 */
const BATCH_LINES = 512;

let running = 0;
const waiting: (() => void)[] = [];

/**
 * A place among the terminal jobs running, or a 503 at once when too many are
 * already waiting for one. Release it when the export ends.
 */
export async function reserveTextExport(): Promise<() => void> {
  if (running >= TEXT_EXPORTS_AT_ONCE) {
    if (waiting.length >= TEXT_EXPORTS_WAITING) {
      throw new AppError(
        'busy',
        'Too many text exports and command timelines at once; try again in a moment',
      );
    }
    await new Promise<void>((resolve) => waiting.push(resolve));
  } else {
    running += 1;
  }
  let released = false;
  return () => {
    if (released) return;
    released = true;
    const next = waiting.shift();
    if (next) next();
    else running -= 1;
  };
}

/** The worker, as built: bundled JavaScript in Next.js; TypeScript under tsx (tests, the CLI). */
function startWorker(budget: TextBudget): Worker {
  const resourceLimits = { maxOldGenerationSizeMb: budget.memoryMb, maxYoungGenerationSizeMb: 32 };
  if (import.meta.url.endsWith('.ts')) {
    // Not bundled: the worker registers tsx before it imports its TypeScript.
    // (Not `new URL(...)`: the bundler would copy the source beside its chunk.)
    const entry = import.meta.url.replace(/[^/]+\.ts$/, 'text-worker.ts');
    const boot = `import('tsx/esm/api').then((tsx) => { tsx.register(); return import(${JSON.stringify(entry)}); })`;
    return new Worker(boot, { eval: true, resourceLimits });
  }
  return new Worker(new URL('./text-worker.ts', import.meta.url), { resourceLimits });
}

type Event = FromWorker | { type: 'failed'; error: Error };

/**
 * A worker and where its events go. Workers that finished an export wait
 * here for the next one (unreferenced, so they keep no process alive, and
 * ended after a while idle).
 */
interface PooledWorker {
  worker: Worker;
  /** What it runs now, for its errors. */
  job: string;
  listener: ((event: Event) => void) | null;
  idle: NodeJS.Timeout | null;
}
const pool: PooledWorker[] = [];
const IDLE_MS = 60_000;

function takeWorker(budget: TextBudget): PooledWorker {
  const reused = budget === TEXT_BUDGET ? pool.pop() : undefined;
  if (reused) {
    if (reused.idle) clearTimeout(reused.idle);
    reused.idle = null;
    reused.worker.ref();
    return reused;
  }
  const pooled: PooledWorker = {
    worker: startWorker(budget),
    job: 'the text export',
    listener: null,
    idle: null,
  };
  const send = (event: Event) => pooled.listener?.(event);
  pooled.worker.on('message', (message: FromWorker) => send(message));
  pooled.worker.on('error', (err) => {
    const outOfMemory = (err as { code?: string }).code === 'ERR_WORKER_OUT_OF_MEMORY';
    send({
      type: 'failed',
      error: outOfMemory
        ? new Error(`${pooled.job} needed more than ${budget.memoryMb} MB`, { cause: err })
        : err,
    });
  });
  pooled.worker.on('exit', (code) => {
    const at = pool.indexOf(pooled);
    if (at >= 0) pool.splice(at, 1);
    send({ type: 'failed', error: new Error(`${pooled.job} worker exited ${code}`) });
  });
  return pooled;
}

/** After a whole export: kept for the next (default budget only), else ended. */
function giveBack(pooled: PooledWorker, budget: TextBudget): void {
  pooled.listener = null;
  if (budget !== TEXT_BUDGET || pool.length >= TEXT_EXPORTS_AT_ONCE) {
    void pooled.worker.terminate();
    return;
  }
  pooled.worker.unref();
  pooled.idle = setTimeout(() => void pooled.worker.terminate(), IDLE_MS);
  pooled.idle.unref();
  pool.push(pooled);
}

/** exportText, in a worker thread, within `budget`. Call reserveTextExport first. */
export function exportTextInWorker(
  lines: MessageLines,
  budget: TextBudget = TEXT_BUDGET,
  options: { inputLogged?: boolean } = {},
): AsyncGenerator<string> {
  return runInWorker({ kind: 'text', ...options }, lines, budget);
}

const JOB_NAMES: Record<TerminalJob['kind'], string> = {
  text: 'the text export',
  asciicast: 'the asciicast export',
  commands: 'the command timeline',
};

/** A terminal job, in a worker thread, within `budget`. Call reserveTextExport first. */
export async function* runInWorker(
  job: TerminalJob,
  lines: MessageLines,
  budget: TextBudget = TEXT_BUDGET,
): AsyncGenerator<string> {
  const pooled = takeWorker(budget);
  pooled.job = JOB_NAMES[job.kind];
  // The first batch goes at once; the worker asks for each one after.
  const events: Event[] = [{ type: 'ready' }];
  let wake: (() => void) | null = null;
  pooled.listener = (event) => {
    events.push(event);
    wake?.();
    wake = null;
  };
  const timer = setTimeout(
    () =>
      pooled.listener?.({
        type: 'failed',
        error: new Error(`${JOB_NAMES[job.kind]} took more than ${budget.timeMs} ms`),
      }),
    budget.timeMs,
  );

  const source = (Symbol.asyncIterator in lines ? lines[Symbol.asyncIterator]() : null) ?? null;
  const array = source ? null : [...(lines as Iterable<string>)];
  let arrayAt = 0;
  /** The next batch of lines, or null at the end. */
  const nextBatch = async (): Promise<string[] | null> => {
    const batch: string[] = [];
    while (batch.length < BATCH_LINES) {
      if (array) {
        if (arrayAt >= array.length) break;
        batch.push(array[arrayAt++] ?? '');
      } else {
        const next = await source?.next();
        if (!next || next.done) break;
        batch.push(next.value);
      }
    }
    return batch.length > 0 ? batch : null;
  };

  let fed = false;
  let whole = false;
  const send = (message: ToWorker) => pooled.worker.postMessage(message);
  send({ type: 'start', job });
  try {
    for (;;) {
      while (events.length === 0) await new Promise<void>((resolve) => (wake = resolve));
      const event = events.shift();
      if (!event) continue;
      if (event.type === 'failed') throw event.error;
      if (event.type === 'error') throw new Error(event.message);
      if (event.type === 'done') {
        whole = true;
        return;
      }
      if (event.type === 'text') yield event.text;
      else if (event.type === 'ready' && !fed) {
        const batch = await nextBatch();
        if (batch) send({ type: 'lines', lines: batch });
        else {
          fed = true;
          send({ type: 'end' });
        }
      }
    }
  } finally {
    clearTimeout(timer);
    // A worker that did not finish (failed, over budget, or its reader left) is ended.
    if (whole) giveBack(pooled, budget);
    else {
      pooled.listener = null;
      await pooled.worker.terminate();
    }
    await source?.return?.();
  }
}

/**
 * A recording's command timeline (docs/commands.md), found by playing its
 * messages in the export worker: the one way the commands route, the
 * summaries' commands pass and the files source ask for it. The caller holds
 * a place (reserveTextExport) and closes `lines`.
 */
export async function commandsInWorker(
  lines: MessageLines,
  inputLogged: boolean,
): Promise<CommandsDocument> {
  let body = '';
  for await (const chunk of runInWorker({ kind: 'commands', inputLogged }, lines)) body += chunk;
  return JSON.parse(body) as CommandsDocument;
}
