import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ElasticsearchSource } from '@/lib/sources/elasticsearch';
import { FilesSource } from '@/lib/sources/files';
import type { RecordingSource, Scope } from '@/lib/sources/types';
import { testClient } from '../support/es';
import { fixtureLines } from '../support/fixtures';

// One definition of scope patterns (lib/sources/glob.ts), two sources: the
// same recordings in a directory and in an index with rsyslog's dynamic
// mapping, the same scopes, and the same recordings listed by both, which
// are also the ones the definition says. The hosts and users are made to
// tell the readings apart: astral characters (one code point, two UTF-16
// units), composed and decomposed accents, regular expression characters,
// case, an empty user, a lone surrogate, a backslash, and values on both
// sides of Elasticsearch's ignore_above (256 UTF-16 units).

const THUMB = '\u{1F44D}';
const NFC = 'w\u00e9b-1';
const NFD = 'we\u0301b-1';

const RECORDINGS = {
  web1: ['web-1', 'root'],
  web10: ['web-10', 'root'],
  web1Root: ['web-1', 'Root'],
  nfc: [NFC, 'root'],
  nfd: [NFD, 'root'],
  db: [`db${THUMB}1`, 'root'],
  adotb: ['a.b', 'root'],
  axb: ['axb', 'root'],
  A1: ['A-1', 'root'],
  vmEmpty: ['vm', ''],
  long: [`l${'o'.repeat(299)}`, 'root'],
  thumbs128: [THUMB.repeat(128), 'root'],
  thumbs129: [THUMB.repeat(129), 'root'],
  lone: ['x\uD800', 'root'],
  backslash: ['b\\s', 'root'],
} as const satisfies Record<string, readonly [string, string]>;

type Name = keyof typeof RECORDINGS;
const NAMES = Object.keys(RECORDINGS) as Name[];
const idOf = (name: Name) => `glob-${name}`;
const all = (...except: Name[]) => NAMES.filter((n) => !except.includes(n));

/** Scopes, and the recordings the definition lets each see. */
const CASES: [string, Scope, Name[]][] = [];
const hosts = (patterns: string[], sees: Name[]) =>
  CASES.push([`hosts ${JSON.stringify(patterns)}`, { hosts: patterns, users: ['*'] }, sees]);
const users = (patterns: string[], sees: Name[]) =>
  CASES.push([`users ${JSON.stringify(patterns)}`, { hosts: ['*'], users: patterns }, sees]);

hosts(['*'], all());
hosts(['**'], all('long', 'thumbs129'));
hosts(['web-?'], ['web1', 'web1Root']);
hosts(['web-*'], ['web1', 'web10', 'web1Root']);
hosts(['web-1'], ['web1', 'web1Root']);
hosts(['WEB-*'], []);
hosts(['*-1'], ['web1', 'web1Root', 'nfc', 'nfd', 'A1']);
hosts(['*e*'], ['web1', 'web10', 'web1Root', 'nfd']);
hosts(['w?b-1'], ['web1', 'web1Root', 'nfc']);
hosts(['w??b-1'], ['nfd']);
hosts([NFC], ['nfc']);
hosts([NFD], ['nfd']);
hosts(['db?1'], ['db']);
hosts(['db??1'], []);
hosts(['db*1'], ['db']);
hosts(['a.b'], ['adotb']);
hosts(['a?b'], ['adotb', 'axb']);
hosts(['*.*'], ['adotb']);
hosts(['.*'], []);
hosts(['[aw]*'], []);
hosts(['A-1'], ['A1']);
hosts(['a-1'], []);
hosts(['vm'], ['vmEmpty']);
hosts(['?'], []);
hosts(['??'], ['vmEmpty', 'lone']);
hosts(['x?'], ['lone']);
hosts(['x??'], []);
hosts(['x*'], ['lone']);
hosts(['l*'], []);
hosts([`${THUMB}*`], ['thumbs128']);
hosts([`*${THUMB}`], ['thumbs128']);
hosts(['?'.repeat(128)], ['thumbs128']);
hosts(['?'.repeat(129)], []);
// The policy refuses `\`; a scope made otherwise still means the same on both.
hosts(['b\\*'], ['backslash']);
hosts(['b\\s'], ['backslash']);
hosts(['*\\*'], ['backslash']);
hosts(['b*s'], ['backslash']);
hosts(['web-1', 'db*'], ['web1', 'web1Root', 'db']);
hosts(['*', 'nothing'], all());
hosts([], []);
users(['*'], all());
users(['**'], all());
users(['?*'], all('vmEmpty'));
users(['root'], all('web1Root', 'vmEmpty'));
users(['Root'], ['web1Root']);
users(['ROOT'], []);
users(['?oot'], all('vmEmpty'));
users(['r*'], all('web1Root', 'vmEmpty'));
users([''], ['vmEmpty']);
users([], []);
CASES.push(['web-* for Root', { hosts: ['web-*'], users: ['Root'] }, ['web1Root']]);
CASES.push([
  '** for root',
  { hosts: ['**'], users: ['root'] },
  all('long', 'thumbs129', 'web1Root', 'vmEmpty'),
]);

/** A small real recording (tests/fixtures) retagged with the recording's id, host and user. */
function linesOf(name: Name): string[] {
  const [host, user] = RECORDINGS[name];
  return fixtureLines('resize').map((line) =>
    JSON.stringify({ ...JSON.parse(line), rec: idOf(name), host, user }),
  );
}

const client = testClient();
const index = `scope-glob-${Date.now()}`;
let files: RecordingSource;
let elasticsearch: RecordingSource;

beforeAll(async () => {
  const dir = mkdtempSync(path.join(tmpdir(), 'auditty-scope-glob-'));
  for (const name of NAMES)
    writeFileSync(path.join(dir, `${idOf(name)}.tlog`), `${linesOf(name).join('\n')}\n`);
  files = new FilesSource(dir);

  // A fresh index, no template: rsyslog's dynamic mapping, as auditty import makes it.
  await client.indices.create({ index });
  const operations = NAMES.flatMap((name) =>
    linesOf(name).flatMap((line) => {
      const message = JSON.parse(line) as Record<string, unknown>;
      const timestamp = new Date(Math.round(Number(message.time) * 1000)).toISOString();
      return [{ index: { _index: index } }, { ...message, timestamp }];
    }),
  );
  const result = await client.bulk({ operations, refresh: true });
  const refused = result.items.filter((item) => item.index?.error);
  expect(refused.map((item) => item.index?.error)).toEqual([]);
  const mapping = await client.indices.getMapping({ index });
  const properties = mapping[index]?.mappings.properties ?? {};
  for (const field of ['host', 'user']) {
    expect(properties[field], field).toEqual({
      type: 'text',
      fields: { keyword: { type: 'keyword', ignore_above: 256 } },
    });
  }
  elasticsearch = new ElasticsearchSource(client, index);
}, 120_000);

afterAll(async () => {
  await client.indices.delete({ index, ignore_unavailable: true }).catch(() => undefined);
  await client.close();
});

async function listed(source: RecordingSource, scope: Scope) {
  const result = await source.list(scope, { sort: 'start:desc', size: 500 });
  return { ids: result.items.map((item) => item.id).sort(), total: result.total };
}

describe('scope patterns on both sources', () => {
  it.each(CASES)(
    '%s: the same recordings, the ones the definition says',
    async (_, scope, sees) => {
      const [onFiles, onElasticsearch] = await Promise.all([
        listed(files, scope),
        listed(elasticsearch, scope),
      ]);
      const expected = sees.map(idOf).sort();
      expect(onElasticsearch, 'Elasticsearch and files').toEqual(onFiles);
      expect(onFiles.ids, 'the definition').toEqual(expected);
      expect(onFiles.total).toBe(expected.length);
    },
  );

  it('answers get for a recording in scope and not for one outside, on both', async () => {
    const scope = { hosts: ['db?1', `${THUMB}*`, '??'], users: ['*'] };
    for (const name of NAMES) {
      const sees = ['db', 'thumbs128', 'vmEmpty', 'lone'].includes(name);
      for (const source of [files, elasticsearch]) {
        const summary = await source.get(scope, idOf(name));
        expect(summary?.id ?? null, `${source.kind} ${name}`).toBe(sees ? idOf(name) : null);
      }
    }
  });
});
