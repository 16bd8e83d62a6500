// auditty's index template for tlog indices. Compared with what rsyslog's
// dynamic mapping makes of the same documents:
// - ids and names are `keyword` (with a `.keyword` sub-field too, so that one
//   query works on an index pattern that mixes both kinds of index);
// - `time` is a `double`, precise to the millisecond (dynamic mapping picks a
//   `float`, which is not);
// - `timing` and the byte arrays are not indexed (the arrays keep doc values
//   so that `exists` still tells whether a message has bytes);
// - `out_txt`/`in_txt` are searchable text whose analyzer drops terminal
//   escape sequences, where the cluster has the `pattern_replace` char filter
//   (module analysis-common); elsewhere the standard analyzer.

export const TEMPLATE_NAME = 'auditty-tlog';
export const TEMPLATE_MANAGED_BY = 'auditty';
export const TEMPLATE_VERSION = 1;

/** CSI, OSC (BEL- or ST-terminated) and two-byte escape sequences. */
export const ESCAPE_PATTERN =
  '\\u001b\\[[0-?]*[ -/]*[@-~]|\\u001b\\][^\\u0007\\u001b]*(?:\\u0007|\\u001b\\\\)|\\u001b[@-Z\\\\-_]';

const keyword = { type: 'keyword', fields: { keyword: { type: 'keyword' } } };

export function templateBody(patterns: string[], escapeFilter: boolean) {
  const analysis = escapeFilter
    ? {
        analysis: {
          char_filter: {
            strip_escapes: { type: 'pattern_replace', pattern: ESCAPE_PATTERN, replacement: ' ' },
          },
          analyzer: {
            terminal_text: {
              type: 'custom',
              char_filter: ['strip_escapes'],
              tokenizer: 'standard',
              filter: ['lowercase'],
            },
          },
        },
      }
    : {};
  // The `.keyword` sub-field matches dynamic mapping's, for short texts.
  const text = {
    type: 'text',
    ...(escapeFilter ? { analyzer: 'terminal_text' } : {}),
    fields: { keyword: { type: 'keyword', ignore_above: 256 } },
  };
  return {
    index_patterns: patterns,
    priority: 200,
    _meta: {
      managed_by: TEMPLATE_MANAGED_BY,
      version: TEMPLATE_VERSION,
      escape_filter: escapeFilter,
    },
    template: {
      settings: { ...analysis },
      mappings: {
        _meta: { managed_by: TEMPLATE_MANAGED_BY, version: TEMPLATE_VERSION },
        dynamic: true,
        properties: {
          ver: keyword,
          host: keyword,
          rec: keyword,
          user: keyword,
          term: keyword,
          session: { type: 'long' },
          id: { type: 'long' },
          pos: { type: 'long' },
          time: { type: 'double' },
          timestamp: { type: 'date' },
          timing: { type: 'keyword', index: false, doc_values: false },
          in_txt: text,
          out_txt: text,
          in_bin: { type: 'short', index: false },
          out_bin: { type: 'short', index: false },
        },
      },
    },
  };
}

/** Index patterns a template may claim: ES_INDEX's comma-separated parts. */
export function templatePatterns(esIndex: string): string[] {
  return esIndex
    .split(',')
    .map((p) => p.trim())
    .filter((p) => p !== '' && !p.startsWith('-'));
}
