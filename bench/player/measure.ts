// What the benchmark measures inside the page, and the JS heap from outside.

import type { Browser, CDPSession, Page } from 'playwright-core';
import { SETTLED_MARK } from '../../components/player/marks';
import { random } from './make-recording';

/** Chromium as the benchmarks run it: timers and rendering not slowed in the background. */
export const CHROMIUM_ARGS = [
  '--no-sandbox',
  '--disable-gpu',
  '--disable-background-timer-throttling',
  '--disable-renderer-backgrounding',
];

/** The seeded seek targets, in ms: the same for a seed in every run. */
export function seekTargets(seed: number, count: number, durationMs: number): number[] {
  const next = random(seed + 1);
  return Array.from({ length: count }, () => Math.round(next() * durationMs));
}

/** Waits until the keyframe worker has played every event the player has. */
export async function waitForIndexed(page: Page, timeoutMs: number): Promise<void> {
  await page.waitForFunction(
    () => {
      const p = document.querySelector<HTMLElement>('[data-testid=player]');
      return p !== null && p.dataset.indexed === p.dataset.events;
    },
    null,
    { timeout: timeoutMs, polling: 250 },
  );
}

/**
 * Seeks with the seek bar as a user does (an `input` event on the range) and
 * returns the ms until the player reports the screen settled and painted
 * (its SETTLED_MARK performance mark).
 */
export async function timedSeek(page: Page, ms: number): Promise<number> {
  return page.evaluate(
    async ({ target, name }) => {
      const input = document.querySelector<HTMLInputElement>('input[aria-label="Seek"]');
      if (!input) throw new Error('no seek bar');
      const setValue = Object.getOwnPropertyDescriptor(HTMLInputElement.prototype, 'value')?.set;
      const t0 = performance.now();
      const settled = new Promise<number>((resolve) => {
        const observer = new PerformanceObserver((list) => {
          for (const entry of list.getEntries()) {
            if (entry.name === name && entry.startTime >= t0) {
              observer.disconnect();
              resolve(entry.startTime);
            }
          }
        });
        observer.observe({ type: 'mark' });
      });
      setValue?.call(input, String(Math.round(target)));
      input.dispatchEvent(new Event('input', { bubbles: true }));
      return (await settled) - t0;
    },
    { target: ms, name: SETTLED_MARK },
  );
}

/** ms from navigation start to a performance mark, once it exists. */
export async function markTime(page: Page, name: string, timeoutMs: number): Promise<number> {
  const handle = await page.waitForFunction(
    (n) => performance.getEntriesByName(n)[0]?.startTime ?? null,
    name,
    { timeout: timeoutMs, polling: 50 },
  );
  return Number(await handle.jsonValue());
}

/** Runtime.getHeapUsage's answer. */
interface Usage {
  usedSize: number;
  backingStorageSize?: number;
}

/** Samples the page's (and its workers') JS heap until stopped; reports the peaks. */
export class HeapSampler {
  /** Peak JS heap used by the page. */
  peakMain = 0;
  /** Peak of the page's JS heap plus its ArrayBuffer backing stores (the output bytes). */
  peakMainWithBuffers = 0;
  peakWorker = 0;
  /** Peak of the worker's JS heap plus its ArrayBuffers (output it has not played yet). */
  peakWorkerWithBuffers = 0;
  /** Peak of page plus worker, heap and ArrayBuffers, sampled together. */
  peakTotal = 0;
  private timer: NodeJS.Timeout | null = null;
  private nextId = 1;
  private workerSession: string | null = null;
  private readonly pending = new Map<number, (usage: Usage) => void>();

  constructor(
    private readonly page: CDPSession,
    private readonly browser: CDPSession,
  ) {
    // Workers are reached through the browser target (flat sessions are not exposed by Playwright).
    browser.on('Target.receivedMessageFromTarget', (event: { message: string }) => {
      const reply = JSON.parse(event.message) as { id?: number; result?: Partial<Usage> };
      if (reply.id !== undefined)
        this.pending.get(reply.id)?.({
          usedSize: reply.result?.usedSize ?? 0,
          backingStorageSize: reply.result?.backingStorageSize ?? 0,
        });
    });
  }

  static async create(browser: Browser, page: Page): Promise<HeapSampler> {
    const pageSession = await page.context().newCDPSession(page);
    const browserSession = await browser.newBrowserCDPSession();
    return new HeapSampler(pageSession, browserSession);
  }

  start(): void {
    this.timer = setInterval(() => void this.sample(), 250);
  }

  async stop(): Promise<void> {
    if (this.timer) clearInterval(this.timer);
    await this.sample();
  }

  private async sample(): Promise<void> {
    const main = (await this.page.send('Runtime.getHeapUsage').catch(() => null)) as Usage | null;
    if (main) {
      this.peakMain = Math.max(this.peakMain, main.usedSize);
      this.peakMainWithBuffers = Math.max(
        this.peakMainWithBuffers,
        main.usedSize + (main.backingStorageSize ?? 0),
      );
    }
    const worker = await this.workerHeap();
    if (worker !== null) {
      this.peakWorker = Math.max(this.peakWorker, worker.usedSize);
      const withBuffers = worker.usedSize + (worker.backingStorageSize ?? 0);
      this.peakWorkerWithBuffers = Math.max(this.peakWorkerWithBuffers, withBuffers);
    }
    const total =
      (main ? main.usedSize + (main.backingStorageSize ?? 0) : 0) +
      (worker ? worker.usedSize + (worker.backingStorageSize ?? 0) : 0);
    this.peakTotal = Math.max(this.peakTotal, total);
  }

  private async workerHeap(): Promise<Usage | null> {
    try {
      if (!this.workerSession) {
        const { targetInfos } = (await this.browser.send('Target.getTargets')) as {
          targetInfos: { targetId: string; type: string; url: string }[];
        };
        const worker = targetInfos.find((t) => t.type === 'worker');
        if (!worker) return null;
        const attached = (await this.browser.send('Target.attachToTarget', {
          targetId: worker.targetId,
          flatten: false,
        })) as { sessionId: string };
        this.workerSession = attached.sessionId;
      }
      const id = this.nextId++;
      const reply = new Promise<Usage>((resolve) => this.pending.set(id, resolve));
      await this.browser.send('Target.sendMessageToTarget', {
        sessionId: this.workerSession,
        message: JSON.stringify({ id, method: 'Runtime.getHeapUsage' }),
      });
      return await Promise.race([reply, new Promise<null>((r) => setTimeout(() => r(null), 1000))]);
    } catch {
      this.workerSession = null;
      return null;
    }
  }
}

export function percentile(values: number[], p: number): number {
  const sorted = [...values].sort((a, b) => a - b);
  if (sorted.length === 0) return NaN;
  const rank = (p / 100) * (sorted.length - 1);
  const lo = Math.floor(rank);
  const hi = Math.ceil(rank);
  return (sorted[lo] ?? 0) + ((sorted[hi] ?? 0) - (sorted[lo] ?? 0)) * (rank - lo);
}
