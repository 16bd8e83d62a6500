// The recording summaries index (SUMMARY_INDEX, default auditty-summaries;
// its template has the index's name, as the audit index's has):
// one document per recording, owned and written by auditty only, kept
// current from the messages by the summarizer (summarizer.ts), so that the
// list costs what its page costs (docs/architecture.md, "Recording
// summaries"). Its template is installed by `auditty setup`, and again by the
// summarizer when it is missing. The recordings indices stay read-only.

/** Bump when the documents change meaning: the summarizer then rebuilds them. */
export const SUMMARY_VERSION = 1;

const keyword = { type: 'keyword' } as const;
const date = { type: 'date', format: 'epoch_millis' } as const;
const long = { type: 'long' } as const;

/**
 * A finished recording's command timeline (docs/commands.md), added to its
 * summary by the summarizer's commands pass (commands.ts). Added to an
 * existing summaries index's mapping when missing (store.ts ensureIndex).
 */
export const COMMAND_FIELDS = {
  /** The command lines, for `cmd=` (a word or phrase: match_phrase). */
  command_lines: { type: 'text' },
  /** The entries themselves (t, line, cwd, source, doubt): kept, not indexed. */
  commands: { type: 'object', enabled: false },
  /** The pass has read this recording (with or without commands found). */
  commands_done: { type: 'boolean' },
} as const;

export function summaryTemplateBody(index: string) {
  return {
    index_patterns: [index],
    // Above the defaults and catch-all templates, like the audit index's.
    priority: 500,
    template: {
      settings: { number_of_shards: 1 },
      mappings: {
        // Only the fields below are indexed; anything else stays in _source.
        dynamic: false,
        properties: {
          /** Which kind of document: a summary, the summarizer's progress, its lease. */
          kind: keyword,
          /** The ES_INDEX the summary belongs to: deployments on one cluster stay apart. */
          pattern: keyword,
          rec: keyword,
          host: keyword,
          user: keyword,
          session: long,
          term: keyword,
          start: date,
          end: date,
          duration_ms: long,
          /** Earliest and latest message `timestamp`: the start order and the time filter. */
          first_ts: date,
          last_ts: date,
          /** `pos` of the last message: the duration order. */
          last_pos: long,
          messages: long,
          first_id: long,
          last_id: long,
          gaps: long,
          has_input: { type: 'boolean' },
          /** More than one host or user among the messages: forged or damaged. */
          mixed: { type: 'boolean' },
          indices: keyword,
          updated_at: date,
          version: long,
          ...COMMAND_FIELDS,
        },
      },
    },
    _meta: {
      managed_by: 'auditty',
      version: SUMMARY_VERSION,
      description: "auditty's recording summaries",
    },
  };
}
