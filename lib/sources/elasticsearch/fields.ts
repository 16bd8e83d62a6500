import 'server-only';
import type { Client } from '@elastic/elasticsearch';
import { DYNAMIC_FIELDS, type FieldNames } from './queries';

// Which mapping an index has: auditty's template maps rec/host/user as
// `keyword`; rsyslog's dynamic mapping makes them `text` with a `.keyword`
// sub-field. Asked once through _field_caps; no reindexing needed.

export async function detectFields(client: Client, index: string): Promise<FieldNames | null> {
  const caps = await client.fieldCaps({
    index,
    fields: ['rec', 'host', 'user', 'rec.keyword', 'host.keyword', 'user.keyword'],
    ignore_unavailable: true,
    allow_no_indices: true,
  });
  const fields = caps.fields ?? {};
  if (Object.keys(fields).length === 0) return null;
  const pick = (name: 'rec' | 'host' | 'user'): string =>
    fields[name]?.keyword ? name : fields[`${name}.keyword`] ? `${name}.keyword` : DYNAMIC_FIELDS[name];
  return { rec: pick('rec'), host: pick('host'), user: pick('user') };
}
