import 'server-only';
import { errors, type Client } from '@elastic/elasticsearch';
import { commandsInWorker, reserveTextExport } from '@/lib/export/text-budget';
import { OPEN_SCOPE, LIVE_WINDOW_MS } from '../../types';
import { readMessages } from '../messages';
import { SEARCH_OPTIONS, type FieldNames } from '../queries';
import type { SummaryDocument } from './document';

// The summaries' commands pass (docs/commands.md, "In the list"): the
// summarizer, after a round, reads the messages of recordings that have
// ended and have no command timeline yet, plays them in the export worker
// (lib/export/text-budget.ts: a terminal under a time and memory budget),
// and adds the commands to their summaries, so that the list can find a
// recording by a command line entered in it (`cmd=`). The newest first.
// A summary rewritten meanwhile (its recording grew) is left alone: it is
// read again once it has ended again.

/** Summaries read per search. */
const BATCH = 4;
/** A recording with more messages than this is not read for its commands (its summary says so). */
export const MAX_COMMAND_MESSAGES = 200_000;

interface Target {
  client: Client;
  /** ES_INDEX. */
  index: string;
  summaryIndex: string;
  fields: FieldNames;
}

/** A summary updated is searchable after a refresh: until then it is skipped by its rec. */
const REMEMBER_MS = 5 * 60_000;

/** The body that finds ended recordings without commands, newest first (but those in `skip`). */
export function pendingCommandsBody(pattern: string, nowMs: number, skip: string[] = []) {
  return {
    size: BATCH,
    seq_no_primary_term: true,
    _source: ['rec', 'messages', 'has_input'],
    query: {
      bool: {
        filter: [
          { term: { kind: 'summary' } },
          { term: { pattern } },
          { range: { end: { lt: nowMs - LIVE_WINDOW_MS } } },
        ],
        must_not: [
          { term: { commands_done: true } },
          ...(skip.length > 0 ? [{ terms: { rec: skip } }] : []),
        ],
      },
    },
    sort: [{ end: { order: 'desc' } }, { rec: { order: 'asc' } }],
  };
}

const conflict = (err: unknown) => err instanceof errors.ResponseError && err.statusCode === 409;

/** The commands of one recording, or why they are not there. */
async function commandsOf(
  target: Target,
  doc: Pick<SummaryDocument, 'rec' | 'messages' | 'has_input'>,
): Promise<Partial<SummaryDocument>> {
  if (doc.messages > MAX_COMMAND_MESSAGES)
    return { commands_skipped: `more than ${MAX_COMMAND_MESSAGES} messages` };
  const release = await reserveTextExport();
  try {
    const lines = await readMessages(
      target.client,
      target.index,
      target.fields,
      OPEN_SCOPE,
      doc.rec,
      (err) => (err instanceof Error ? err : new Error(String(err))),
    );
    if (!lines) return { commands_skipped: 'no messages' };
    let found;
    try {
      found = await commandsInWorker(lines, doc.has_input);
    } finally {
      await lines.close();
    }
    return {
      commands: found.commands,
      command_lines: found.commands.map((c) => c.line),
      commands_truncated: found.truncated,
    };
  } finally {
    release();
  }
}

/**
 * Adds the commands of ended recordings to their summaries for about
 * `budgetMs`; returns how many summaries it completed. `recent`: the recs
 * done lately and when (kept by the caller from one call to the next).
 */
export async function addCommands(
  target: Target,
  budgetMs: number,
  recent: Map<string, number>,
  now = Date.now,
): Promise<number> {
  const started = now();
  for (const [rec, at] of recent) if (started - at > REMEMBER_MS) recent.delete(rec);
  let done = 0;
  while (now() - started < budgetMs) {
    const answer = await target.client.search<SummaryDocument>({
      index: target.summaryIndex,
      ...SEARCH_OPTIONS,
      ...pendingCommandsBody(target.index, now(), [...recent.keys()]),
    });
    const hits = answer.hits.hits.filter((h) => h._source && h._id);
    if (hits.length === 0) break;
    for (const hit of hits) {
      const doc = hit._source as SummaryDocument;
      let fields: Partial<SummaryDocument>;
      try {
        fields = await commandsOf(target, doc);
      } catch (err) {
        // A recording the worker cannot play (over its budget, say) is not tried again and again.
        const reason = err instanceof Error ? err.message : String(err);
        console.warn(`summaries: no commands for ${doc.rec}: ${reason}`);
        fields = { commands_skipped: reason.slice(0, 300) };
      }
      await target.client
        .update({
          index: target.summaryIndex,
          id: hit._id as string,
          if_seq_no: hit._seq_no,
          if_primary_term: hit._primary_term,
          doc: { ...fields, commands_done: true },
        })
        .catch((err: unknown) => {
          // Rewritten meanwhile (the recording grew): read again when it has ended.
          if (!conflict(err)) throw err;
        });
      recent.set(doc.rec, now());
      done += 1;
      if (now() - started >= budgetMs) break;
    }
    if (hits.length < BATCH) break;
  }
  return done;
}
