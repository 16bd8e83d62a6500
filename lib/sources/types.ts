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
}

export const SORTS = ['start:desc', 'start:asc'] as const;
export type Sort = (typeof SORTS)[number];

export interface ListQuery {
  user?: string;
  host?: string;
  /** Unix ms bounds on the recording's messages. */
  fromMs?: number;
  toMs?: number;
  sort: Sort;
  size: number;
}

export interface ListResult {
  items: RecordingSummary[];
  nextCursor: string | null;
  total: number;
}

export interface SourceHealth {
  kind: 'elasticsearch' | 'files';
  reachable: boolean;
  /** Elasticsearch's cluster status: green, yellow or red. */
  cluster?: string;
  /** tlog messages behind the source (documents in the index pattern, or lines in files). */
  messages?: number;
  detail: string;
}

export interface RecordingSource {
  readonly kind: 'elasticsearch' | 'files';
  list(scope: Scope, query: ListQuery): Promise<ListResult>;
  /** null when the recording is missing or outside the scope. */
  get(scope: Scope, id: string): Promise<RecordingSummary | null>;
  /**
   * The recording's messages in id order, each as the exact JSON text stored.
   * null when the recording is missing or outside the scope.
   */
  messages(scope: Scope, id: string, signal?: AbortSignal): Promise<AsyncIterable<string> | null>;
  health(): Promise<SourceHealth>;
}
