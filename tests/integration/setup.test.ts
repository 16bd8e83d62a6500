import { spawnSync } from 'node:child_process';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { ElasticsearchSource } from '@/lib/sources/elasticsearch';
import { TEMPLATE_NAME } from '@/lib/sources/elasticsearch/template';
import { FilesSource } from '@/lib/sources/files';
import { OPEN_SCOPE } from '@/lib/sources/types';
import { esUrl, testClient } from '../support/es';
import { FIXTURES_DIR, fixtureLines, fixturePath } from '../support/fixtures';

// `auditty setup` on a real cluster, and reading an index pattern that mixes
// rsyslog's dynamic mapping with auditty's template.

const ES_URL = esUrl();

const prefix = `tlog-setup-${Date.now()}`;
/** The indices auditty owns, named for this test: their templates are the test's own. */
const auditIndex = `auditty-audit-setup-${Date.now()}`;
const summaryIndex = `auditty-summaries-setup-${Date.now()}`;
const client = testClient();

function cli(...args: string[]) {
  return spawnSync(
    process.execPath,
    [path.resolve(import.meta.dirname, '../../bin/auditty.mjs'), ...args],
    {
      env: {
        ...process.env,
        ES_URL,
        ES_INDEX: `${prefix}-*`,
        AUDIT_INDEX: auditIndex,
        SUMMARY_INDEX: summaryIndex,
      },
      encoding: 'utf8',
      timeout: 120_000,
    },
  );
}

afterAll(async () => {
  for (const name of [TEMPLATE_NAME, auditIndex, summaryIndex])
    await client.indices.deleteIndexTemplate({ name }).catch(() => undefined);
  await client.indices.delete({
    index: [`${prefix}-dyn`, `${prefix}-tpl`],
    ignore_unavailable: true,
  });
  await client.close();
});

describe('auditty setup', () => {
  it('leaves alone a template of the same name that it did not make', async () => {
    await client.indices.putIndexTemplate({
      name: TEMPLATE_NAME,
      index_patterns: [`${prefix}-other-*`],
    });
    const result = cli('setup');
    expect(result.status).toBe(1);
    expect(result.stderr).toContain(
      `an index template named ${TEMPLATE_NAME} exists and was not made by auditty`,
    );
    // The templates of the indices auditty owns are installed all the same.
    expect(result.stdout).toContain(`template ${auditIndex}: created`);
    expect(result.stdout).toContain(`template ${summaryIndex}: created`);
    const kept = await client.indices.getIndexTemplate({ name: TEMPLATE_NAME });
    expect(kept.index_templates[0]?.index_template.index_patterns).toEqual([`${prefix}-other-*`]);
    await client.indices.deleteIndexTemplate({ name: TEMPLATE_NAME });
  });

  it('installs the template once, idempotently, without touching existing indices', async () => {
    expect(
      cli('import', '--index', `${prefix}-dyn`, fixturePath('colors'), fixturePath('resize'))
        .status,
    ).toBe(0);
    const before = await client.indices.getMapping({ index: `${prefix}-dyn` });
    // The test above installed the owned templates: from nothing here.
    // One at a time: OpenSearch takes no list of names here.
    for (const name of [auditIndex, summaryIndex])
      await client.indices.deleteIndexTemplate({ name });

    const first = cli('setup');
    expect(first.stderr).toBe('');
    expect(first.status).toBe(0);
    expect(first.stdout).toContain(`index patterns: ${prefix}-*`);
    expect(first.stdout).toContain(`template ${TEMPLATE_NAME}: created`);
    // The templates of the indices auditty owns, each named after its index.
    expect(first.stdout).toContain(`template ${auditIndex}: created`);
    expect(first.stdout).toContain(`template ${summaryIndex}: created`);
    expect(first.stdout).toContain(
      `existing index ${prefix}-dyn: dynamic (rsyslog) mapping, left as it is`,
    );
    // The integ-test distribution lacks analysis-common: the fallback is said out loud.
    expect(first.stdout).toMatch(
      /text analyzer: (escape sequences removed|standard \(this cluster lacks)/,
    );
    const again = cli('setup');
    expect(again.status).toBe(0);
    expect(again.stdout).toContain(`template ${TEMPLATE_NAME}: unchanged`);
    expect(again.stdout).toContain(`template ${auditIndex}: unchanged`);
    expect(again.stdout).toContain(`template ${summaryIndex}: unchanged`);
    const patternsOf = async (name: string) =>
      (await client.indices.getIndexTemplate({ name })).index_templates[0]?.index_template
        .index_patterns;
    // Each owned template matches its index's name only, nothing of another deployment's.
    expect(await patternsOf(auditIndex)).toEqual([auditIndex]);
    expect(await patternsOf(summaryIndex)).toEqual([summaryIndex]);
    expect(await client.indices.getMapping({ index: `${prefix}-dyn` })).toEqual(before);
  });

  it('gives new indices keyword ids, a double time and an unindexed timing script', async () => {
    expect(
      cli('import', '--index', `${prefix}-tpl`, fixturePath('utf8-emoji'), fixturePath('input'))
        .status,
    ).toBe(0);
    const mapping = await client.indices.getMapping({ index: `${prefix}-tpl` });
    const properties = mapping[`${prefix}-tpl`]?.mappings.properties ?? {};
    expect(properties.rec).toMatchObject({
      type: 'keyword',
      fields: { keyword: { type: 'keyword' } },
    });
    expect(properties.time).toEqual({ type: 'double' });
    expect(properties.timing).toEqual({ type: 'keyword', index: false, doc_values: false });
    expect(properties.out_txt).toMatchObject({ type: 'text' });
  });

  it('reads a pattern that mixes both mappings, with the same results as the files', async () => {
    const source = new ElasticsearchSource(client, `${prefix}-*`);
    const files = new FilesSource(FIXTURES_DIR);
    const expected = (await files.list(OPEN_SCOPE, { sort: 'start:desc', size: 500 })).items.filter(
      (item) => ['colors', 'resize', 'utf8-emoji', 'input'].some((name) => item.id === recOf(name)),
    );
    const got = await source.list(OPEN_SCOPE, { sort: 'start:desc', size: 500 });
    expect(got.items).toEqual(expected);
    expect(await source.health()).toMatchObject({
      reachable: true,
      detail: `${prefix}-*: 2 indices (1 with auditty's template, 1 with dynamic mapping)`,
    });
  });
});

function recOf(name: string): string {
  const { rec } = JSON.parse(fixtureLines(name)[0] ?? '{}') as { rec?: string };
  return String(rec);
}
