import 'server-only';
import type { Client } from '@elastic/elasticsearch';
import { SEARCH_OPTIONS } from '@/lib/sources/elasticsearch/queries';
import { auditEventSchema, type AuditEvent } from './event';
import { encodeCursor, type EventFilter, type EventPage } from './query';

// Audit events in their own index (AUDIT_INDEX, default auditty-audit), with
// their own index template, apart from the recordings that auditty never writes.

const keyword = { type: 'keyword' } as const;

export function auditTemplateBody(index: string) {
  return {
    index_patterns: [index, `${index}-*`],
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
          user: { properties: { name: keyword, roles: keyword } },
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
  if (filter.user !== undefined) filters.push({ term: { 'user.name': filter.user } });
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

export class ElasticsearchAuditSink {
  private template: Promise<void> | null = null;

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
    await this.client.index({ index: this.index, op_type: 'create', document: event });
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
