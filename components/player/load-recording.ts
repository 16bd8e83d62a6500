import { TimelineBuilder, validateMessage, type Timeline } from '@/lib/tlog';
import { messagesResponse } from './early-messages';

export interface LoadProgress {
  timeline: Timeline;
  complete: boolean;
}

export interface LoadHooks {
  /** After each message pushed: its id, and the timeline's events now. */
  pushed?: (id: number, events: number) => void;
  /** Awaited before reading on: slows the network read down (the memory budget). */
  pace?: () => Promise<void>;
}

/**
 * Streams a recording's messages from the API into a timeline, calling
 * `onProgress` after each network chunk. Rejects with a readable message;
 * a final `{"error":...}` line means the server failed mid-stream.
 */
export async function loadRecording(
  recordingId: string,
  onProgress: (progress: LoadProgress) => void,
  signal: AbortSignal,
  /** Where the messages go (live follow keeps pushing into it afterwards). */
  builder: TimelineBuilder = new TimelineBuilder(),
  hooks: LoadHooks = {},
): Promise<void> {
  const response = await messagesResponse(recordingId, signal);
  if (!response.ok || !response.body) {
    const body: unknown = await response.json().catch(() => null);
    throw new Error(apiMessage(body) ?? `The server answered ${response.status}`);
  }
  const reader = response.body.pipeThrough(new TextDecoderStream()).getReader();
  let pending = '';
  for (;;) {
    const { value, done } = await reader.read();
    if (value) pending += value;
    // Only whole lines are parsed; a line split across chunks waits for its end.
    const cut = done ? pending.length : pending.lastIndexOf('\n') + 1;
    if (cut > 0) {
      const lines = pending.slice(0, cut).split('\n');
      pending = pending.slice(cut);
      for (const line of lines) {
        if (line.trim() === '') continue;
        let json: unknown;
        try {
          json = JSON.parse(line);
        } catch {
          builder.problem(-1, 'a line is not JSON');
          continue;
        }
        const error = apiMessage(json);
        if (error) {
          // What arrived before the failure is handed over first: it stays playable.
          onProgress({ timeline: builder.timeline, complete: false });
          throw new Error(error);
        }
        const message = validateMessage(json);
        if (message.ok) {
          builder.push(message.value);
          hooks.pushed?.(message.value.id, builder.timeline.events.length);
        } else builder.problem(-1, message.error);
      }
    }
    onProgress({ timeline: builder.timeline, complete: done });
    if (done) return;
    await hooks.pace?.();
  }
}

/** The message of the API's `{"error":{"message"}}` shape, or null for anything else. */
export function apiMessage(body: unknown): string | null {
  if (typeof body !== 'object' || body === null || !('error' in body)) return null;
  const error = body.error;
  if (typeof error !== 'object' || error === null || !('message' in error)) return null;
  return typeof error.message === 'string' ? error.message : null;
}
