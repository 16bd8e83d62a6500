import 'server-only';
import { errors, type Client } from '@elastic/elasticsearch';
import { SEARCH_OPTIONS } from '@/lib/sources/elasticsearch/queries';
import { auditEventSchema, REVOCATION_ACTIONS, type AuditEvent } from './event';
import { encodeCursor, type EventFilter, type EventPage } from './query';

// Audit events in their own index (AUDIT_INDEX, default auditty-audit), with
// their own index template, apart from the recordings that auditty never writes.

const keyword = { type: 'keyword' } as const;

export function auditTemplateBody(index: string) {
  return {
    // The index's name only: `${index}-*` would also match another deployment's
    // AUDIT_INDEX on the cluster (auditty-audit-staging), and Elasticsearch
    // refuses two templates of one priority that match the same names.
    index_patterns: [index],
    // Above the defaults (and a catch-all `*` template) so these mappings win.
    priority: 500,
    template: {
      settings: { number_of_shards: 1 },
      mappings: {
        // Unknown fields stay in _source but are not indexed: an event is never refused for its shape.
        dynamic: false,
        properties: {
          '@timestamp': { type: 'date' },
          event: {
            properties: {
              id: keyword,
              kind: keyword,
              category: keyword,
              type: keyword,
              action: keyword,
              outcome: keyword,
              reason: { type: 'keyword', ignore_above: 1024 },
              // A summary of held-back events (denied.ts): the first and the last.
              start: { type: 'date' },
              end: { type: 'date' },
            },
          },
          // user.id: the identity key, which revocations and "your own events" are looked up by.
          user: { properties: { id: keyword, name: keyword, roles: keyword } },
          source: { properties: { ip: { type: 'ip' }, address: keyword } },
          url: { properties: { original: { type: 'keyword', ignore_above: 8191 } } },
          auditty: {
            properties: {
              auth: keyword,
              recording: keyword,
              params: { type: 'object', enabled: false },
              count: { type: 'long' },
            },
          },
          ecs: { properties: { version: keyword } },
          service: { properties: { name: keyword } },
        },
      },
    },
    _meta: { managed_by: 'auditty', description: "auditty's audit trail (ECS field names)" },
  };
}

type Query = Record<string, unknown>;

/** The search body for a filter: pure, so tests can check it without a cluster. */
export function eventSearchBody(filter: EventFilter) {
  const filters: Query[] = [];
  if (filter.userId !== undefined) filters.push({ term: { 'user.id': filter.userId } });
  if (filter.user !== undefined) {
    filters.push({
      bool: {
        should: [{ term: { 'user.name': filter.user } }, { term: { 'user.id': filter.user } }],
        minimum_should_match: 1,
      },
    });
  }
  if (filter.actions) filters.push({ terms: { 'event.action': filter.actions } });
  if (filter.recording !== undefined)
    filters.push({ term: { 'auditty.recording': filter.recording } });
  if (filter.fromMs !== undefined || filter.toMs !== undefined) {
    const range: Record<string, unknown> = { format: 'epoch_millis' };
    if (filter.fromMs !== undefined) range.gte = filter.fromMs;
    if (filter.toMs !== undefined) range.lte = filter.toMs;
    filters.push({ range: { '@timestamp': range } });
  }
  return {
    size: filter.size + 1,
    track_total_hits: false,
    query: { bool: { filter: filters } },
    sort: [
      { '@timestamp': { order: 'desc' as const } },
      { 'event.id': { order: 'desc' as const } },
    ],
    ...(filter.after ? { search_after: filter.after } : {}),
  };
}

/**
 * The latest sign-out or session-revoke of one identity (lib/auth/revocation.ts):
 * pure, so tests can check it without a cluster.
 */
export function revocationSearchBody(id: string) {
  return {
    size: 1,
    track_total_hits: false,
    _source: false,
    query: {
      bool: {
        filter: [{ term: { 'user.id': id } }, { terms: { 'event.action': REVOCATION_ACTIONS } }],
      },
    },
    sort: [{ '@timestamp': { order: 'desc' as const } }],
  };
}

type IdMapping = 'keyword' | 'unmapped' | 'no index' | string;

export class ElasticsearchAuditSink {
  private template: Promise<void> | null = null;
  private idMapped = false;

  constructor(
    private readonly client: Client,
    readonly index: string,
  ) {}

  /**
   * Installs the template (named after the index, so that two deployments
   * with their own AUDIT_INDEX do not fight over one) once per process; a
   * cluster that refuses it still takes events.
   */
  private ensureTemplate(): Promise<void> {
    this.template ??= this.client.indices
      .putIndexTemplate({ name: this.index, ...auditTemplateBody(this.index) })
      .then(
        () => undefined,
        (err: unknown) => {
          console.warn(
            `audit: could not install index template ${this.index} (needs manage_index_templates): ${err instanceof Error ? err.message : String(err)}`,
          );
        },
      );
    return this.template;
  }

  async write(event: AuditEvent): Promise<void> {
    await this.ensureTemplate();
    const revokes = REVOCATION_ACTIONS.includes(event.event.action);
    // A revocation must be findable by user.id, by every instance, once this returns.
    if (revokes) await this.ensureIdMapping();
    await this.client.index({
      index: this.index,
      op_type: 'create',
      document: event,
      ...(revokes ? { refresh: 'wait_for' as const } : {}),
    });
  }

  /**
   * When the identity's latest sign-out or session-revoke happened (ms), or
   * null for never. Throws when it cannot tell: the caller refuses the request.
   */
  async latestRevocation(id: string): Promise<number | null> {
    await this.ensureTemplate();
    await this.ensureIdMapping();
    const response = await this.client.search({
      index: this.index,
      ...SEARCH_OPTIONS,
      ...revocationSearchBody(id),
    });
    const hit = response.hits.hits[0];
    if (!hit) return null;
    // The sort value of a date field: milliseconds since the epoch.
    const ms = Number(hit.sort?.[0]);
    if (!Number.isFinite(ms))
      throw new Error(`audit index ${this.index}: a revocation without a time`);
    return ms;
  }

  /**
   * Makes sure user.id is a keyword here, or throws. An index made by an
   * older auditty lacks it, and its mapping is not dynamic: user.id would be
   * stored but not indexed, and the term query of a revocation would find
   * nothing, silently. It is added when it can be (the put mapping API,
   * which create_doc allows); an index where it is some other type refuses
   * every session check instead (fail closed). No index yet: nothing to
   * find, and the first event creates it from the template.
   */
  private async ensureIdMapping(): Promise<void> {
    if (this.idMapped) return;
    let state = await this.idMapping();
    if (state === 'no index') return;
    if (state === 'unmapped') {
      await this.client.indices
        .putMapping({ index: this.index, properties: { user: { properties: { id: keyword } } } })
        .catch((err: unknown) => {
          console.warn(
            `audit: could not add user.id to the mapping of ${this.index}: ${err instanceof Error ? err.message : String(err)}`,
          );
        });
      state = await this.idMapping();
    }
    if (state === 'keyword' || state === 'no index') {
      this.idMapped = state === 'keyword';
      return;
    }
    throw new Error(
      `audit index ${this.index}: user.id is ${state === 'unmapped' ? 'not mapped' : `a ${state} field`}, so sign-outs cannot be looked up and no session is accepted; map it as a keyword (PUT ${this.index}/_mapping {"properties":{"user":{"properties":{"id":{"type":"keyword"}}}}}), or use a new AUDIT_INDEX`,
    );
  }

  private async idMapping(): Promise<IdMapping> {
    let response;
    try {
      response = await this.client.indices.getFieldMapping({
        index: this.index,
        fields: 'user.id',
      });
    } catch (err) {
      if (err instanceof errors.ResponseError && err.statusCode === 404) return 'no index';
      throw err;
    }
    const types = Object.values(response).map((entry) => {
      const field = entry.mappings['user.id'];
      if (!field) return 'unmapped';
      const type = (field.mapping.id as { type?: string } | undefined)?.type;
      return type ?? 'object';
    });
    if (types.length === 0) return 'no index';
    if (types.every((type) => type === 'keyword')) return 'keyword';
    return types.find((type) => type !== 'keyword' && type !== 'unmapped') ?? 'unmapped';
  }

  async search(filter: EventFilter): Promise<EventPage> {
    const response = await this.client.search({
      index: this.index,
      ...SEARCH_OPTIONS,
      ...eventSearchBody(filter),
    });
    const events = response.hits.hits.flatMap((hit) => {
      const event = auditEventSchema.safeParse(hit._source);
      return event.success ? [event.data] : [];
    });
    const items = events.slice(0, filter.size);
    const last = items[items.length - 1];
    return { items, nextCursor: events.length > filter.size && last ? encodeCursor(last) : null };
  }
}
