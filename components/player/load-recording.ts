import { TimelineBuilder, validateMessage, type Timeline } from '@/lib/tlog';

/**
 * Streams a recording's messages from the API into a timeline, calling
 * `onProgress` after each network chunk. Rejects with a readable message.
 */
export async function loadRecording(
  recordingId: string,
  onProgress: (timeline: Timeline, complete: boolean) => void,
  signal: AbortSignal,
): Promise<void> {
  const response = await fetch(`/api/recordings/${encodeURIComponent(recordingId)}/messages`, {
    signal,
  });
  if (!response.ok || !response.body) {
    const body: unknown = await response.json().catch(() => null);
    throw new Error(apiMessage(body) ?? `The server answered ${response.status}`);
  }
  const builder = new TimelineBuilder();
  const reader = response.body.pipeThrough(new TextDecoderStream()).getReader();
  let pending = '';
  for (;;) {
    const { value, done } = await reader.read();
    if (value) pending += value;
    const lines = pending.split('\n');
    pending = done ? '' : (lines.pop() ?? '');
    for (const line of lines) {
      if (line.trim() === '') continue;
      const json: unknown = JSON.parse(line);
      const error = apiMessage(json);
      if (error) throw new Error(error);
      const message = validateMessage(json);
      if (message.ok) builder.push(message.value);
      else builder.timeline.problems.push({ id: -1, error: message.error });
    }
    onProgress(builder.timeline, done);
    if (done) return;
  }
}

function apiMessage(body: unknown): string | null {
  if (typeof body !== 'object' || body === null || !('error' in body)) return null;
  const error = body.error;
  if (typeof error !== 'object' || error === null || !('message' in error)) return null;
  return typeof error.message === 'string' ? error.message : null;
}
