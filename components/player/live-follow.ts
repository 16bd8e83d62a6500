import { validateMessage, type TlogMessage } from '@/lib/tlog';
import { apiMessage } from './load-recording';

// The browser's side of live follow (docs/live.md): one long-lived NDJSON
// response from /api/recordings/{rec}/live, read line by line. A connection
// that drops, goes silent past two heartbeats, or is cut off by the server
// for reading too slowly is opened again after the last message id received,
// so nothing is lost or shown twice across a reconnect.

export type LiveState = 'connecting' | 'live' | 'idle' | 'reconnecting' | 'ended' | 'stopped';

export interface LiveView {
  state: LiveState;
  /** performance.now() of the recording's last new message, as the server counts it (null: unknown). */
  quietSince: number | null;
  /** Why it reconnects, stopped, or what went wrong while polling. */
  message: string | null;
  /** Connections opened so far (1 + reconnects). */
  connections: number;
}

export interface FollowOptions {
  recordingId: string;
  /** The last message id held, and the ids missing near it: asked again on every (re)connect. */
  position: () => { afterId: number; missing: number[] };
  onMessage: (message: TlogMessage) => void;
  /** A line that is not a valid message (it is counted, as when loading). */
  onProblem: (error: string) => void;
  onView: (view: LiveView) => void;
  signal: AbortSignal;
}

type ConnectOptions = Omit<FollowOptions, 'onView'> & {
  onView: (view: Omit<LiveView, 'connections'>) => void;
};

/** No line for this long (the server sends one at least every 15 s): the connection is dead. */
const SILENCE_MS = 45_000;
const RETRY_MAX_MS = 15_000;

export const liveUrl = (recordingId: string, afterId: number, missing: number[]) => {
  const query = new URLSearchParams({ after: String(afterId) });
  if (missing.length > 0) query.set('missing', missing.join(','));
  return `/api/recordings/${encodeURIComponent(recordingId)}/live?${query}`;
};

type Outcome =
  | { kind: 'ended'; message: string }
  | { kind: 'stopped'; message: string }
  | { kind: 'retry'; message: string; now?: boolean; quiet?: boolean };

/** Follows until the recording ends, the server refuses, or `signal` aborts. */
export async function followLive(options: FollowOptions): Promise<void> {
  const { signal, onView } = options;
  let failures = 0;
  let quietSince: number | null = null;
  let connections = 0;
  const view = (state: LiveState, message: string | null = null) =>
    onView({ state, quietSince, message, connections });
  view('connecting');
  while (!signal.aborted) {
    connections += 1;
    const outcome = await connect(
      { ...options, onView: (v) => onView({ ...v, connections }) },
      (since) => {
        quietSince = since;
        failures = 0;
      },
    );
    if (signal.aborted) return;
    if (outcome.kind === 'ended') return view('ended', outcome.message);
    if (outcome.kind === 'stopped') return view('stopped', outcome.message);
    // The server's planned reconnect (LIVE_STREAM_MAX_SECONDS) is not news.
    if (!outcome.quiet) view('reconnecting', outcome.message);
    const wait = outcome.now ? 0 : Math.min(RETRY_MAX_MS, 1000 * 2 ** failures);
    if (!outcome.quiet) failures += 1;
    await sleep(wait, signal);
  }
}

async function connect(
  options: ConnectOptions,
  onQuiet: (since: number) => void,
): Promise<Outcome> {
  const { recordingId, position, onMessage, onProblem, onView, signal } = options;
  const { afterId, missing } = position();
  const connection = new AbortController();
  const stop = () => connection.abort();
  signal.addEventListener('abort', stop, { once: true });
  let watchdog = 0;
  const alive = () => {
    window.clearTimeout(watchdog);
    watchdog = window.setTimeout(stop, SILENCE_MS);
  };
  try {
    alive();
    const response = await fetch(liveUrl(recordingId, afterId, missing), {
      signal: connection.signal,
      cache: 'no-store',
    });
    if (!response.ok || !response.body) return await refused(response);
    const reader = response.body.pipeThrough(new TextDecoderStream()).getReader();
    let pending = '';
    for (;;) {
      const { value, done } = await reader.read();
      if (done) return { kind: 'retry', message: 'The live connection closed; reconnecting' };
      alive();
      pending += value;
      const cut = pending.lastIndexOf('\n') + 1;
      if (cut === 0) continue;
      const lines = pending.slice(0, cut).split('\n');
      pending = pending.slice(cut);
      for (const line of lines) {
        if (line.trim() === '') continue;
        let json: unknown;
        try {
          json = JSON.parse(line);
        } catch {
          onProblem('a line is not JSON');
          continue;
        }
        const control = controlLine(json);
        if (control?.end) return endOutcome(control.end);
        if (control?.live) {
          const { state, quietMs, problem } = control.live;
          if (typeof quietMs === 'number' && quietMs >= 0) onQuiet(performance.now() - quietMs);
          if (typeof problem === 'string')
            onView({ state: 'reconnecting', quietSince: null, message: problem });
          else if (state === 'live' || state === 'idle')
            onView({
              state,
              quietSince: typeof quietMs === 'number' ? performance.now() - quietMs : null,
              message: null,
            });
          continue;
        }
        const message = validateMessage(json);
        if (message.ok) onMessage(message.value);
        else onProblem(message.error);
      }
    }
  } catch {
    if (signal.aborted) return { kind: 'stopped', message: '' };
    return { kind: 'retry', message: 'The live connection was lost; reconnecting' };
  } finally {
    window.clearTimeout(watchdog);
    signal.removeEventListener('abort', stop);
    connection.abort();
  }
}

interface ControlLine {
  live?: { state?: unknown; quietMs?: unknown; problem?: unknown };
  end?: { reason?: unknown; message?: unknown };
}

/** A `{"live":...}` or `{"end":...}` line (a tlog message has neither key). */
function controlLine(json: unknown): ControlLine | null {
  if (typeof json !== 'object' || json === null) return null;
  if ('live' in json && typeof json.live === 'object' && json.live !== null)
    return { live: json.live };
  if ('end' in json && typeof json.end === 'object' && json.end !== null) return { end: json.end };
  return null;
}

function endOutcome(end: NonNullable<ControlLine['end']>): Outcome {
  const message = typeof end.message === 'string' ? end.message : 'Live follow stopped';
  if (end.reason === 'ended') return { kind: 'ended', message };
  // The session may have been renewed meanwhile: one more try, which a refusal ends for good.
  if (end.reason === 'session') return { kind: 'retry', message };
  if (end.reason === 'rotate') return { kind: 'retry', message, now: true, quiet: true };
  // Too slow, or the server stopped the feed: after the last id received (at once when too slow).
  return { kind: 'retry', message, now: end.reason === 'slow' };
}

async function refused(response: Response): Promise<Outcome> {
  const body: unknown = await response.json().catch(() => null);
  const message = apiMessage(body) ?? `The server answered ${response.status}`;
  // The cap, or the server is busy or unreachable: worth trying again. Anything else is final.
  if (response.status === 429 || response.status >= 500) return { kind: 'retry', message };
  return { kind: 'stopped', message };
}

function sleep(ms: number, signal: AbortSignal): Promise<void> {
  return new Promise((resolve) => {
    const done = () => {
      window.clearTimeout(timer);
      signal.removeEventListener('abort', done);
      resolve();
    };
    const timer = window.setTimeout(done, ms);
    signal.addEventListener('abort', done, { once: true });
  });
}
