import { decodeOutputs, type FetchOutput } from '@/lib/replay/output-chunks';
import { messagesUrl } from './early-messages';
import { apiMessage } from './load-recording';

// Fetching output again that the player let go over its memory budget
// (lib/replay/output-chunks.ts, docs/memory.md): the messages of an id range
// from the messages API, decoded as the timeline decoded them, reduced to
// the bytes of their output events in order.

export function fetchOutput(recordingId: string, signal: AbortSignal): FetchOutput {
  return async (firstId, lastId) => {
    const url = `${messagesUrl(recordingId)}?from=${firstId}&to=${lastId}`;
    const response = await fetch(url, { signal, cache: 'no-store' });
    const text = await response.text();
    if (!response.ok) {
      let body: unknown = null;
      try {
        body = JSON.parse(text);
      } catch {
        // A proxy's page: the status says enough.
      }
      throw new Error(apiMessage(body) ?? `the server answered ${response.status}`);
    }
    const values: unknown[] = [];
    for (const line of text.split('\n')) {
      if (line.trim() === '') continue;
      let json: unknown;
      try {
        json = JSON.parse(line);
      } catch {
        continue; // Skipped when it was first read too (a problem of the recording).
      }
      const error = apiMessage(json);
      if (error) throw new Error(error);
      values.push(json);
    }
    return decodeOutputs(values);
  };
}
