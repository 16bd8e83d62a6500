// The one door to recordings. Both sources (Elasticsearch, files) implement
// RecordingSource; API routes and pages talk only to this interface.

/** What the caller may see: host and user glob patterns (`*` and `?`). */
export interface Scope {
  hosts: string[];
  users: string[];
}

/** Open access: every host, every user. */
export const OPEN_SCOPE: Scope = { hosts: ['*'], users: ['*'] };

export interface RecordingSummary {
  id: string;
  host: string;
  user: string;
  session: number;
  term: string;
  /** ISO 8601. */
  start: string;
  end: string;
  durationMs: number;
  messages: number;
  hasInput: boolean;
  /** Missing message ids. */
  gaps: number;
  /** Present (true) while in progress: its last event is less than LIVE_WINDOW_MS old. */
  live?: true;
  /** With a text search: where the text first appears. */
  match?: TextMatch;
  /** With a command search (`cmd`): the first command line that matches. */
  command?: CommandMatch;
}

/** A command line a command search found (docs/commands.md). */
export interface CommandMatch {
  /** ms from the recording's start: the command's moment. */
  atMs: number;
  line: string;
  cwd: string | null;
}

/** A recording whose last event is this recent is shown as in progress. */
export const LIVE_WINDOW_MS = 120_000;

/** A piece of a search snippet: plain text, `hit` where the search matched. Never HTML. */
export interface SnippetPart {
  text: string;
  hit: boolean;
}

export interface TextMatch {
  snippet: SnippetPart[];
  /** ms from the recording's start when the matched text is printed. */
  atMs: number;
  /** The tlog message id holding it. */
  messageId: number;
}

export const SORTS = [
  'start:desc',
  'start:asc',
  'duration:desc',
  'duration:asc',
  'user:asc',
  'user:desc',
  'host:asc',
  'host:desc',
] as const;
export type Sort = (typeof SORTS)[number];

export interface ListQuery {
  /** One value or several (any of them). */
  user?: string | string[];
  host?: string | string[];
  /** Audit session id (4294967295: outside a login session). */
  session?: number;
  /** Unix ms bounds: a recording matches when one of its messages falls between. */
  fromMs?: number;
  toMs?: number;
  /** Recordings whose last message starts at least this long after the start. */
  minDurationMs?: number;
  /** Words in the output text (Elasticsearch simple_query_string syntax, AND by default). */
  q?: string;
  /** A word or phrase of a command line entered (docs/commands.md; needs the summaries). */
  cmd?: string;
  sort: Sort;
  size: number;
  /** Opaque position from a previous page's nextCursor. */
  cursor?: string;
  /** Also count recordings by user and host. */
  facets?: boolean;
}

export interface FacetValue {
  value: string;
  /** Recordings. */
  count: number;
}

export interface Facets {
  users: FacetValue[];
  hosts: FacetValue[];
}

export interface ListResult {
  items: RecordingSummary[];
  nextCursor: string | null;
  total: number;
  /** Set when `total` is an estimate (very many recordings, or several text/duration conditions at once). */
  totalApproximate?: boolean;
  facets?: Facets;
  /** Things the reader should know about the source (an index pattern matching nothing, skipped lines). */
  notices?: string[];
}

export interface SourceHealth {
  kind: 'elasticsearch' | 'files';
  reachable: boolean;
  /** The product behind ES_URL (ES_BACKEND, or asked of the cluster), and its version when it said. */
  backend?: 'elasticsearch' | 'opensearch';
  backendVersion?: string;
  /** Elasticsearch's cluster status: green, yellow or red. */
  cluster?: string;
  /** tlog messages behind the source (documents in the index pattern, or lines in files). */
  messages?: number;
  detail: string;
  /** Elasticsearch: whether the list comes from the summaries index, and the summarizer's state. */
  summaries?: {
    mode: 'ready' | 'backfill' | 'unavailable';
    percent?: number;
    reason?: string;
    summarizer?: { phase: string; percent?: number; behind?: number; error?: string };
  };
}

/** A recording's messages, each the JSON text stored, in id order. */
export interface MessageStream extends AsyncIterable<string> {
  /**
   * The same messages as NDJSON (each line ended by a line feed), in chunks
   * of about 64 KiB: what the messages API sends, without a string made for
   * each message. A stream is read one way or the other, once.
   */
  ndjson(): AsyncIterable<Uint8Array>;
  /** Stops reading and frees what the read holds (a point in time), read or not. */
  close(): Promise<void>;
}

/** A message read while following a recording (lib/live): its id, who it names, and its exact JSON text. */
export interface TailMessage {
  id: number;
  host: string;
  user: string;
  /** Unix ms of its first event (`time`), null when it has none. */
  timeMs: number | null;
  line: string;
}

/** Message ids from `from` to `to`, both included. */
export interface IdRange {
  from: number;
  to: number;
}

export interface TailRequest {
  /** Messages with an id above this one... */
  afterId: number;
  /** ...and these ids below it, still missing (a late arrival fills them). */
  missing: readonly number[];
  /** At most this many, lowest ids first. */
  limit: number;
}

export interface RecordingSource {
  readonly kind: 'elasticsearch' | 'files';
  list(scope: Scope, query: ListQuery): Promise<ListResult>;
  /** null when the recording is missing or outside the scope. */
  get(scope: Scope, id: string): Promise<RecordingSummary | null>;
  /**
   * The recording's messages in id order, each as the exact JSON text stored.
   * null when the recording is missing or outside the scope. With `range`,
   * only the messages whose id is in it (the player's re-fetch of output it
   * let go, docs/memory.md); null also when none is.
   */
  messages(
    scope: Scope,
    id: string,
    signal?: AbortSignal,
    range?: IdRange,
  ): Promise<MessageStream | null>;
  /**
   * What has arrived of a recording since a point (live follow, lib/live):
   * ids above `afterId` and any of `missing`, in id order, scope applied,
   * read without going over what was read before. An empty array when there
   * is nothing new, or no such recording.
   */
  tail(
    scope: Scope,
    id: string,
    request: TailRequest,
    signal?: AbortSignal,
  ): Promise<TailMessage[]>;
  health(): Promise<SourceHealth>;
}
