import { cleanText } from './text';

// Text search for the files source, close to what Elasticsearch does with
// `simple_query_string` (flags AND|OR|PHRASE|PREFIX|WHITESPACE|PRECEDENCE|ESCAPE,
// default operator AND) on a standard-analyzed field: words are all required,
// `a | b` is either, `"a b"` a phrase, `ab*` a prefix; a `-` is text, not NOT,
// so `rm -rf` finds rm and rf. Words are split as Unicode's word rules split
// them (letters and digits, joined by `.` or `'` inside a word, each Han or
// Hiragana character a word of its own), lower-cased, after escape sequences
// are removed from the text. One message must hold the whole match.

type Item = { kind: 'term'; token: string; prefix: boolean } | { kind: 'phrase'; tokens: string[] };

/** Alternatives of all-required items; an empty list matches nothing. */
export type TextQuery = Item[][];

interface Token {
  token: string;
  start: number;
  end: number;
}

const TOKEN =
  /[\p{Script=Han}\p{Script=Hiragana}]|(?:(?![\p{Script=Han}\p{Script=Hiragana}])[\p{L}\p{M}\p{N}_])+(?:(?:[.'’]|(?<=\p{L}):(?=\p{L})|(?<=\p{N})[,;](?=\p{N}))(?:(?![\p{Script=Han}\p{Script=Hiragana}])[\p{L}\p{M}\p{N}_])+)*/gu;

/** Words of a clean text with their UTF-16 ranges. */
export function tokenize(text: string): Token[] {
  return [...text.matchAll(TOKEN)].map((m) => ({
    token: m[0].toLowerCase(),
    start: m.index,
    end: m.index + m[0].length,
  }));
}

function itemsOf(alternative: string): Item[] {
  const items: Item[] = [];
  for (const m of alternative.matchAll(/"([^"]*)"?|(\S+)/g)) {
    if (m[1] !== undefined) {
      const tokens = tokenize(m[1]).map((t) => t.token);
      if (tokens.length > 0) items.push({ kind: 'phrase', tokens });
      continue;
    }
    const word = (m[2] ?? '').replace(/^[+(]+|[)]+$/g, '').replace(/\\(.)/g, '$1');
    const prefix = word.endsWith('*');
    const tokens = tokenize(word.replace(/\*+$/, ''));
    tokens.forEach((t, i) =>
      items.push({ kind: 'term', token: t.token, prefix: prefix && i === tokens.length - 1 }),
    );
  }
  return items;
}

export function parseTextQuery(q: string): TextQuery {
  const alternatives: string[] = [];
  let current = '';
  let quoted = false;
  for (const c of q) {
    if (c === '"') quoted = !quoted;
    if (c === '|' && !quoted) {
      alternatives.push(current);
      current = '';
    } else current += c;
  }
  alternatives.push(current);
  return alternatives.map(itemsOf).filter((items) => items.length > 0);
}

/** Cheap test before tokenizing: every alternative needs some of its words in the text. */
function mayMatch(query: TextQuery, lower: string): boolean {
  return query.some((items) =>
    items.every((item) =>
      item.kind === 'term' ? lower.includes(item.token) : lower.includes(item.tokens[0] ?? ''),
    ),
  );
}

/**
 * Where the query matches in a raw out_txt: UTF-16 ranges of the matched
 * words in the raw text, or null when it does not match.
 */
export function matchText(
  query: TextQuery,
  raw: string,
  lower = raw.toLowerCase(),
): [number, number][] | null {
  if (query.length === 0 || !mayMatch(query, lower)) return null;
  const { text, map } = cleanText(raw);
  const tokens = tokenize(text);
  for (const items of query) {
    const hits: Token[] = [];
    const all = items.every((item) => {
      if (item.kind === 'term') {
        const found = tokens.filter((t) =>
          item.prefix ? t.token.startsWith(item.token) : t.token === item.token,
        );
        hits.push(...found);
        return found.length > 0;
      }
      let any = false;
      for (let i = 0; i + item.tokens.length <= tokens.length; i++) {
        if (item.tokens.every((w, k) => tokens[i + k]?.token === w)) {
          hits.push(...tokens.slice(i, i + item.tokens.length));
          any = true;
        }
      }
      return any;
    });
    if (all) {
      return hits
        .sort((a, b) => a.start - b.start)
        .map((t): [number, number] => [map[t.start] ?? 0, (map[t.end - 1] ?? 0) + 1]);
    }
  }
  return null;
}
