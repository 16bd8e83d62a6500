// Timeline events packed into a few typed arrays, to hand them to the
// keyframe worker with postMessage as transferables instead of cloning one
// object per event.

import type { TimelineEvent } from '../tlog/timing';

export interface EventBatch {
  /** Index of the first event in the timeline. */
  first: number;
  /** 0 output, 1 window, 2 gap, 3 input. */
  kinds: Uint8Array;
  times: Float64Array;
  /** Output and input: byte length; window: cols; gap: first missing id. */
  a: Uint32Array;
  /** Window: rows; gap: ids missing. */
  b: Uint32Array;
  /** All output and input bytes, back to back. */
  data: Uint8Array;
}

const OUTPUT = 0;
const WINDOW = 1;
const GAP = 2;
const INPUT = 3;

export function packEvents(events: readonly TimelineEvent[], from: number, to: number): EventBatch {
  const n = Math.max(0, to - from);
  const batch: EventBatch = {
    first: from,
    kinds: new Uint8Array(n),
    times: new Float64Array(n),
    a: new Uint32Array(n),
    b: new Uint32Array(n),
    data: new Uint8Array(0),
  };
  let bytes = 0;
  for (let i = 0; i < n; i++) {
    const event = events[from + i];
    if (event?.kind === 'output' || event?.kind === 'input') bytes += event.data.length;
  }
  batch.data = new Uint8Array(bytes);
  let offset = 0;
  for (let i = 0; i < n; i++) {
    const event = events[from + i];
    if (!event) continue;
    batch.times[i] = event.t;
    if (event.kind === 'output' || event.kind === 'input') {
      batch.kinds[i] = event.kind === 'output' ? OUTPUT : INPUT;
      batch.a[i] = event.data.length;
      batch.data.set(event.data, offset);
      offset += event.data.length;
    } else if (event.kind === 'window') {
      batch.kinds[i] = WINDOW;
      batch.a[i] = event.cols;
      batch.b[i] = event.rows;
    } else {
      batch.kinds[i] = GAP;
      batch.a[i] = event.firstMissingId;
      batch.b[i] = event.missing;
    }
  }
  return batch;
}

/** The events back. */
export function unpackEvents(batch: EventBatch): TimelineEvent[] {
  const events: TimelineEvent[] = [];
  let offset = 0;
  for (let i = 0; i < batch.kinds.length; i++) {
    const t = batch.times[i] ?? 0;
    const a = batch.a[i] ?? 0;
    const kind = batch.kinds[i];
    if (kind === OUTPUT || kind === INPUT) {
      const data = batch.data.subarray(offset, offset + a);
      events.push({ kind: kind === OUTPUT ? 'output' : 'input', t, data });
      offset += a;
    } else if (kind === WINDOW) {
      events.push({ kind: 'window', t, cols: a, rows: batch.b[i] ?? 0 });
    } else {
      events.push({ kind: 'gap', t, firstMissingId: a, missing: batch.b[i] ?? 0 });
    }
  }
  return events;
}

/** The buffers to transfer along with a batch. */
export function transferables(batch: EventBatch): ArrayBuffer[] {
  const buffers = [batch.kinds, batch.times, batch.a, batch.b, batch.data].map(
    (array) => array.buffer,
  );
  return buffers.filter((buffer): buffer is ArrayBuffer => buffer instanceof ArrayBuffer);
}
