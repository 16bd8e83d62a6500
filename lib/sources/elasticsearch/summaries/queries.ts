// Request bodies of the summaries index, by pure functions (tests check them
// without a cluster): what the summarizer reads from the messages, and the
// list, its total and its facets on the summaries.

import { recordingFilters, textCondition, values } from '../list-conditions';
import { firstMatchAgg } from '../list-queries';
import type { ListCursor } from '../../listing/cursor';
import { sortPlan, type SortPlan } from '../../listing/order';
import type { ListQuery, Scope } from '../../types';

import { recordingAggs, scopeFilters, type FieldNames } from '../queries';
import { patternKey } from './document';

type Query = Record<string, unknown>;

/** Recordings summarized per request of the summarizer (a composite page, a recompute batch). */
export const SUMMARY_BATCH = 500;
/** New messages read per shard and round. */
export const NEW_MESSAGES_BATCH = 10_000;

/**
 * The precision of the summarizer's first count of distinct ids: six times
 * cheaper than EXACT_IDS_BELOW on a page of 500 recordings, and as exact
 * below it. A recording with this many messages or more is counted again at
 * EXACT_IDS_BELOW (summarizer.ts), so summaries equal GET /api/recordings/{rec}.
 */
export const FAST_IDS_BELOW = 3000;

/** What a summary document needs beyond a list summary's figures (document.ts SummaryBucket). */
function summaryAggs(fields: FieldNames, precision: number): Query {
  return recordingAggs(
    true,
    {
      last_ts: { max: { field: 'timestamp' } },
      last_pos: { max: { field: 'pos' } },
      hosts: { cardinality: { field: fields.host, precision_threshold: 10 } },
      users: { cardinality: { field: fields.user, precision_threshold: 10 } },
      indices: { terms: { field: '_index', size: 100 } },
    },
    precision,
  );
}

/** Every recording, a page of SUMMARY_BATCH at a time, from `after` (the first start). */
export function backfillBody(fields: FieldNames, after: Record<string, unknown> | null) {
  return {
    size: 0,
    track_total_hits: false,
    aggs: {
      recs: {
        composite: {
          size: SUMMARY_BATCH,
          sources: [{ rec: { terms: { field: fields.rec } } }],
          ...(after ? { after } : {}),
        },
        aggs: summaryAggs(fields, FAST_IDS_BELOW),
      },
    },
  };
}

/** The given recordings again, from all their messages (a round's touched recordings). */
export function recomputeBody(fields: FieldNames, recs: string[], precision = FAST_IDS_BELOW) {
  return {
    size: 0,
    track_total_hits: false,
    query: { bool: { filter: [{ terms: { [fields.rec]: recs } }] } },
    aggs: {
      recs: {
        terms: { field: fields.rec, size: Math.max(1, recs.length) },
        aggs: summaryAggs(fields, precision),
      },
    },
  };
}

/**
 * A shard's messages from sequence number `after` (excluded) to `upTo`,
 * oldest first: which recordings new messages touched. Sequence numbers
 * grow with every write to a shard, whatever the message's own time, so a
 * message that arrives hours late is read like any other.
 */
export function newMessagesBody(fields: FieldNames, after: number, upTo: number) {
  return {
    size: NEW_MESSAGES_BATCH,
    track_total_hits: false,
    _source: false,
    docvalue_fields: [fields.rec],
    query: { range: { _seq_no: { gt: after, lte: upTo } } },
    sort: [{ _seq_no: 'asc' }],
  };
}

/** Summary fields: keywords, so the scope's patterns apply as they do to messages. */
const SUMMARY_FIELDS: FieldNames = { rec: 'rec', host: 'host', user: 'user' };

const orderField = (plan: SortPlan) => (plan.metric === 'start' ? 'first_ts' : 'last_pos');

/**
 * The filters of a list on summaries: its deployment's documents, the
 * caller's scope, names, session, minimum duration, and "active during"
 * from..to: a message at or before `to` and one at or after `from` (as the
 * list over messages decides it). A caller who may not see everything does
 * not see a recording whose messages name several hosts or users (forged or
 * damaged): its figures would count messages outside the scope.
 */
export function summaryFilters(
  pattern: string,
  scope: Scope,
  query: Omit<ListQuery, 'sort' | 'size'>,
  names = true,
): Query[] {
  const filters: Query[] = [
    { term: { kind: 'summary' } },
    { term: { pattern } },
    ...scopeFilters(SUMMARY_FIELDS, scope),
  ];
  const unrestricted = scope.hosts.includes('*') && scope.users.includes('*');
  if (!unrestricted) filters.push({ term: { mixed: false } });
  if (names) {
    const users = values(query.user);
    const hosts = values(query.host);
    if (users.length > 0) filters.push({ terms: { user: users } });
    if (hosts.length > 0) filters.push({ terms: { host: hosts } });
  }
  if (query.session !== undefined) filters.push({ term: { session: query.session } });
  if (query.cmd !== undefined) filters.push(commandCondition(query.cmd));
  if (query.minDurationMs !== undefined)
    filters.push({ range: { last_pos: { gte: query.minDurationMs } } });
  if (query.toMs !== undefined) filters.push({ range: { first_ts: { lte: query.toMs } } });
  if (query.fromMs !== undefined) filters.push({ range: { last_ts: { gte: query.fromMs } } });
  return filters;
}

/** A word or phrase of a command line (docs/commands.md): the words in order. */
export function commandCondition(cmd: string): Query {
  return { match_phrase: { command_lines: { query: cmd, slop: 0 } } };
}

/** Around the first matching command line in a hit: which command it is. */
export const COMMAND_MARK = { pre: '\u0002', post: '\u0003' } as const;

/** The command lines that matched, whole (the page's hits then name their command). */
export function commandHighlight(cmd: string) {
  return {
    highlight: {
      fields: {
        command_lines: {
          number_of_fragments: 0,
          pre_tags: [COMMAND_MARK.pre],
          post_tags: [COMMAND_MARK.post],
          highlight_query: commandCondition(cmd),
        },
      },
    },
  };
}

/** The sort of a list on summaries: the same order as over messages (listing/order.ts). */
function sortOf(plan: SortPlan): Query[] {
  const metric = { [orderField(plan)]: { order: plan.dir } };
  const rec = { rec: { order: plan.dir } };
  return plan.group ? [{ [plan.group]: { order: plan.groupDir } }, metric, rec] : [metric, rec];
}

/**
 * One page of recordings on summaries, sorted, from the cursor on
 * (search_after: the same cost on page 10,000 as on page 1), with the exact
 * total. `recs`: only these recordings (those a text search found).
 */
export function summaryPageBody(
  pattern: string,
  scope: Scope,
  query: ListQuery,
  cursor: ListCursor | null,
  recs: string[] | null = null,
) {
  const plan = sortPlan(query.sort);
  const filters = summaryFilters(pattern, scope, query);
  if (recs) filters.push({ terms: { rec: recs } });
  let searchAfter: unknown[] | null = null;
  if (cursor) {
    const { position, groupDone } = cursor;
    if (plan.group && groupDone) {
      // The whole group was shown: on with the next one (cursors of the list over messages).
      filters.push({
        range: { [plan.group]: { [plan.groupDir === 'asc' ? 'gt' : 'lt']: position.group } },
      });
    } else {
      searchAfter = plan.group
        ? [position.group ?? '', position.metric, position.rec]
        : [position.metric, position.rec];
    }
  }
  return {
    size: query.size + 1,
    track_total_hits: true,
    query: { bool: { filter: filters } },
    sort: sortOf(plan),
    ...(searchAfter ? { search_after: searchAfter } : {}),
    // The command timeline is read only to name the command a `cmd` search found.
    ...(query.cmd !== undefined
      ? { ...commandHighlight(query.cmd), _source: { excludes: ['command_lines'] } }
      : { _source: { excludes: ['commands', 'command_lines'] } }),
  };
}

/** Users and hosts of the list's recordings, each facet without its own filter. */
export function summaryFacetsBody(
  pattern: string,
  scope: Scope,
  query: ListQuery,
  recs: string[] | null,
  size: number,
) {
  const filters = summaryFilters(pattern, scope, query, false);
  if (recs) filters.push({ terms: { rec: recs } });
  const users = values(query.user);
  const hosts = values(query.host);
  const only = (field: string, list: string[]): Query =>
    list.length > 0 ? { terms: { [field]: list } } : { match_all: {} };
  const facet = (field: string, other: Query) => ({
    filter: other,
    aggs: { top: { terms: { field, size, order: [{ _count: 'desc' }, { _key: 'asc' }] } } },
  });
  return {
    size: 0,
    track_total_hits: false,
    query: { bool: { filter: filters } },
    aggs: { users: facet('user', only('host', hosts)), hosts: facet('host', only('user', users)) },
  };
}

/** The summarizer's own documents: its progress and its lease, per deployment. */
export const progressId = (pattern: string) => `p:${patternKey(pattern)}`;
export const leaseId = (pattern: string) => `l:${patternKey(pattern)}`;

/** Summaries that hold messages of the given indices (gone or replaced: they are summarized again). */
export function inIndicesBody(pattern: string, indices: string[]) {
  return {
    size: SUMMARY_BATCH,
    track_total_hits: false,
    _source: ['rec'],
    query: {
      bool: {
        filter: [{ term: { kind: 'summary' } }, { term: { pattern } }, { terms: { indices } }],
      },
    },
    sort: [{ rec: 'asc' }],
  };
}

/**
 * A text search matching at most this many messages (so as many recordings)
 * first collects its recordings from them, then lists their summaries. One
 * matching more is a common word: the summaries are walked in the list's
 * order, a batch at a time, keeping those with a matching message.
 */
export const TEXT_RECORDINGS_LIMIT = 20_000;
/** Summaries per batch of that walk, and how many batches before it gives up (the list over messages answers). */
export const COMMON_BATCH = 1000;
export const COMMON_MAX_BATCHES = 20;

/** How many messages hold the text, counted up to TEXT_RECORDINGS_LIMIT + 1 only (cheap). */
export function textCountBody(fields: FieldNames, scope: Scope, query: ListQuery) {
  const match = textCondition(query);
  return {
    size: 0,
    track_total_hits: TEXT_RECORDINGS_LIMIT + 1,
    query: {
      bool: { filter: [...recordingFilters(fields, scope, query), ...(match ? [match] : [])] },
    },
  };
}

/** Which of these recordings hold the text. */
export function textAmongBody(fields: FieldNames, scope: Scope, query: ListQuery, recs: string[]) {
  const body = textCountBody(fields, scope, query);
  return {
    size: 0,
    track_total_hits: false,
    query: { bool: { filter: [...body.query.bool.filter, { terms: { [fields.rec]: recs } }] } },
    aggs: { recs: { terms: { field: fields.rec, size: Math.max(1, recs.length) } } },
  };
}

/**
 * The recordings whose messages hold the text (within the time range, if
 * any), and how many: from the matching messages only, so the cost grows
 * with the matches, not with the index.
 */
export function textRecordingsBody(fields: FieldNames, scope: Scope, query: ListQuery) {
  const match = textCondition(query);
  return {
    size: 0,
    track_total_hits: false,
    query: {
      bool: { filter: [...recordingFilters(fields, scope, query), ...(match ? [match] : [])] },
    },
    aggs: {
      n: { cardinality: { field: fields.rec, precision_threshold: 40_000 } },
      recs: { terms: { field: fields.rec, size: TEXT_RECORDINGS_LIMIT } },
    },
  };
}

/** The first match of the text in each of the page's recordings (its snippet and moment). */
export function firstMatchesBody(
  fields: FieldNames,
  scope: Scope,
  recs: string[],
  query: ListQuery,
) {
  const hit = firstMatchAgg(query);
  return {
    size: 0,
    track_total_hits: false,
    query: {
      bool: { filter: [...scopeFilters(fields, scope), { terms: { [fields.rec]: recs } }] },
    },
    aggs: {
      recs: {
        terms: { field: fields.rec, size: Math.max(1, recs.length) },
        ...(hit ? { aggs: { hit } } : {}),
      },
    },
  };
}
