import { createHash } from 'node:crypto';
import { parseArgs } from 'node:util';
import type { Client } from '@elastic/elasticsearch';
import { auditTemplateBody } from '@/lib/audit/elasticsearch';
import { env } from '@/lib/env';
import { createClient } from '@/lib/sources/elasticsearch';
import {
  TEMPLATE_MANAGED_BY,
  TEMPLATE_NAME,
  templateBody,
  templatePatterns,
} from '@/lib/sources/elasticsearch/template';
import {
  COMMAND_FIELDS,
  summaryTemplateBody,
} from '@/lib/sources/elasticsearch/summaries/template';

// `auditty setup`: installs auditty's index templates: the recordings' for
// the ES_INDEX patterns, and those of the indices auditty owns (the audit
// trail, the recording summaries). Idempotent. It never changes an existing
// index: those keep their mapping and auditty reads them as they are; only
// indices created from now on get the template.

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

type TemplateBody = Record<string, unknown> & { _meta?: Record<string, unknown> };

/**
 * Installs one of auditty's index templates: created, updated or unchanged
 * (judged by a digest of what auditty sent, kept in _meta: Elasticsearch
 * normalizes stored templates, 9.x differently from 8.x). A template of that
 * name that auditty did not make is left alone: false.
 */
async function installTemplate(
  client: Client,
  name: string,
  plain: TemplateBody,
  dryRun: boolean,
): Promise<boolean> {
  const digest = createHash('sha256').update(canonical(plain)).digest('hex');
  const body = { ...plain, _meta: { ...plain._meta, digest } };
  const existing = await client.indices
    .getIndexTemplate({ name })
    .then((r) => r.index_templates[0]?.index_template)
    .catch((err: { meta?: { statusCode?: number } }) => {
      if (err.meta?.statusCode === 404) return undefined;
      throw err;
    });
  if (existing && existing._meta?.managed_by !== TEMPLATE_MANAGED_BY) {
    console.error(
      `auditty setup: an index template named ${name} exists and was not made by auditty; not touching it`,
    );
    return false;
  }
  if (existing?._meta?.digest === digest) {
    console.log(`template ${name}: unchanged`);
  } else if (dryRun) {
    console.log(`template ${name}: would be ${existing ? 'updated' : 'created'} (dry run)`);
  } else {
    await client.indices.putIndexTemplate({ name, ...body });
    console.log(`template ${name}: ${existing ? 'updated' : 'created'}`);
  }
  return true;
}

export async function setup(args: string[]): Promise<number> {
  const { values } = parseArgs({ args, options: { 'dry-run': { type: 'boolean' } } });
  const config = env();
  if (!config.ES_URL) {
    console.error('auditty setup: set ES_URL to the Elasticsearch to set up');
    return 2;
  }
  const dryRun = values['dry-run'] === true;
  const client = createClient(config);
  try {
    const patterns = templatePatterns(config.ES_INDEX);
    const escapeFilter = await hasPatternReplace(client);
    console.log(`index patterns: ${patterns.join(', ')}`);
    console.log(
      escapeFilter
        ? 'text analyzer: escape sequences removed before tokenizing (pattern_replace)'
        : 'text analyzer: standard (this cluster lacks the pattern_replace char filter of module analysis-common)',
    );
    // The recordings' template first, then the indices auditty owns.
    const installed = [
      await installTemplate(client, TEMPLATE_NAME, templateBody(patterns, escapeFilter), dryRun),
      await installTemplate(
        client,
        config.AUDIT_INDEX,
        auditTemplateBody(config.AUDIT_INDEX),
        dryRun,
      ),
      await installTemplate(
        client,
        config.SUMMARY_INDEX,
        summaryTemplateBody(config.SUMMARY_INDEX),
        dryRun,
      ),
    ];
    if (installed.includes(false)) return 1;
    // An existing summaries index gets the fields added since it was made (the command timeline's).
    if (!dryRun && (await client.indices.exists({ index: config.SUMMARY_INDEX }))) {
      await client.indices.putMapping({ index: config.SUMMARY_INDEX, properties: COMMAND_FIELDS });
      console.log(`summaries index ${config.SUMMARY_INDEX}: command fields in its mapping`);
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
