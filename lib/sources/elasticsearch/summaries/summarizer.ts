import 'server-only';
import { randomUUID } from 'node:crypto';
import type { Client } from '@elastic/elasticsearch';
import { EXACT_IDS_BELOW, SEARCH_OPTIONS, type FieldNames } from '../queries';
import { addCommands } from './commands';
import { documentFrom, type SummaryBucket, type SummaryDocument } from './document';
import {
  backfillBody,
  FAST_IDS_BELOW,
  NEW_MESSAGES_BATCH,
  newMessagesBody,
  recomputeBody,
  SUMMARY_BATCH,
} from './queries';
import {
  DEFAULT_HOLD_MS,
  MAX_HOLD_MS,
  readRefreshHolds,
  shardStats,
  type ShardStat,
} from './shards';
import { freshProgress, SummaryStore, type Progress } from './store';
import { SUMMARY_VERSION } from './template';

// The summarizer keeps the summaries index current from the messages
// (docs/architecture.md, "Recording summaries").
//
// - Backfill, once: every recording, a composite page at a time, resumable
//   (the after_key is saved), from the shards' checkpoints taken before it
//   began.
// - Then rounds: for each shard of each index behind ES_INDEX, the messages
//   with sequence numbers past its cursor, up to the checkpoint the round
//   before saw (so that they are all searchable: written at least a round
//   ago, past a refresh); the recordings they touch are summarized again from
//   all their messages. A round costs what arrived, plus the recordings it
//   touched. A message that arrives late, with an old timestamp, has a new
//   sequence number like any other. An index that went away (or came back
//   with another uuid) has its recordings summarized again.
// - One instance works at a time: it holds a lease in the summaries index,
//   renewed each round with a conditional write; when its holder stops
//   renewing, another takes over.

export interface SummarizerOptions {
  /** ms between rounds: the freshness bound is about two of them plus a refresh. */
  intervalMs: number;
  /** How long a lease lasts without renewal before another instance may take it. */
  leaseMs: number;
  /** Work done per round in a backfill before the lease is renewed. */
  backfillSliceMs: number;
  /**
   * Add the command timelines of ended recordings to their summaries, for
   * up to this many ms a round once current (commands.ts); 0 or absent: not.
   */
  commandsSliceMs?: number;
}

export const DEFAULT_SUMMARIZER: SummarizerOptions = {
  intervalMs: 2000,
  leaseMs: 15_000,
  backfillSliceMs: 5000,
};

/** What the server and `auditty summarize` give the commands pass a round (SUMMARY_COMMANDS=on). */
export const COMMANDS_SLICE_MS = 3000;

export type SummarizerState =
  | { phase: 'standby' }
  | { phase: 'backfill'; percent: number; recordings: number }
  /** Caught up: `behind` messages were past the cursors when the round ended. */
  | { phase: 'current'; behind: number; lastRoundMs: number }
  | { phase: 'failed'; error: string };

export class Summarizer {
  readonly holder = randomUUID();
  state: SummarizerState = { phase: 'standby' };
  /**
   * The checkpoints the recent rounds saw, oldest first: a round reads up to
   * the newest one old enough to be searchable (refreshHold).
   */
  private seen = new Map<string, { at: number; checkpoint: number }[]>();
  private holds: { at: number; byIndex: Map<string, number> } | null = null;
  private progress: { value: Progress; seqNo: number; primaryTerm: number } | null = null;
  private held = false;
  /** Recordings the commands pass did lately (commands.ts). */
  private readonly commandsDone = new Map<string, number>();

  constructor(
    private readonly client: Client,
    private readonly index: string,
    private readonly fields: () => Promise<FieldNames>,
    readonly store: SummaryStore,
    private readonly options: SummarizerOptions = DEFAULT_SUMMARIZER,
    private readonly now: () => number = Date.now,
  ) {}

  /** One round: takes (or keeps) the lease, then backfills or catches up. */
  async round(): Promise<SummarizerState> {
    const started = this.now();
    const had = this.held;
    this.held = await this.store.lease(this.holder, started, started + this.options.leaseMs);
    // Not holding it, or just taking it: what another instance did since is in the index.
    if (!this.held || !had) {
      this.progress = null;
      this.seen.clear();
    }
    if (!this.held) return (this.state = { phase: 'standby' });
    this.progress ??= await this.store.readProgress();
    if (!this.progress || this.progress.value.version !== SUMMARY_VERSION) {
      this.progress = await this.save(freshProgress(this.index, started));
    }
    const progress = this.progress.value;
    const shards = await shardStats(this.client, this.index);
    if (!progress.backfill.done) {
      await this.backfill(progress, shards, started);
    } else {
      await this.catchUp(progress, shards);
      if (this.options.commandsSliceMs) {
        const target = {
          client: this.client,
          index: this.index,
          summaryIndex: this.store.index,
          fields: await this.fields(),
        };
        await addCommands(target, this.options.commandsSliceMs, this.commandsDone, this.now);
      }
    }
    const done = this.now();
    const keep = done - MAX_HOLD_MS - this.options.intervalMs * 2;
    for (const [key, stat] of shards) {
      const history = (this.seen.get(key) ?? []).filter((h) => h.at >= keep);
      history.push({ at: started, checkpoint: stat.checkpoint });
      this.seen.set(key, history);
    }
    for (const key of [...this.seen.keys()]) if (!shards.has(key)) this.seen.delete(key);
    let behind = 0;
    for (const [key, stat] of shards)
      behind += Math.max(0, stat.checkpoint - (progress.shards[key]?.seq ?? -1));
    this.state = progress.backfill.done
      ? { phase: 'current', behind, lastRoundMs: done - started }
      : {
          phase: 'backfill',
          recordings: progress.backfill.recordings,
          percent: Math.min(
            99,
            Math.floor(
              (progress.backfill.recordings / Math.max(1, progress.backfill.estimate)) * 100,
            ),
          ),
        };
    return this.state;
  }

  /**
   * Rounds, intervalMs apart, until nothing is left behind (the backfill done
   * and every message read), for tests, benchmarks and one-off runs. Returns
   * the last state: current, or standby/failed as soon as a round says so.
   */
  async untilCurrent(timeoutMs = 600_000): Promise<SummarizerState> {
    const deadline = this.now() + timeoutMs;
    for (;;) {
      const state = await this.round();
      if (state.phase === 'standby' || state.phase === 'failed') return state;
      if (state.phase === 'current' && state.behind === 0) return state;
      if (this.now() > deadline)
        throw new Error(`the summarizer is not current after ${timeoutMs} ms`);
      await new Promise((resolve) => setTimeout(resolve, this.options.intervalMs));
    }
  }

  /** Gives the lease up, so that another instance takes over at once. */
  async stop(): Promise<void> {
    if (this.held) await this.store.release(this.holder).catch(() => undefined);
    this.held = false;
  }

  private async save(progress: Progress) {
    const next = { ...progress, updatedAt: this.now() };
    const written = await this.store.writeProgress(next, this.progress);
    if (!written) {
      // Another instance wrote it: the lease changed hands. Read again next round.
      this.progress = null;
      throw new Error('the summarizer lost its lease while writing its progress');
    }
    return (this.progress = { value: next, ...written });
  }

  private async backfill(progress: Progress, shards: Map<string, ShardStat>, started: number) {
    const fields = await this.fields();
    if (!progress.backfill.checkpoints) {
      // Taken first, a round before reading: everything up to here is searchable by then.
      const estimate = await this.client.search({
        index: this.index,
        ...SEARCH_OPTIONS,
        size: 0,
        track_total_hits: false,
        aggs: { n: { cardinality: { field: fields.rec, precision_threshold: 1000 } } },
      });
      progress.backfill.estimate = Number(
        (estimate.aggregations?.n as { value?: number } | undefined)?.value ?? 0,
      );
      progress.backfill.checkpoints = Object.fromEntries(
        [...shards].map(([key, s]) => [key, { index: s.index, seq: s.checkpoint }]),
      );
      progress.backfill.checkpointsAt = started;
      await this.save(progress);
      return;
    }
    // Everything up to the checkpoints must be searchable before it is read.
    const hold = Math.max(DEFAULT_HOLD_MS, ...(await this.refreshHolds()).values());
    if (this.now() - (progress.backfill.checkpointsAt ?? 0) < hold) return;
    while (this.now() - started < this.options.backfillSliceMs) {
      const answer = await this.client.search({
        index: this.index,
        ...SEARCH_OPTIONS,
        ...backfillBody(fields, progress.backfill.after),
      });
      const recs = answer.aggregations?.recs as
        | {
            buckets: (Omit<SummaryBucket, 'key'> & { key: { rec: string } })[];
            after_key?: Record<string, unknown>;
          }
        | undefined;
      // A composite bucket's key is an object ({rec}); a terms bucket's is the value.
      const buckets = (recs?.buckets ?? []).map((b) => ({ ...b, key: b.key.rec }));
      await this.store.writeSummaries(await this.documents(buckets), []);
      progress.backfill.recordings += buckets.length;
      if (buckets.length < SUMMARY_BATCH || !recs?.after_key) {
        progress.backfill.done = true;
        progress.backfill.finishedAt = this.now();
        progress.shards = progress.backfill.checkpoints ?? {};
        await this.save(progress);
        return;
      }
      progress.backfill.after = recs.after_key;
      await this.save(progress);
    }
  }

  /**
   * How long after a checkpoint was seen its messages are surely searchable,
   * per index: its refresh interval plus a margin (read from the index
   * settings at most once a minute, and again at once for an index not read
   * yet: rsyslog's new daily index gets its own hold, not the default, from
   * its first messages). An index with refresh off
   * (refresh_interval -1) is given MAX_HOLD_MS: its messages are summarized
   * if something refreshed it by then, else when their recording next grows.
   */
  private async refreshHolds(indices: Iterable<string> = []): Promise<Map<string, number>> {
    const now = this.now();
    const known = this.holds?.byIndex;
    const fresh = this.holds !== null && now - this.holds.at < 60_000;
    if (known && fresh && [...indices].every((index) => known.has(index))) return known;
    const byIndex = await readRefreshHolds(this.client, this.index);
    this.holds = { at: now, byIndex };
    return byIndex;
  }

  /**
   * The documents of these buckets. Their distinct ids were counted at
   * FAST_IDS_BELOW: the recordings with that many messages or nearly (with
   * duplicates, more documents than ids) are counted again at
   * EXACT_IDS_BELOW, as GET /api/recordings/{rec} counts them.
   */
  private async documents(buckets: SummaryBucket[]): Promise<SummaryDocument[]> {
    const big = buckets
      .filter((b) => b.doc_count >= FAST_IDS_BELOW * 0.8)
      .map((b) => String(b.key));
    if (big.length > 0) {
      const fields = await this.fields();
      const exact = new Map<string, SummaryBucket>();
      for (let i = 0; i < big.length; i += SUMMARY_BATCH) {
        const answer = await this.client.search({
          index: this.index,
          ...SEARCH_OPTIONS,
          ...recomputeBody(fields, big.slice(i, i + SUMMARY_BATCH), EXACT_IDS_BELOW),
        });
        const again =
          (answer.aggregations?.recs as { buckets: SummaryBucket[] } | undefined)?.buckets ?? [];
        for (const b of again) exact.set(String(b.key), b);
      }
      buckets = buckets.map((b) => exact.get(String(b.key)) ?? b);
    }
    const now = this.now();
    return buckets.flatMap((b) => documentFrom(this.index, b, now) ?? []);
  }

  private async catchUp(progress: Progress, shards: Map<string, ShardStat>) {
    const fields = await this.fields();
    const touched = new Set<string>();
    const gone: string[] = [];
    for (const [key, cursor] of Object.entries(progress.shards)) {
      if (!shards.has(key)) {
        gone.push(cursor.index);
        delete progress.shards[key];
      }
    }
    for (const rec of gone.length > 0 ? await this.store.recordingsIn(gone) : []) touched.add(rec);
    const holds = await this.refreshHolds([...shards.values()].map((s) => s.index));
    const now = this.now();
    for (const [key, stat] of shards) {
      const cursor = (progress.shards[key] ??= { index: stat.index, seq: -1 });
      const hold = holds.get(stat.index) ?? DEFAULT_HOLD_MS;
      const upTo = (this.seen.get(key) ?? []).findLast((h) => h.at <= now - hold)?.checkpoint;
      if (upTo === undefined || upTo <= cursor.seq) continue;
      const answer = await this.client.search<unknown>({
        index: stat.index,
        preference: `_shards:${stat.shard}`,
        ...newMessagesBody(fields, cursor.seq, upTo),
      });
      const hits = answer.hits.hits;
      for (const hit of hits) {
        const rec = (hit.fields?.[fields.rec] as unknown[] | undefined)?.[0];
        if (typeof rec === 'string') touched.add(rec);
      }
      const last = hits[hits.length - 1]?.sort?.[0];
      cursor.seq = hits.length >= NEW_MESSAGES_BATCH && typeof last === 'number' ? last : upTo;
    }
    const recs = [...touched];
    for (let i = 0; i < recs.length; i += SUMMARY_BATCH) {
      const batch = recs.slice(i, i + SUMMARY_BATCH);
      const answer = await this.client.search({
        index: this.index,
        ...SEARCH_OPTIONS,
        ...recomputeBody(fields, batch),
      });
      const buckets =
        (answer.aggregations?.recs as { buckets: SummaryBucket[] } | undefined)?.buckets ?? [];
      const found = new Set(buckets.map((b) => String(b.key)));
      await this.store.writeSummaries(
        await this.documents(buckets),
        batch.filter((rec) => !found.has(rec)),
      );
    }
    await this.save(progress);
  }
}
