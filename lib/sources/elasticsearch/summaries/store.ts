import 'server-only';
import { errors, type Client } from '@elastic/elasticsearch';
import { SEARCH_OPTIONS } from '../queries';
import { summaryId, type SummaryDocument } from './document';
import { inIndicesBody, leaseId, progressId } from './queries';
import { COMMAND_FIELDS, SUMMARY_VERSION, summaryTemplateBody } from './template';

// The summaries index as the summarizer uses it: the summary documents, and
// per deployment (ES_INDEX) one progress document and one lease. Writes to
// the progress and the lease are conditional (if_seq_no/if_primary_term), so
// two instances can never both believe they hold the lease, nor overwrite
// each other's progress.

/** Where a shard's messages have been read to: its index (by name and uuid) and sequence number. */
export interface ShardCursor {
  index: string;
  seq: number;
}

export interface Progress {
  kind: 'progress';
  pattern: string;
  version: number;
  backfill: {
    done: boolean;
    /** The composite aggregation's after_key: where the backfill goes on. */
    after: Record<string, unknown> | null;
    /** The shards' checkpoints when it began: incremental reading starts there. */
    checkpoints: Record<string, ShardCursor> | null;
    /** When they were taken: the backfill reads once they are searchable. */
    checkpointsAt?: number;
    /** Recordings summarized so far, and about how many there are. */
    recordings: number;
    estimate: number;
    startedAt: number;
    finishedAt: number | null;
  };
  /** Key `<index uuid>/<shard>`. */
  shards: Record<string, ShardCursor>;
  updatedAt: number;
}

export function freshProgress(pattern: string, nowMs: number): Progress {
  return {
    kind: 'progress',
    pattern,
    version: SUMMARY_VERSION,
    backfill: {
      done: false,
      after: null,
      checkpoints: null,
      recordings: 0,
      estimate: 0,
      startedAt: nowMs,
      finishedAt: null,
    },
    shards: {},
    updatedAt: nowMs,
  };
}

interface Versioned<T> {
  value: T;
  seqNo: number;
  primaryTerm: number;
}

const notFound = (err: unknown) => err instanceof errors.ResponseError && err.statusCode === 404;
const alreadyExists = (err: unknown) =>
  err instanceof errors.ResponseError &&
  (err.body as { error?: { type?: string } } | undefined)?.error?.type ===
    'resource_already_exists_exception';
const refusedWrite = (err: unknown) =>
  err instanceof errors.ResponseError && err.statusCode === 403;
const conflict = (err: unknown) => err instanceof errors.ResponseError && err.statusCode === 409;

/** The credentials may not do what the summaries need; the message says what. */
export class SummariesRefused extends Error {}

export class SummaryStore {
  constructor(
    readonly client: Client,
    readonly index: string,
    readonly pattern: string,
  ) {}

  /**
   * Makes the index when missing, with its mapping given in full (it does not
   * depend on the template, which `auditty setup` installs and which needs
   * manage_index_templates: tried here too, and a refusal only warned about).
   * Needs create_index on SUMMARY_INDEX.
   */
  async ensureIndex(): Promise<void> {
    const exists = await this.client.indices.exists({ index: this.index }).catch((err: unknown) => {
      // A HEAD answer has no body to say what was refused: say it here.
      if (refusedWrite(err)) {
        throw new SummariesRefused(
          `the credentials may not see ${this.index} (the summarizer needs view_index_metadata, read, write, create_index and maintenance on it)`,
        );
      }
      throw err;
    });
    if (exists) return this.ensureCommandFields();
    const body = summaryTemplateBody(this.index);
    await this.client.indices
      .putIndexTemplate({ name: this.index, ...body })
      .catch((err: unknown) => {
        if (!refusedWrite(err)) throw err;
        console.warn(
          `summaries: could not install index template ${this.index} (needs manage_index_templates, or run auditty setup)`,
        );
      });
    await this.client.indices
      .create({ index: this.index, ...body.template })
      .catch((err: unknown) => {
        // Another instance made it first.
        if (!alreadyExists(err)) throw err;
      });
  }
  private commandFields = false;

  /**
   * A summaries index made before the command timeline lacks its fields:
   * they are added (once per process; adding fields needs manage on the
   * index, as `auditty setup` has). Refused, `cmd=` finds nothing there
   * until setup runs, and the rest works on.
   */
  private async ensureCommandFields(): Promise<void> {
    if (this.commandFields) return;
    this.commandFields = true;
    const mapping = await this.client.indices.getMapping({ index: this.index });
    const properties = Object.values(mapping)[0]?.mappings?.properties ?? {};
    if ('command_lines' in properties) return;
    await this.client.indices
      .putMapping({ index: this.index, properties: COMMAND_FIELDS })
      .catch((err: unknown) => {
        if (!refusedWrite(err)) throw err;
        console.warn(
          `summaries: could not add the command fields to ${this.index} (needs manage on it: run auditty setup)`,
        );
      });
  }

  private async read<T>(id: string): Promise<Versioned<T> | null> {
    try {
      const doc = await this.client.get<T>({ index: this.index, id });
      if (!doc.found || doc._source === undefined) return null;
      return { value: doc._source, seqNo: doc._seq_no ?? 0, primaryTerm: doc._primary_term ?? 1 };
    } catch (err) {
      if (notFound(err)) return null;
      throw err;
    }
  }

  /** Writes `value` if the document is still as `seen` left it (null: if it does not exist). Returns the new version, or null on a conflict. */
  private async writeIf<T>(
    id: string,
    value: T,
    seen: { seqNo: number; primaryTerm: number } | null,
  ): Promise<{ seqNo: number; primaryTerm: number } | null> {
    try {
      const result = await this.client.index({
        index: this.index,
        id,
        document: value,
        refresh: false,
        ...(seen
          ? { if_seq_no: seen.seqNo, if_primary_term: seen.primaryTerm }
          : { op_type: 'create' as const }),
      });
      return { seqNo: result._seq_no ?? 0, primaryTerm: result._primary_term ?? 1 };
    } catch (err) {
      if (conflict(err)) return null;
      throw err;
    }
  }

  readProgress(): Promise<Versioned<Progress> | null> {
    return this.read<Progress>(progressId(this.pattern));
  }

  /** The progress, written over the version read (null: another writer got there first). */
  writeProgress(progress: Progress, seen: Versioned<Progress> | null) {
    return this.writeIf(progressId(this.pattern), progress, seen);
  }

  /**
   * Takes or renews the lease for `holder` until `untilMs`: true when it is
   * ours. A lease another holder renewed in time is theirs.
   */
  async lease(holder: string, nowMs: number, untilMs: number): Promise<boolean> {
    const id = leaseId(this.pattern);
    const current = await this.read<{ holder: string; expiresAt: number }>(id);
    if (current && current.value.holder !== holder && current.value.expiresAt > nowMs) return false;
    const written = await this.writeIf(
      id,
      { kind: 'lease', pattern: this.pattern, holder, expiresAt: untilMs },
      current,
    );
    return written !== null;
  }

  /** Gives the lease up (another instance may take it at once). */
  async release(holder: string): Promise<void> {
    const id = leaseId(this.pattern);
    const current = await this.read<{ holder: string; expiresAt: number }>(id);
    if (current?.value.holder !== holder) return;
    await this.writeIf(id, { ...current.value, expiresAt: 0 }, current);
  }

  async writeSummaries(docs: SummaryDocument[], gone: string[]): Promise<void> {
    if (docs.length === 0 && gone.length === 0) return;
    const operations = [
      ...docs.flatMap((doc) => [
        { index: { _index: this.index, _id: summaryId(this.pattern, doc.rec) } },
        doc,
      ]),
      ...gone.map((rec) => ({ delete: { _index: this.index, _id: summaryId(this.pattern, rec) } })),
    ];
    const result = await this.client.bulk({ operations, refresh: false });
    if (result.errors) {
      const failed = result.items.find((item) => {
        const op = item.index ?? item.delete;
        return op?.error && !(item.delete && op.status === 404);
      });
      const op = failed?.index ?? failed?.delete;
      if (op?.error) {
        throw new Error(
          `summaries index refused a write: ${op.error.type}: ${op.error.reason ?? ''}`,
        );
      }
    }
  }

  /** Recordings whose summaries hold messages of these indices. */
  async recordingsIn(indices: string[]): Promise<string[]> {
    const recs: string[] = [];
    let after: unknown[] | undefined;
    for (;;) {
      const page = await this.client.search<{ rec: string }>({
        index: this.index,
        ...SEARCH_OPTIONS,
        ...inIndicesBody(this.pattern, indices),
        ...(after ? { search_after: after } : {}),
      });
      const hits = page.hits.hits;
      for (const hit of hits) if (hit._source?.rec) recs.push(hit._source.rec);
      if (hits.length === 0 || !hits[hits.length - 1]?.sort) return recs;
      after = hits[hits.length - 1]?.sort;
    }
  }

  /**
   * Every document of this deployment (a rebuild): its summaries, progress
   * and lease. By pages of ids and bulk deletes, not _delete_by_query, which
   * needs the reindex module (the integration-test distribution lacks it).
   */
  async deleteAll(): Promise<number> {
    let deleted = 0;
    for (;;) {
      await this.refresh();
      const page = await this.client.search({
        index: this.index,
        ...SEARCH_OPTIONS,
        size: 1000,
        _source: false,
        track_total_hits: false,
        query: { bool: { filter: [{ term: { pattern: this.pattern } }] } },
      });
      const ids = page.hits.hits.map((hit) => hit._id).filter((id): id is string => !!id);
      if (ids.length === 0) return deleted;
      const result = await this.client.bulk({
        operations: ids.map((id) => ({ delete: { _index: this.index, _id: id } })),
        refresh: true,
      });
      const failed = result.items.find((item) => item.delete?.error && item.delete.status !== 404);
      if (failed?.delete?.error) {
        throw new Error(`summaries index refused a delete: ${failed.delete.error.type}`);
      }
      deleted += ids.length;
    }
  }

  async refresh(): Promise<void> {
    await this.client.indices.refresh({ index: this.index, ...SEARCH_OPTIONS });
  }
}
