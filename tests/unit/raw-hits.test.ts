import { readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { MalformedResponseError, readRawHits } from '@/lib/sources/elasticsearch/raw-hits';
import { createRng } from '../support/prng';

// The raw cut of a search answer must give, for every hit, exactly the
// document JSON.parse would: checked on real tlog messages (the hostile
// fixtures' escapes and UTF-8), on generated documents, and on the shapes
// Elasticsearch and OpenSearch write (key order, whitespace).

const FIXTURES = path.join(__dirname, '../fixtures');

function fixtureMessages(name: string): Record<string, unknown>[] {
  return readFileSync(path.join(FIXTURES, name), 'utf8')
    .split('\n')
    .filter((line) => line.trim() !== '')
    .map((line) => JSON.parse(line) as Record<string, unknown>);
}

function answer(sources: unknown[], pit?: string): string {
  return JSON.stringify({
    ...(pit ? { pit_id: pit } : {}),
    hits: { hits: sources.map((s, i) => ({ _source: s, sort: [i, 7 + i] })) },
  });
}

const ALPHABET = [
  'a',
  '"',
  '\\',
  '\n',
  '\u001b',
  'é',
  '😀',
  '\u2028',
  '{',
  '}',
  '[',
  ']',
  ',',
  ':',
  ' ',
];

function randomValue(next: () => number, depth: number): unknown {
  const kind = Math.floor(next() * (depth > 3 ? 4 : 6));
  if (kind === 0) return Math.floor(next() * 2e6) - 1e6;
  if (kind === 1) return next() < 0.5 ? null : next() < 0.5;
  if (kind <= 3) {
    let s = '';
    const length = Math.floor(next() * 12);
    for (let i = 0; i < length; i += 1) s += ALPHABET[Math.floor(next() * ALPHABET.length)];
    return s;
  }
  if (kind === 4)
    return Array.from({ length: Math.floor(next() * 4) }, () => randomValue(next, depth + 1));
  return randomObject(next, depth + 1);
}

function randomObject(next: () => number, depth: number): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  const keys = Math.floor(next() * 5);
  for (let i = 0; i < keys; i += 1)
    out[`${ALPHABET[Math.floor(next() * 5)]}k${i}`] = randomValue(next, depth);
  return out;
}

describe('readRawHits', () => {
  it('gives every real message back as JSON.parse reads it, with its id and sort', () => {
    const messages = [
      'recordings/invalid-bytes.tlog',
      'recordings/utf8-emoji.tlog',
      'recordings/fullscreen.tlog',
      'recordings/colors.tlog',
      'hostile/osc52-clipboard.tlog',
      'hostile/html-metadata.tlog',
      'hostile/huge-line.tlog',
    ].flatMap(fixtureMessages);
    expect(messages.length).toBeGreaterThan(20);
    const read = readRawHits(Buffer.from(answer(messages, 'pit-1==')));
    expect(read.pitId).toBe('pit-1==');
    expect(read.hits).toHaveLength(messages.length);
    read.hits.forEach((hit, i) => {
      expect(JSON.parse(hit.source?.toString() ?? 'null')).toEqual(messages[i]);
      expect(hit.source?.toString()).toBe(JSON.stringify(messages[i]));
      expect(hit.id).toBe(messages[i]?.id);
    });
    expect(read.lastSort).toEqual([messages.length - 1, 7 + messages.length - 1]);
  });

  it('cuts generated documents exactly (escapes, backslash runs, nesting, an id at any depth)', () => {
    // Seeded: the same documents on every run.
    const { next } = createRng(18);
    for (let round = 0; round < 300; round += 1) {
      const docs = Array.from({ length: 5 }, () => ({
        ...randomObject(next, 0),
        nested: { id: 'not this one', deeper: [{ id: 99 }] },
        ...(next() < 0.5 ? { id: Math.floor(next() * 1000) } : {}),
      }));
      const read = readRawHits(Buffer.from(answer(docs)));
      expect(read.hits.map((h) => JSON.parse(h.source?.toString() ?? 'null'))).toEqual(docs);
      expect(read.hits.map((h) => h.id)).toEqual(docs.map((d) => ('id' in d ? d.id : undefined)));
    }
  });

  it('takes any key order and whitespace, and writes a source with line breaks on one line', () => {
    const text =
      '{ "hits" : { "max_score" : null, "hits" : [\n' +
      '  { "_index": "i", "sort" : [ 3 ], "_source" : {\n "id" : 3,\r\n "out_txt" : "a\\nb" } },\n' +
      '  { "_source": {"id":"4","out_txt":"x"}, "sort": [4] },\n' +
      '  { "_source": {"a":"id","b":["id",{"id":1}],"id":-2} },\n' +
      '  { "sort": [5] }\n' +
      '] }, "pit_id" : "p\\u003d" }';
    const read = readRawHits(Buffer.from(text));
    expect(read.pitId).toBe('p=');
    expect(read.hits.map((h) => ({ ...h, source: h.source?.toString() ?? null }))).toEqual([
      { source: '{"id":3,"out_txt":"a\\nb"}', id: 3 },
      // A string id is not an id to drop duplicates by.
      { source: '{"id":"4","out_txt":"x"}', id: undefined },
      // "id" as a value, or as a key deeper down, is not the message's id.
      { source: '{"a":"id","b":["id",{"id":1}],"id":-2}', id: -2 },
      { source: null, id: undefined },
    ]);
    expect(read.lastSort).toEqual([5]);
  });

  it('reads an answer with no hits, and one with no pit', () => {
    expect(readRawHits(Buffer.from('{"hits":{"hits":[]}}'))).toEqual({
      pitId: undefined,
      hits: [],
    });
    expect(readRawHits(Buffer.from('{}'))).toEqual({
      pitId: undefined,
      hits: [],
      lastSort: undefined,
    });
  });

  it('refuses what is not a search answer instead of cutting it wrongly', () => {
    for (const text of [
      '',
      '[]',
      '{"hits":{"hits":[{"_source":"text"}]}}',
      '{"hits":{"hits":[{"_source":{"out_txt":"unterminated}}]}}',
      '{"hits":{"hits":[{"_source":{"a":1}}',
      '{"hits":{"hits":[{"_source":{"a":1},"sort":5}]}}',
      '{"pit_id":7,"hits":{"hits":[]}}',
      '{"hits":{"hits":[]}} trailing',
      '{"hits":{"hits":[{"_source":{"a":1}} {"_source":{}}]}}',
    ]) {
      expect(() => readRawHits(Buffer.from(text)), text).toThrow(MalformedResponseError);
    }
  });
});
