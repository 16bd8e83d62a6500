import { describe, expect, it } from 'vitest';
import { tlogLine } from '../support/tlog-line';
import { documentSource } from '../../scripts/cli/import';

const line =
  '{"ver":"2.3","host":"vm","rec":"r","user":"u","term":"xterm","session":1,"id":1,"pos":0,' +
  '"time":1790000000.000,"timing":">3","in_txt":"","in_bin":[],"out_txt":"a}\\"time\\":1","out_bin":[]}';

describe('auditty import: the stored document', () => {
  it('is the line as written, with the timestamp before its closing brace', () => {
    const source = documentSource(line, 1790000000);
    expect(source).toBe(`${line.slice(0, -1)},"timestamp":"2026-09-21T14:13:20.000Z"}`);
    expect(JSON.parse(source ?? '')).toEqual({
      ...JSON.parse(line),
      timestamp: '2026-09-21T14:13:20.000Z',
    });
  });

  it('takes the line with spaces, a carriage return and an empty object', () => {
    expect(documentSource(`  ${line} \r`, 0)).toBe(
      `${line.slice(0, -1)},"timestamp":"1970-01-01T00:00:00.000Z"}`,
    );
    expect(documentSource('{ }', 0)).toBe('{"timestamp":"1970-01-01T00:00:00.000Z"}');
  });

  it('has no answer for a line with a timestamp of its own (the importer refuses it)', () => {
    expect(documentSource(`{"timestamp":"x",${line.slice(1)}`, 0)).toBeNull();
  });
});

describe('bench recordings: a tlog line', () => {
  it('writes time with three decimals, as tlog-rec does, and leaves strings alone', () => {
    const text = tlogLine({ id: 1, out_txt: '"time":5', time: 1790000000, timing: '>8' });
    expect(text).toBe('{"id":1,"out_txt":"\\"time\\":5","time":1790000000.000,"timing":">8"}');
    expect(tlogLine({ time: 1790000000.25 })).toBe('{"time":1790000000.250}');
    expect(tlogLine({ id: 2 })).toBe('{"id":2}');
  });
});
