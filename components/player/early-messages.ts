// The first frame waits for two things: the player's code (xterm.js and the
// engine, a chunk of its own, asked for once the page has hydrated) and the
// recording's first messages. Fetched one after the other, the request went
// out only once xterm had started. Now the page's HTML starts it with an
// inline script (early-messages-script.tsx), or PlayerLoader at its first
// render after a client-side navigation; the player takes that response when
// it mounts, or fetches anew when there is none.

export const messagesUrl = (recordingId: string) =>
  `/api/recordings/${encodeURIComponent(recordingId)}/messages`;

/** Where the inline script leaves its request for the player. */
export const EARLY_GLOBAL = '__audittyEarlyMessages';

interface Early {
  recordingId: string;
  controller: AbortController;
  response: Promise<Response>;
  /** The player has it: another render of the loader must not ask again. */
  taken: boolean;
}

/** At most one early request: a page shows one recording. */
let early: Early | null = null;

/** The request the page's inline script started, taken over once. */
function fromScript(): void {
  const global = window as unknown as Record<string, Early | undefined>;
  const started = global[EARLY_GLOBAL];
  if (!started) return;
  delete global[EARLY_GLOBAL];
  if (early?.recordingId === started.recordingId) started.controller.abort();
  else replace(started);
}

/** A player owns the request it took (and ends it); one nobody took is dropped. */
function replace(next: Early | null): void {
  if (early && !early.taken) early.controller.abort();
  early = next;
}

/** Starts the messages request for the player about to mount (once per recording). */
export function requestMessagesEarly(recordingId: string): void {
  if (typeof window === 'undefined') return;
  fromScript();
  if (early?.recordingId === recordingId) return;
  const controller = new AbortController();
  const response = fetch(messagesUrl(recordingId), { signal: controller.signal });
  // Whoever takes it sees any failure; untaken, it must not be an unhandled rejection.
  response.catch(() => {});
  replace({ recordingId, controller, response, taken: false });
}

/** The loader went away: its request ends unless a player took it (the player ends it then). */
export function cancelMessagesEarly(recordingId: string): void {
  fromScript();
  if (early?.recordingId === recordingId) replace(null);
}

/**
 * The response for `recordingId`: the early one if it is waiting (then
 * aborting `signal` aborts it), or a new request.
 */
export function messagesResponse(recordingId: string, signal: AbortSignal): Promise<Response> {
  fromScript();
  const waiting = early?.recordingId === recordingId && !early.taken ? early : null;
  if (!waiting) return fetch(messagesUrl(recordingId), { signal });
  waiting.taken = true;
  if (signal.aborted) waiting.controller.abort();
  else signal.addEventListener('abort', () => waiting.controller.abort(), { once: true });
  return waiting.response;
}
