import { createHash } from 'node:crypto';
import { parseArgs } from 'node:util';
import type { Client } from '@elastic/elasticsearch';
import { env } from '@/lib/env';
import { createClient } from '@/lib/sources/elasticsearch';
import {
  TEMPLATE_MANAGED_BY,
  TEMPLATE_NAME,
  templateBody,
  templatePatterns,
} from '@/lib/sources/elasticsearch/template';

// `auditty setup`: installs auditty's index template for the ES_INDEX
// patterns. Idempotent. It never changes an existing index: those keep their
// mapping and auditty reads them as they are; only indices created from now
// on get the template.

/** Whether the cluster has the `pattern_replace` char filter (module analysis-common). */
async function hasPatternReplace(client: Client): Promise<boolean> {
  try {
    await client.indices.analyze({
      tokenizer: 'standard',
      char_filter: [{ type: 'pattern_replace', pattern: 'x', replacement: '' }],
      text: 'x',
    });
    return true;
  } catch {
    return false;
  }
}

function canonical(value: unknown): string {
  return JSON.stringify(value, (_key, v: unknown) =>
    v && typeof v === 'object' && !Array.isArray(v)
      ? Object.fromEntries(Object.entries(v).sort(([a], [b]) => a.localeCompare(b)))
      : v,
  );
}

export async function setup(args: string[]): Promise<number> {
  const { values } = parseArgs({ args, options: { 'dry-run': { type: 'boolean' } } });
  const config = env();
  if (!config.ES_URL) {
    console.error('auditty setup: set ES_URL to the Elasticsearch to set up');
    return 2;
  }
  const client = createClient(config);
  try {
    const patterns = templatePatterns(config.ES_INDEX);
    const escapeFilter = await hasPatternReplace(client);
    // Elasticsearch normalizes stored templates (9.x differently from 8.x), so
    // "unchanged" is judged by a digest of what auditty sent, kept in _meta.
    const plain = templateBody(patterns, escapeFilter);
    const digest = createHash('sha256').update(canonical(plain)).digest('hex');
    const body = { ...plain, _meta: { ...plain._meta, digest } };

    const existing = await client.indices
      .getIndexTemplate({ name: TEMPLATE_NAME })
      .then((r) => r.index_templates[0]?.index_template)
      .catch((err: { meta?: { statusCode?: number } }) => {
        if (err.meta?.statusCode === 404) return undefined;
        throw err;
      });
    if (existing && existing._meta?.managed_by !== TEMPLATE_MANAGED_BY) {
      console.error(
        `auditty setup: an index template named ${TEMPLATE_NAME} exists and was not made by auditty; not touching it`,
      );
      return 1;
    }

    console.log(`index patterns: ${patterns.join(', ')}`);
    console.log(
      escapeFilter
        ? 'text analyzer: escape sequences removed before tokenizing (pattern_replace)'
        : 'text analyzer: standard (this cluster lacks the pattern_replace char filter of module analysis-common)',
    );
    const same = existing?._meta?.digest === digest;
    if (same) {
      console.log(`template ${TEMPLATE_NAME}: unchanged`);
    } else if (values['dry-run']) {
      console.log(
        `template ${TEMPLATE_NAME}: would be ${existing ? 'updated' : 'created'} (dry run)`,
      );
    } else {
      await client.indices.putIndexTemplate({ name: TEMPLATE_NAME, ...body });
      console.log(`template ${TEMPLATE_NAME}: ${existing ? 'updated' : 'created'}`);
    }

    const mappings = await client.indices
      .getMapping({ index: patterns.join(','), ignore_unavailable: true, allow_no_indices: true })
      .catch(() => ({}));
    for (const [index, mapping] of Object.entries(mappings)) {
      const meta = (mapping as { mappings?: { _meta?: { managed_by?: string } } }).mappings?._meta;
      const kind =
        meta?.managed_by === TEMPLATE_MANAGED_BY ? 'auditty template' : 'dynamic (rsyslog)';
      console.log(`existing index ${index}: ${kind} mapping, left as it is`);
    }
    return 0;
  } finally {
    await client.close();
  }
}
