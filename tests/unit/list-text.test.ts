import { describe, expect, it } from 'vitest';
import { decodeTiming, messageEnd, outputMoment } from '@/lib/tlog';
import { toMatch } from '@/lib/sources/elasticsearch/reshape';
import { HIT_END, HIT_START } from '@/lib/sources/elasticsearch/list-queries';
import {
  alignHighlight,
  buildSnippet,
  cleanText,
  codePointIndex,
  hitMoment,
  splitHighlight,
} from '@/lib/sources/listing/text';
import { matchText, parseTextQuery, tokenize } from '@/lib/sources/listing/text-query';
import { fixtureMessages, fixtureNames } from '../support/fixtures';

const joined = (parts: { text: string; hit: boolean }[]) =>
  parts.map((p) => (p.hit ? `[${p.text}]` : p.text)).join('');

describe('snippets', () => {
  it('drop escape sequences and controls, keeping what a reader saw', () => {
    const raw = '\u001b[?2004h$ ls\r\n\u001b[01;34mapt\u001b[0m\u001b]0;title\u0007 done\u0000';
    expect(cleanText(raw).text.replace(/\s+/g, ' ')).toBe(' $ ls apt done ');
  });

  it('mark the hits of a highlight and escape nothing themselves: parts are plain text', () => {
    const highlighted = `x <b>&amp; ${HIT_START}burst${HIT_END}\u001b[0m <script>${HIT_START}Burst${HIT_END}`;
    const { raw, hits } = splitHighlight(highlighted, HIT_START, HIT_END);
    expect(raw).toBe('x <b>&amp; burst\u001b[0m <script>Burst');
    expect(hits).toEqual([
      [11, 16],
      [29, 34],
    ]);
    expect(joined(buildSnippet(raw, hits))).toBe('x <b>&amp; [burst] <script>[Burst]');
  });

  it('place a trimmed highlight (OpenSearch) back in the stored text, so the moment is the same', () => {
    const out = '\u001b[1m\r\n quick brown quick \r\n';
    // What OpenSearch answers for the whole field: Java's trim() of the marked text.
    const opensearch = `[1m\r\n ${HIT_START}quick${HIT_END} brown ${HIT_START}quick${HIT_END}`;
    const aligned = alignHighlight(out, splitHighlight(opensearch, HIT_START, HIT_END));
    expect(aligned.raw).toBe(out);
    expect(aligned.hits).toEqual([
      [7, 12],
      [19, 24],
    ]);
    expect(out.slice(7, 12)).toBe('quick');
    // Elasticsearch's answer is the stored text: nothing moves.
    const elasticsearch = `\u001b[1m\r\n ${HIT_START}quick${HIT_END} brown ${HIT_START}quick${HIT_END} \r\n`;
    expect(alignHighlight(out, splitHighlight(elasticsearch, HIT_START, HIT_END))).toEqual(aligned);
    // toMatch gives both the same moment.
    const hit = (highlighted: string) => ({
      hits: {
        hits: [
          {
            _source: { id: 1, pos: 0, timing: '=1x30', out_txt: out },
            highlight: { out_txt: [highlighted] },
          },
        ],
      },
    });
    expect(toMatch(hit(opensearch))).toEqual(toMatch(hit(elasticsearch)));
  });

  it('cut long text around the first hit, on code points', () => {
    const raw = `${'👍'.repeat(200)} needle ${'日'.repeat(300)}`;
    const start = raw.indexOf('needle');
    const parts = buildSnippet(raw, [[start, start + 6]]);
    expect(parts[0]).toEqual({ text: '… ', hit: false });
    expect(parts[parts.length - 1]).toEqual({ text: ' …', hit: false });
    expect(parts.find((p) => p.hit)?.text).toBe('needle');
    // In u mode a paired surrogate is one code point: only a lone one would match.
    expect(joined(parts)).not.toMatch(/[\uD800-\uDFFF]/u);
  });

  it('know the moment a character is printed from the timing script', () => {
    const message = { pos: 1000, timing: '=80x24>3+20>4+30]1/2+5>2' };
    expect(outputMoment(message, 1)).toBe(1000);
    expect(outputMoment(message, 3)).toBe(1000);
    expect(outputMoment(message, 4)).toBe(1020);
    expect(outputMoment(message, 8)).toBe(1050);
    expect(outputMoment(message, 10)).toBe(1055);
    expect(codePointIndex('a👍b', 3)).toBe(2);
    // The first hit's last character: "👍b" ends at UTF-16 index 3, the 2nd code point.
    expect(hitMoment(message, 'a👍bcdefghij', [[1, 3]])).toBe(1000);
    expect(hitMoment(message, 'a👍bcdefghij', [[5, 8]])).toBe(1020);
    expect(hitMoment(message, 'abc', [])).toBe(1000);
  });

  it('turn an Elasticsearch hit into a snippet and the moment of the match', () => {
    const source = { id: 3, pos: 2000, timing: '>6+100>7', out_txt: 'hello 👍burst' };
    const highlighted = `hello 👍${HIT_START}burst${HIT_END}`;
    const match = toMatch({
      hits: { hits: [{ _source: source, highlight: { out_txt: [highlighted] } }] },
    });
    expect(match).toEqual({
      snippet: [
        { text: 'hello 👍', hit: false },
        { text: 'burst', hit: true },
      ],
      atMs: 2100,
      messageId: 3,
    });
  });
});

describe('messageEnd', () => {
  it('equals the decoder’s end for every message of every fixture', () => {
    for (const name of fixtureNames()) {
      for (const message of fixtureMessages(name)) {
        expect(messageEnd(message.pos, message.timing), `${name} #${message.id}`).toBe(
          decodeTiming(message).end,
        );
      }
    }
  });
});

describe('text search for the files source', () => {
  it('splits words as the standard analyzer does', () => {
    expect(tokenize('$ cat adduser.conf notes.txt; rm -rf /tmp/x_y').map((t) => t.token)).toEqual([
      'cat',
      'adduser.conf',
      'notes.txt',
      'rm',
      'rf',
      'tmp',
      'x_y',
    ]);
    expect(tokenize('Ångström 日本語 a:b 1,000').map((t) => t.token)).toEqual([
      'ångström',
      '日',
      '本',
      '語',
      'a:b',
      '1,000',
    ]);
  });

  it('needs every word, in one message; `|` is or, quotes a phrase, `*` a prefix', () => {
    const text = '\u001b[1mBefore\u001b[0m the burst\r\n$ rm -rf /';
    const yes = [
      'burst',
      'BURST before',
      '"before the burst"',
      'bur*',
      'nothing | burst',
      'rm -rf',
      '+burst',
    ];
    const no = ['"the before"', 'bursts', 'burst nothing', 'rf -rm missing', '', '!!!'];
    for (const q of yes) expect(matchText(parseTextQuery(q), text), q).not.toBeNull();
    for (const q of no) expect(matchText(parseTextQuery(q), text), q).toBeNull();
  });

  it('gives the hits as ranges of the raw text', () => {
    const raw = '\u001b[31mred\u001b[0m burst';
    const hits = matchText(parseTextQuery('burst red'), raw);
    expect(hits?.map(([s, e]) => raw.slice(s, e))).toEqual(['red', 'burst']);
  });
});
