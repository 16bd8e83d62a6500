import type { CommandEntry } from '@/lib/replay/commands/types';
import { firstCommandMatch } from '../listing/command-query';
import { isUnrestricted } from '../scope';
import { asOf } from '../summary';
import {
  type CommandMatch,
  type FacetValue,
  type ListQuery,
  type ListResult,
  type RecordingSummary,
  type Scope,
  type TextMatch,
} from '../types';
import { decodeCursor, encodeCursor, type ListCursor } from '../listing/cursor';
import {
  compareKeys,
  comparePositions,
  sortPlan,
  type Position,
  type SortPlan,
} from '../listing/order';
import { buildSnippet, hitMoment } from '../listing/text';
import { matchText, parseTextQuery, type TextQuery } from '../listing/text-query';
import { scopedRecording, type IndexedRecording, type StoredMessage } from './recordings';

// The list over the files source's in-memory index, with the same meaning
// as the Elasticsearch source's (see lib/sources/listing/order.ts): a
// condition on messages (text, time range) holds when one message meets it,
// figures and order are those of the whole recording, cursors are positions.

const FACET_SIZE = 12;

const values = (v: string | string[] | undefined): string[] =>
  v === undefined ? [] : Array.isArray(v) ? v : [v];

interface Candidate {
  recording: IndexedRecording;
  position: Position;
  match?: TextMatch;
  command?: CommandMatch;
}

function firstMatch(
  messages: StoredMessage[],
  text: TextQuery | null,
  query: ListQuery,
): TextMatch | null | undefined {
  const inRange = (m: StoredMessage) =>
    (query.fromMs === undefined || m.timeMs >= query.fromMs) &&
    (query.toMs === undefined || m.timeMs <= query.toMs);
  if (!text) {
    // Active during from..to: a message at or after `from` and one at or before `to`.
    const active =
      (query.fromMs === undefined || messages.some((m) => m.timeMs >= (query.fromMs ?? 0))) &&
      (query.toMs === undefined || messages.some((m) => m.timeMs <= (query.toMs ?? 0)));
    return active ? undefined : null;
  }
  for (const m of messages) {
    if (!inRange(m)) continue;
    const hits = matchText(text, m.out);
    if (!hits) continue;
    return { snippet: buildSnippet(m.out, hits), atMs: hitMoment(m, m.out, hits), messageId: m.id };
  }
  return null;
}

function after(plan: SortPlan, cursor: ListCursor, position: Position): boolean {
  if (cursor.groupDone && plan.group) {
    const d = compareKeys(position.group ?? '', cursor.position.group ?? '');
    return plan.groupDir === 'asc' ? d > 0 : d < 0;
  }
  return comparePositions(plan, position, cursor.position) > 0;
}

function top(counts: Map<string, number>): FacetValue[] {
  return [...counts]
    .map(([value, count]) => ({ value, count }))
    .sort((a, b) => b.count - a.count || compareKeys(a.value, b.value))
    .slice(0, FACET_SIZE);
}

/** The whole filtered, ordered list of a query, before its cursor: reusable for each page. */
export interface PreparedList {
  plan: SortPlan;
  matching: Candidate[];
  facets: { users: FacetValue[]; hosts: FacetValue[] } | null;
  /** Recordings in the list whose messages name more than one host or user. */
  mixed: number;
}

/**
 * `commands`: each recording's command timeline (files/commands.ts), needed
 * when the query has `cmd`.
 */
export function prepareList(
  recordings: Iterable<IndexedRecording>,
  scope: Scope,
  query: ListQuery,
  commands: Map<string, CommandEntry[]> = new Map(),
): PreparedList {
  const plan = sortPlan(query.sort);
  const users = new Set(values(query.user));
  const hosts = new Set(values(query.host));
  const text = query.q === undefined ? null : parseTextQuery(query.q);
  const conditional = text !== null || query.fromMs !== undefined || query.toMs !== undefined;

  // Everything but the names first: the facets need it.
  const pool: Candidate[] = [];
  for (const indexed of recordings) {
    const recording = scopedRecording(indexed, scope);
    if (!recording) continue;
    const s = recording.summary;
    if (query.session !== undefined && s.session !== query.session) continue;
    if (query.minDurationMs !== undefined && recording.lastPos < query.minDurationMs) continue;
    let command: CommandMatch | undefined;
    if (query.cmd !== undefined) {
      // A recording with messages of others (forged or damaged) is read whole: only for those who may see all.
      const own = !indexed.mixed || (isUnrestricted(scope.hosts) && isUnrestricted(scope.users));
      const found = own ? firstCommandMatch(commands.get(s.id) ?? [], query.cmd) : null;
      if (!found) continue;
      command = { atMs: found.t, line: found.line, cwd: found.cwd };
    }
    let match: TextMatch | undefined;
    if (conditional) {
      const found = firstMatch(recording.messages, text, query);
      if (found === null) continue;
      match = found;
    }
    const metric = plan.metric === 'start' ? recording.startKey : recording.lastPos;
    const group = plan.group === 'user' ? s.user : plan.group === 'host' ? s.host : undefined;
    pool.push({
      recording,
      position: { ...(group !== undefined ? { group } : {}), metric, rec: s.id },
      ...(match ? { match } : {}),
      ...(command ? { command } : {}),
    });
  }
  const named = (c: Candidate, user = true, host = true) =>
    (!user || users.size === 0 || users.has(c.recording.summary.user)) &&
    (!host || hosts.size === 0 || hosts.has(c.recording.summary.host));

  const matching = pool
    .filter((c) => named(c))
    .sort((a, b) => comparePositions(plan, a.position, b.position));
  let facets: PreparedList['facets'] = null;
  if (query.facets) {
    const byUser = new Map<string, number>();
    const byHost = new Map<string, number>();
    for (const c of pool) {
      const { user, host } = c.recording.summary;
      if (named(c, false, true)) byUser.set(user, (byUser.get(user) ?? 0) + 1);
      if (named(c, true, false)) byHost.set(host, (byHost.get(host) ?? 0) + 1);
    }
    facets = { users: top(byUser), hosts: top(byHost) };
  }
  return { plan, matching, facets, mixed: matching.filter((c) => c.recording.mixed).length };
}

/** One page of a prepared list, from the query's cursor. */
export function pageOf(prepared: PreparedList, query: ListQuery, nowMs = Date.now()): ListResult {
  const { plan, matching } = prepared;
  const cursor = query.cursor === undefined ? null : decodeCursor(query.cursor, query.sort);
  let from = 0;
  if (cursor) {
    // The list is ordered: find the first position after the cursor.
    let lo = 0;
    let hi = matching.length;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      const c = matching[mid];
      if (c && after(plan, cursor, c.position)) hi = mid;
      else lo = mid + 1;
    }
    from = lo;
  }
  const page = matching.slice(from, from + query.size);
  const last = page[page.length - 1];
  const items = page.map(({ recording, match, command }): RecordingSummary => {
    const summary = asOf(recording.summary, nowMs);
    return { ...summary, ...(match ? { match } : {}), ...(command ? { command } : {}) };
  });
  return {
    items,
    nextCursor:
      from + query.size < matching.length && last ? encodeCursor(query.sort, last.position) : null,
    total: matching.length,
    ...(prepared.facets ? { facets: prepared.facets } : {}),
  };
}

export function listIndexed(
  recordings: Iterable<IndexedRecording>,
  scope: Scope,
  query: ListQuery,
  nowMs = Date.now(),
): ListResult {
  return pageOf(prepareList(recordings, scope, query), query, nowMs);
}
