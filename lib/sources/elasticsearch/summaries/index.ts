import 'server-only';
import { errors, type Client } from '@elastic/elasticsearch';
import type { FieldNames } from '../queries';
import { SummariesRefused, SummaryStore } from './store';
import {
  DEFAULT_SUMMARIZER,
  Summarizer,
  type SummarizerOptions,
  type SummarizerState,
} from './summarizer';
import { SUMMARY_VERSION } from './template';

// The summaries of one deployment (ES_INDEX) as the source sees them: whether
// the list can be served from them (their progress says the backfill is
// done), and the summarizer that keeps them current when this instance runs
// it (the server does by default; `auditty summarize` can instead).

export type SummariesStatus =
  /** `updatedAt`: when a summarizer last finished a round (Unix ms). */
  | { mode: 'ready'; updatedAt: number }
  | { mode: 'backfill'; percent: number }
  /** The list comes from the messages; `reason` says why and what to grant. */
  | { mode: 'unavailable'; reason: string };

/**
 * Summaries not brought up to date for this long are said to be stale on
 * the list page: no summarizer is running (README, "Recording summaries").
 */
export const STALE_AFTER_MS = 60_000;

/** How long a progress read answers status questions. */
const STATUS_TTL_MS = 3000;
/** After a refusal (no write privilege), how long before trying again. */
const RETRY_REFUSED_MS = 60_000;

const refused = (err: unknown) =>
  err instanceof SummariesRefused ||
  (err instanceof errors.ResponseError && (err.statusCode === 403 || err.statusCode === 401));

/** What Elasticsearch refused, in its words, shortened: it names the action and the index. */
function refusal(err: unknown): string {
  const reason =
    err instanceof errors.ResponseError
      ? (err.body as { error?: { reason?: string } } | undefined)?.error?.reason
      : undefined;
  const text = reason ?? (err instanceof Error ? err.message : String(err));
  return text.length > 300 ? `${text.slice(0, 300)}…` : text;
}

export class Summaries {
  readonly store: SummaryStore;
  private cached: { at: number; status: SummariesStatus } | null = null;
  private summarizer: Summarizer | null = null;
  private timer: NodeJS.Timeout | null = null;
  private stopped = false;
  /** Set when this instance may not write the summaries index. */
  private readOnly: string | null = null;

  constructor(
    readonly client: Client,
    readonly index: string,
    readonly summaryIndex: string,
    private readonly fields: () => Promise<FieldNames>,
  ) {
    this.store = new SummaryStore(client, summaryIndex, index);
  }

  async status(nowMs = Date.now()): Promise<SummariesStatus> {
    if (this.cached && nowMs - this.cached.at < STATUS_TTL_MS) return this.cached.status;
    const status = await this.readStatus();
    this.cached = { at: nowMs, status };
    return status;
  }

  private async readStatus(): Promise<SummariesStatus> {
    const grant = `README, "Recording summaries", lists the privileges`;
    // Without a summarizer here, another (auditty summarize) may keep them.
    const none = this.readOnly ? `${this.readOnly}; ${grant}` : 'no summaries yet';
    try {
      const progress = (await this.store.readProgress())?.value;
      if (!progress || progress.version !== SUMMARY_VERSION)
        return { mode: 'unavailable', reason: none };
      if (!progress.backfill.done) {
        const { recordings, estimate } = progress.backfill;
        return {
          mode: 'backfill',
          percent: Math.min(99, Math.floor((recordings / Math.max(1, estimate)) * 100)),
        };
      }
      return { mode: 'ready', updatedAt: progress.updatedAt };
    } catch (err) {
      if (refused(err))
        return {
          mode: 'unavailable',
          reason: `the credentials may not read ${this.summaryIndex}; ${grant}`,
        };
      if (err instanceof errors.ResponseError && err.statusCode === 404)
        return { mode: 'unavailable', reason: none };
      throw err;
    }
  }

  /** What this instance's summarizer is doing (null: it does not run one). */
  get summarizerState(): SummarizerState | null {
    if (this.readOnly) return { phase: 'failed', error: this.readOnly };
    return this.summarizer?.state ?? null;
  }

  /** A summarizer of these summaries (one works at a time, whoever holds the lease). */
  newSummarizer(options: SummarizerOptions = DEFAULT_SUMMARIZER): Summarizer {
    return new Summarizer(this.client, this.index, this.fields, this.store, options);
  }

  /** Runs the summarizer here, round after round, until stop(). */
  start(options: SummarizerOptions = DEFAULT_SUMMARIZER): void {
    if (this.summarizer) return;
    this.stopped = false;
    const summarizer = this.newSummarizer(options);
    this.summarizer = summarizer;
    let lastError = '';
    let lastLog = { phase: '', percent: -1, at: 0 };
    const say = (line: string) =>
      console.log(`summarizer (${this.index} → ${this.summaryIndex}): ${line}`);
    /** Into the server log: the backfill's progress (each 10%, or every minute), and its end. */
    const report = (state: SummarizerState) => {
      const now = Date.now();
      if (state.phase === 'backfill') {
        if (state.percent >= lastLog.percent + 10 || now - lastLog.at >= 60_000) {
          say(`backfill ${state.percent}% (${state.recordings.toLocaleString('en')} recordings)`);
          lastLog = { phase: 'backfill', percent: state.percent, at: now };
        }
      } else if (state.phase === 'current' && lastLog.phase !== 'current') {
        say(
          lastLog.phase === 'backfill'
            ? 'backfill done: the list now comes from the summaries'
            : 'current: the list comes from the summaries',
        );
        lastLog = { phase: 'current', percent: 100, at: now };
      } else if (state.phase === 'standby' && lastLog.phase !== 'standby') {
        say('standby: another instance holds the lease');
        lastLog = { phase: 'standby', percent: -1, at: now };
      }
    };
    const next = (ms: number) => {
      if (this.stopped) return;
      this.timer = setTimeout(() => void run(), ms);
      this.timer.unref();
    };
    const run = async () => {
      try {
        await this.store.ensureIndex();
        report(await summarizer.round());
        this.readOnly = null;
        lastError = '';
        next(options.intervalMs);
      } catch (err) {
        if (refused(err)) {
          this.readOnly =
            err instanceof SummariesRefused
              ? err.message
              : `the credentials may not keep the summaries: ${refusal(err)}`;
          if (this.readOnly !== lastError)
            say(`${this.readOnly}; the list is computed from the messages meanwhile`);
          lastError = this.readOnly;
          this.cached = null;
          next(RETRY_REFUSED_MS);
          return;
        }
        const message = err instanceof Error ? err.message : String(err);
        summarizer.state = { phase: 'failed', error: message };
        if (message !== lastError) console.error('summarizer:', err);
        lastError = message;
        lastLog = { ...lastLog, phase: 'failed' };
        next(options.intervalMs * 2);
      }
    };
    next(0);
  }

  async stop(): Promise<void> {
    this.stopped = true;
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
    await this.summarizer?.stop();
    this.summarizer = null;
  }
}
