import { bounded, MAX_ADDRESS } from './bounds';
import { DeniedLimiter, PER_ADDRESS, summaryReason, type DeniedSummary } from './denied';
import type { EventInput } from './event';

// Writes the events of requests without a session through the limiter
// (denied.ts): an admitted event as it comes, the summaries when their window
// closes. They come due on the next event of any address, or by a timer when
// none follows, so a burst followed by silence is still reported.

export interface RecorderOptions {
  /** Builds and writes one event (the sink, in production). */
  write: (input: EventInput) => Promise<void>;
  now?: () => number;
  limiter?: DeniedLimiter;
  /** Runs a function later; the default timer is unref'd, so it keeps no process alive. */
  schedule?: (run: () => void, ms: number) => void;
  /** How long after a held-back event the timer looks for due summaries. */
  delayMs?: number;
}

const laterUnref = (run: () => void, ms: number) => {
  setTimeout(run, ms).unref();
};

export class DeniedRecorder {
  readonly limiter: DeniedLimiter;
  private readonly now: () => number;
  private armed = false;

  constructor(private readonly options: RecorderOptions) {
    this.now = options.now ?? Date.now;
    this.limiter = options.limiter ?? new DeniedLimiter(this.now);
  }

  /**
   * Writes the summaries now due, then the event if the limiter admits it
   * (true), else counts it (false). Throws only when the admitted event
   * cannot be written: a summary that cannot be is logged with its count.
   */
  async record(input: EventInput): Promise<boolean> {
    const address = bounded(input.address, MAX_ADDRESS);
    const { write, summaries } = this.limiter.admit(input.action, address);
    await this.writeSummaries(summaries);
    if (write) await this.options.write(input);
    else this.arm();
    return write;
  }

  /** Writes the summaries of the windows that have closed (what the timer runs). */
  async flush(): Promise<void> {
    await this.writeSummaries(this.limiter.due());
    if (this.limiter.pending) this.arm();
  }

  private arm(): void {
    if (this.armed) return;
    this.armed = true;
    (this.options.schedule ?? laterUnref)(() => {
      this.armed = false;
      void this.flush();
    }, this.options.delayMs ?? PER_ADDRESS.windowMs);
  }

  private async writeSummaries(summaries: DeniedSummary[]): Promise<void> {
    for (const summary of summaries) {
      try {
        await this.options.write(summaryInput(summary, new Date(this.now())));
      } catch (err) {
        // Not silent: the count is in the server log at least.
        console.error(`audit: could not write the summary "${summaryReason(summary)}":`, err);
      }
    }
  }
}

/** The event of a summary: `auditty.count` held-back events between event.start and event.end. */
export function summaryInput(summary: DeniedSummary, now: Date): EventInput {
  return {
    action: summary.action,
    outcome: 'failure',
    reason: summaryReason(summary),
    user: null,
    auth: 'anonymous',
    address: summary.address ?? 'many addresses',
    url: '',
    count: summary.count,
    start: new Date(summary.since),
    end: new Date(summary.until),
    now,
  };
}
