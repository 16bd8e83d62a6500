import 'server-only';

// A page of search hits cut out of the raw response bytes, without decoding,
// parsing and re-serializing each `_source` (docs/architecture.md, "Reading
// a recording raw"): the messages API passes the stored documents through as
// they came. Only the small parts are parsed: `pit_id`, the last hit's
// `sort` (where the next page starts), and the top-level numeric `id` of
// each source (to drop a duplicated message). Scanning bytes is safe:
// UTF-8 never has a quote or a backslash byte inside a multi-byte character.
//
// The input is a search answer shaped by filter_path (`pit_id`,
// `hits.hits._source`, `hits.hits.sort`), in any key order; other keys are
// skipped. Anything that is not that shape is refused with a
// MalformedResponseError rather than cut wrongly.

export interface RawHit {
  /**
   * The `_source` object as JSON on one line (a view into the page, no
   * copy), or null when the hit has none.
   */
  source: Buffer | null;
  /** The source's top-level `id` when it is a number. */
  id: number | undefined;
}

export interface RawHits {
  pitId: string | undefined;
  hits: RawHit[];
  /** The last hit's `sort`, for search_after. */
  lastSort: unknown[] | undefined;
}

export class MalformedResponseError extends Error {
  constructor(what: string, at: number) {
    super(`malformed search response: ${what} at offset ${at}`);
    this.name = 'MalformedResponseError';
  }
}

const QUOTE = 0x22;
const BACKSLASH = 0x5c;
const OPEN_OBJECT = 0x7b;
const CLOSE_OBJECT = 0x7d;
const OPEN_ARRAY = 0x5b;
const CLOSE_ARRAY = 0x5d;
const COMMA = 0x2c;
const COLON = 0x3a;
const LETTER_I = 0x69;
const LETTER_D = 0x64;

class Scanner {
  at = 0;
  /** Whether skipValue passed a line break (JSON whitespace; inside strings they are escaped). */
  sawLineBreak = false;
  constructor(readonly bytes: Buffer) {}

  fail(what: string): never {
    throw new MalformedResponseError(what, this.at);
  }

  /** The next character that is not JSON whitespace (its code), without consuming it. */
  peek(): number {
    const { bytes } = this;
    for (;;) {
      const c = bytes[this.at];
      if (c === 0x20 || c === 0x0a || c === 0x0d || c === 0x09) this.at += 1;
      else return c ?? -1; // -1 at the end
    }
  }

  expect(code: number, what: string): void {
    if (this.peek() !== code) this.fail(`expected ${what}`);
    this.at += 1;
  }

  /** Skips a string starting at `at` (its opening quote); `at` ends after the closing one. */
  skipString(): void {
    const { bytes } = this;
    let from = this.at + 1;
    for (;;) {
      const quote = bytes.indexOf(QUOTE, from);
      if (quote < 0) this.fail('unterminated string');
      // An odd run of backslashes before the quote escapes it. Each run is
      // looked at once, so a hostile text of backslashes stays linear.
      let before = quote - 1;
      while (bytes[before] === BACKSLASH) before -= 1;
      if ((quote - 1 - before) % 2 === 0) {
        this.at = quote + 1;
        return;
      }
      from = quote + 1;
    }
  }

  /** A key and its colon; the key's text as JSON (quotes included). */
  key(): string {
    if (this.peek() !== QUOTE) this.fail('expected a key');
    const start = this.at;
    this.skipString();
    const key = this.bytes.toString('latin1', start, this.at);
    this.expect(COLON, "':'");
    return key;
  }

  /**
   * Skips any value; with `idOf` an object's top-level `"id"` number is
   * returned (the value of a message's id, undefined when absent or not a number).
   */
  skipValue(idOf = false): number | undefined {
    const { bytes } = this;
    const first = this.peek();
    if (first === QUOTE) {
      this.skipString();
      return undefined;
    }
    if (first !== OPEN_OBJECT && first !== OPEN_ARRAY) {
      // A number, true, false or null: up to the next delimiter.
      const start = this.at;
      while (this.at < bytes.length) {
        const c = bytes[this.at] ?? 0;
        if (c === COMMA || c === CLOSE_OBJECT || c === CLOSE_ARRAY || c <= 0x20) break;
        this.at += 1;
      }
      if (this.at === start) this.fail('expected a value');
      return undefined;
    }
    let id: number | undefined;
    let depth = 0;
    // Whether the next string is a key of the outermost object (set only at depth 1).
    let keyNext = false;
    do {
      const c = bytes[this.at];
      if (c === QUOTE) {
        const start = this.at;
        this.skipString();
        if (
          idOf &&
          keyNext &&
          this.at - start === 4 &&
          bytes[start + 1] === LETTER_I &&
          bytes[start + 2] === LETTER_D
        ) {
          this.expect(COLON, "':'");
          const valueStart = this.peek() === QUOTE ? -1 : this.at;
          this.skipValue();
          if (valueStart >= 0) {
            const value = Number(bytes.toString('latin1', valueStart, this.at));
            if (Number.isFinite(value)) id = value;
          }
        }
        keyNext = false;
        continue;
      }
      this.at += 1;
      if (c === OPEN_OBJECT || c === OPEN_ARRAY) {
        depth += 1;
        keyNext = c === OPEN_OBJECT && depth === 1;
      } else if (c === CLOSE_OBJECT || c === CLOSE_ARRAY) {
        depth -= 1;
      } else if (c === COMMA) {
        keyNext = depth === 1 && first === OPEN_OBJECT;
      } else if (c === 0x0a || c === 0x0d) {
        this.sawLineBreak = true;
      } else if (c === undefined) {
        this.fail('unterminated value');
      }
    } while (depth > 0);
    return id;
  }

  /** Calls `member` for each key of an object; `member` consumes the value. */
  object(member: (key: string) => void): void {
    this.expect(OPEN_OBJECT, "'{'");
    if (this.peek() === CLOSE_OBJECT) {
      this.at += 1;
      return;
    }
    for (;;) {
      member(this.key());
      const c = this.peek();
      this.at += 1;
      if (c === CLOSE_OBJECT) return;
      if (c !== COMMA) this.fail("expected ',' or '}'");
    }
  }

  /** Calls `element` for each element of an array; `element` consumes it. */
  array(element: () => void): void {
    this.expect(OPEN_ARRAY, "'['");
    if (this.peek() === CLOSE_ARRAY) {
      this.at += 1;
      return;
    }
    for (;;) {
      element();
      const c = this.peek();
      this.at += 1;
      if (c === CLOSE_ARRAY) return;
      if (c !== COMMA) this.fail("expected ',' or ']'");
    }
  }

  /** The value's text, parsed (for the small parts: pit_id, sort). */
  parsed(): unknown {
    this.peek();
    const start = this.at;
    this.skipValue();
    return JSON.parse(this.bytes.toString('utf8', start, this.at));
  }
}

/** A hit, and where its sort's text is (parsed for the last hit only). */
function hit(scanner: Scanner): { hit: RawHit; sortAt: [number, number] | undefined } {
  const out: RawHit = { source: null, id: undefined };
  let sortAt: [number, number] | undefined;
  scanner.object((key) => {
    if (key === '"_source"') {
      if (scanner.peek() !== OPEN_OBJECT) scanner.fail('expected _source to be an object');
      const start = scanner.at;
      scanner.sawLineBreak = false;
      out.id = scanner.skipValue(true);
      const source = scanner.bytes.subarray(start, scanner.at);
      // A source with line breaks between its tokens would break the NDJSON
      // line (Elasticsearch and OpenSearch write none): only such a source is
      // parsed and written compactly.
      out.source = scanner.sawLineBreak
        ? Buffer.from(JSON.stringify(JSON.parse(source.toString('utf8'))))
        : source;
    } else if (key === '"sort"') {
      if (scanner.peek() !== OPEN_ARRAY) scanner.fail('expected sort to be an array');
      const start = scanner.at;
      scanner.skipValue();
      sortAt = [start, scanner.at];
    } else {
      scanner.skipValue();
    }
  });
  return { hit: out, sortAt };
}

/** The hits of a search answer (see above), in the order they came. */
export function readRawHits(bytes: Buffer): RawHits {
  const scanner: Scanner = new Scanner(bytes);
  const out: RawHits = { pitId: undefined, hits: [], lastSort: undefined };
  let lastSortAt: [number, number] | undefined;
  scanner.object((key) => {
    if (key === '"pit_id"') {
      const pit = scanner.parsed();
      if (typeof pit !== 'string') scanner.fail('expected pit_id to be a string');
      out.pitId = pit;
    } else if (key === '"hits"') {
      scanner.object((inner) => {
        if (inner === '"hits"') {
          scanner.array(() => {
            const read = hit(scanner);
            out.hits.push(read.hit);
            lastSortAt = read.sortAt;
          });
        } else scanner.skipValue();
      });
    } else {
      scanner.skipValue();
    }
  });
  if (scanner.peek() !== -1) scanner.fail('trailing text');
  if (lastSortAt) out.lastSort = JSON.parse(bytes.toString('utf8', ...lastSortAt)) as unknown[];
  return out;
}
