// Web Worker: plays the recording into a headless terminal and sends a
// keyframe back now and then (lib/replay/keyframes.ts). It receives the
// timeline's events in order, as they load, from KeyframeClient.

import type { EventBatch } from '@/lib/replay/event-batch';
import { unpackEvents } from '@/lib/replay/event-batch';
import { HeadlessShadow } from '@/lib/replay/adapters/xterm-headless-shadow';
import { KeyframeBuilder } from '@/lib/replay/keyframes';
import type { WorkerReply } from './keyframe-client';

interface WorkerScope {
  onmessage: ((event: MessageEvent<EventBatch>) => void) | null;
  postMessage(message: WorkerReply, transfer?: Transferable[]): void;
}

const scope = globalThis as unknown as WorkerScope;
const builder = new KeyframeBuilder(new HeadlessShadow(), (keyframe) => {
  scope.postMessage({ type: 'keyframe', keyframe }, [keyframe.state.buffer as ArrayBuffer]);
});
let work: Promise<void> = Promise.resolve();

scope.onmessage = (message) => {
  const batch = message.data;
  work = work
    .then(async () => {
      if (batch.first !== builder.index)
        throw new Error(`events out of order: ${batch.first} after ${builder.index}`);
      await builder.push(unpackEvents(batch));
      scope.postMessage({ type: 'indexed', index: builder.index });
    })
    .catch((err: unknown) => {
      scope.postMessage({
        type: 'error',
        message: err instanceof Error ? err.message : String(err),
      });
    });
};
