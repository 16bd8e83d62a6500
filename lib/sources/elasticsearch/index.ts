import 'server-only';
import { errors, type Client } from '@elastic/elasticsearch';
import { AppError } from '@/lib/errors';
import type {
  IdRange,
  ListQuery,
  ListResult,
  RecordingSource,
  RecordingSummary,
  Scope,
  SourceHealth,
  TailRequest,
} from '../types';
import { backendOf, productName } from './backend';
import { sourceError } from './client';
import { DYNAMIC_FIELDS, SEARCH_OPTIONS, type FieldNames } from './queries';
import { detectLayout, type IndexLayout } from './fields';
import { readMessages } from './messages';
import { readTail } from './tail';
import { fetchSummaries, listRecordings } from './list';
import { STALE_AFTER_MS, Summaries, type SummariesStatus } from './summaries';
import { listOnSummaries } from './summaries/list';

// Reads the indices that rsyslog's omelasticsearch writes (one document per
// tlog message). Never writes to them.

export { createClient, sourceError, type ClientConfig } from './client';

const LAYOUT_TTL_MS = 60_000;

export interface ElasticsearchSourceOptions {
  /** The summaries index (docs/architecture.md, "Recording summaries"); without it the list aggregates messages. */
  summaryIndex?: string;
}

export class ElasticsearchSource implements RecordingSource {
  readonly kind = 'elasticsearch' as const;
  private layout: IndexLayout | null = null;
  private layoutAt = 0;
  /** The recording summaries of this ES_INDEX, when a summaries index is configured. */
  readonly summaries: Summaries | null;

  constructor(
    private readonly client: Client,
    private readonly index: string,
    options: ElasticsearchSourceOptions = {},
  ) {
    this.summaries = options.summaryIndex
      ? new Summaries(client, index, options.summaryIndex, () => this.fieldNames())
      : null;
  }

  /** sourceError, naming the product behind ES_URL. */
  private fail(err: unknown): AppError {
    return sourceError(err, productName(this.client));
  }

  /** The field names of the indices behind ES_INDEX (the summarizer's queries need them). */
  fields(): Promise<FieldNames> {
    return this.fieldNames();
  }

  private async fieldNames(): Promise<FieldNames> {
    // New indices (daily ones, say) may change the layout: look again after a while.
    if (this.layout && Date.now() - this.layoutAt < LAYOUT_TTL_MS) return this.layout.fields;
    const detected = await detectLayout(this.client, this.index);
    // A pattern that matches nothing yet: assume rsyslog's mapping, ask again next time.
    this.layout = detected;
    this.layoutAt = Date.now();
    return detected?.fields ?? DYNAMIC_FIELDS;
  }

  /**
   * From the summaries when they are ready (a page costs what the page
   * costs), else over the messages, saying so (and saying when the
   * summaries have not been kept up to date).
   */
  async list(scope: Scope, query: ListQuery): Promise<ListResult> {
    try {
      const fields = await this.fieldNames();
      const status = this.summaries ? await this.summaries.status() : null;
      if (this.summaries && status?.mode === 'ready') {
        const target = { client: this.client, index: this.index, fields };
        const result = await listOnSummaries(
          { ...target, summaryIndex: this.summaries.summaryIndex },
          scope,
          query,
        );
        if (result) {
          const stale = staleNotice(status.updatedAt, Date.now());
          return stale ? { ...result, notices: [...(result.notices ?? []), stale] } : result;
        }
      }
      // Command lines are only in the summaries (the commands pass puts them there).
      if (query.cmd !== undefined) throw commandSearchUnavailable(status);
      const result = await listRecordings(
        { client: this.client, index: this.index, fields },
        scope,
        query,
      );
      const notice = status ? slowListNotice(status) : null;
      return notice ? { ...result, notices: [...(result.notices ?? []), notice] } : result;
    } catch (err) {
      throw this.fail(err);
    }
  }

  async get(scope: Scope, id: string): Promise<RecordingSummary | null> {
    try {
      const fields = await this.fieldNames();
      const [summary] = await fetchSummaries(
        { client: this.client, index: this.index, fields },
        scope,
        [id],
      );
      return summary ?? null;
    } catch (err) {
      throw this.fail(err);
    }
  }

  async messages(scope: Scope, id: string, signal?: AbortSignal, range?: IdRange) {
    const fields = await this.fieldNames().catch((err: unknown) => {
      throw this.fail(err);
    });
    return readMessages(
      this.client,
      this.index,
      fields,
      scope,
      id,
      (err) => this.fail(err),
      signal,
      range,
    );
  }

  async tail(scope: Scope, id: string, request: TailRequest, signal?: AbortSignal) {
    try {
      const fields = await this.fieldNames();
      return await readTail(this.client, this.index, fields, scope, id, request, signal);
    } catch (err) {
      throw this.fail(err);
    }
  }

  /**
   * Searches skip indices the credentials may not read, so a role that lacks
   * them shows as an empty list: say so here. null when all is well, or when
   * the cluster has security off.
   */
  private async missingPrivileges(): Promise<string | null> {
    const wanted = ['read', 'view_index_metadata'];
    const answer = await this.client.security
      .hasPrivileges({ index: [{ names: this.index.split(','), privileges: wanted }] })
      .catch(() => null);
    if (!answer || answer.has_all_requested) return null;
    const lacking = new Set<string>();
    for (const privileges of Object.values(answer.index)) {
      for (const [name, granted] of Object.entries(privileges)) if (!granted) lacking.add(name);
    }
    return `the credentials lack ${[...lacking].join(' and ')} on ${this.index}`;
  }

  private async summariesHealth(): Promise<SourceHealth['summaries'] | null> {
    if (!this.summaries) return null;
    const status = await this.summaries.status().catch((err: unknown): SummariesStatus => ({
      mode: 'unavailable',
      reason: this.fail(err).message,
    }));
    const state = this.summaries.summarizerState;
    return {
      ...status,
      ...(state
        ? {
            summarizer: {
              phase: state.phase,
              ...(state.phase === 'backfill' ? { percent: state.percent } : {}),
              ...(state.phase === 'current' ? { behind: state.behind } : {}),
              ...(state.phase === 'failed' ? { error: state.error } : {}),
            },
          }
        : {}),
    };
  }

  async health(): Promise<SourceHealth> {
    try {
      const backend = await backendOf(this.client);
      // Cluster health needs the `monitor` privilege, which a read-only key lacks.
      const cluster = await this.client.cluster
        .health({ timeout: '5s' })
        .then((h) => String(h.status))
        .catch((err: unknown) => {
          if (err instanceof errors.ResponseError && err.statusCode === 403) return undefined;
          throw err;
        });
      const count = await this.client.count({ index: this.index, ...SEARCH_OPTIONS });
      const layout = await detectLayout(this.client, this.index);
      const indices = layout
        ? `${layout.template.length + layout.dynamic.length} indices (${layout.template.length} with auditty's template, ${layout.dynamic.length} with dynamic mapping)`
        : 'no index matches yet';
      const missing = await this.missingPrivileges();
      const summaries = await this.summariesHealth();
      return {
        kind: 'elasticsearch',
        reachable: true,
        backend: backend.backend,
        ...(backend.version ? { backendVersion: backend.version } : {}),
        ...(cluster ? { cluster } : {}),
        messages: count.count,
        detail: `${this.index}: ${indices}${missing ? `; ${missing}` : ''}${summaries ? `; ${summariesDetail(summaries)}` : ''}`,
        ...(summaries ? { summaries } : {}),
      };
    } catch (err) {
      return { kind: 'elasticsearch', reachable: false, detail: this.fail(err).message };
    }
  }
}

/** What the list page says when the summaries have not been brought up to date for a while. */
export function staleNotice(updatedAt: number, nowMs: number): string | null {
  const ago = nowMs - updatedAt;
  if (ago < STALE_AFTER_MS) return null;
  const minutes = Math.floor(ago / 60_000);
  const since = minutes < 120 ? `${minutes} min` : `${Math.floor(minutes / 60)} h`;
  return `The list was last brought up to date ${since} ago (${new Date(updatedAt).toISOString().slice(0, 16).replace('T', ' ')} UTC): newer recordings and messages may be missing from it. No summarizer seems to be running (README, "Recording summaries").`;
}

/**
 * What the list page says when the list does not come from the summaries.
 * No reason: it may name indices and credentials, which are for admins
 * (GET /api/health).
 */
export function slowListNotice(status: SummariesStatus): string | null {
  if (status.mode === 'backfill') {
    return `Indexing recordings: ${status.percent}%. Until it is done the list is computed from the messages, which is slow on large indices.`;
  }
  if (status.mode === 'unavailable') {
    return 'The list is computed from the messages, which is slow on large indices: the recording summaries are not available (an admin finds why in /api/health).';
  }
  return null;
}

function summariesDetail(summaries: NonNullable<SourceHealth['summaries']>): string {
  if (summaries.mode === 'ready') return 'list from the summaries';
  if (summaries.mode === 'backfill') return `summaries being built (${summaries.percent ?? 0}%)`;
  return `list from the messages (${summaries.reason ?? 'no summaries'})`;
}

/** Why `cmd=` cannot be answered now (the summaries hold the command lines). */
function commandSearchUnavailable(status: SummariesStatus | null): AppError {
  const why =
    status === null
      ? 'the summaries are off here'
      : status.mode === 'backfill'
        ? `the summaries are still being built (${status.percent}%)`
        : status.mode === 'unavailable'
          ? `the summaries are unavailable: ${status.reason}`
          : 'this text search finds too many recordings to search their commands too: narrow it';
  return new AppError(
    'source_unavailable',
    `Searching command lines needs the recording summaries, and ${why}`,
  );
}
