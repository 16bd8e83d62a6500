import 'server-only';
import type { Client } from '@elastic/elasticsearch';
import { AppError } from '@/lib/errors';
import { DYNAMIC_FIELDS, SEARCH_OPTIONS, type FieldNames } from './queries';

// What the indices behind ES_INDEX look like, asked once through _field_caps
// (no reindexing, ever). auditty's template maps rec/host/user as `keyword`
// with a `.keyword` sub-field and `time` as `double`; rsyslog's dynamic mapping
// makes them `text` + `.keyword` and `time` a `float`. Queries use the
// `.keyword` names where every index has them, so a pattern may mix both.

export interface IndexLayout {
  fields: FieldNames;
  /** Indices by mapping kind, for /api/health. */
  template: string[];
  dynamic: string[];
}

const NUMERIC = new Set([
  'long',
  'integer',
  'short',
  'byte',
  'double',
  'float',
  'half_float',
  'scaled_float',
  'unsigned_long',
]);

type Caps = Record<string, Record<string, { type: string; indices?: string[] | string }>>;

function indicesOf(caps: Caps[string] | undefined, type: string): string[] {
  const entry = caps?.[type];
  if (!entry) return [];
  return entry.indices === undefined ? [] : ([] as string[]).concat(entry.indices);
}

const LAYOUT_FIELDS = [
  'rec',
  'host',
  'user',
  'rec.keyword',
  'host.keyword',
  'user.keyword',
  'id',
  'pos',
  'time',
];

/** null when the pattern matches no index yet. */
export async function detectLayout(client: Client, index: string): Promise<IndexLayout | null> {
  // The fields go in the query string: OpenSearch takes them nowhere else
  // (a body with `fields` is refused), Elasticsearch takes either.
  const response = await client.fieldCaps(
    { index, ...SEARCH_OPTIONS, include_unmapped: true },
    { querystring: { fields: LAYOUT_FIELDS.join(',') } },
  );
  const indices = ([] as string[]).concat(response.indices);
  if (indices.length === 0) return null;
  const fields = response.fields as Caps;

  // Order and playback need numeric ids and positions in every index.
  for (const name of ['id', 'pos']) {
    const types = Object.keys(fields[name] ?? {}).filter((t) => t !== 'unmapped');
    const wrong = types.filter((t) => !NUMERIC.has(t));
    if (wrong.length > 0) {
      const where = wrong.map(
        (t) => `${t} in ${indicesOf(fields[name], t).join(', ') || 'some indices'}`,
      );
      throw new AppError(
        'source_unavailable',
        `Mapping conflict: field "${name}" must be numeric, but is ${where.join('; ')}`,
      );
    }
  }

  const everywhere = (field: string, type: string) => {
    const caps = fields[field];
    return (
      caps?.[type] !== undefined && caps.unmapped === undefined && Object.keys(caps).length === 1
    );
  };
  const pick = (name: 'rec' | 'host' | 'user'): string =>
    everywhere(`${name}.keyword`, 'keyword')
      ? `${name}.keyword`
      : everywhere(name, 'keyword')
        ? name
        : DYNAMIC_FIELDS[name];
  const timeTypes = Object.keys(fields.time ?? {}).filter((t) => t !== 'unmapped');
  const template =
    timeTypes.length === 1 && timeTypes[0] === 'double'
      ? indices
      : indicesOf(fields.time, 'double');
  return {
    fields: { rec: pick('rec'), host: pick('host'), user: pick('user') },
    template,
    dynamic: indices.filter((i) => !template.includes(i)),
  };
}
