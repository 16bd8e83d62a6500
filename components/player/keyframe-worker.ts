// Web Worker: plays the recording into a headless terminal and sends a
// keyframe back now and then (lib/replay/keyframes.ts), and indexes the
// screen's text as it goes, for find (lib/replay/screen-text.ts), and finds
// the command lines entered (lib/replay/commands). It receives the
// timeline's events in order, as they load, from KeyframeClient.

import { unpackEvents } from '@/lib/replay/event-batch';
import { HeadlessShadow } from '@/lib/replay/adapters/xterm-headless-shadow';
import { CommandTracker } from '@/lib/replay/adapters/xterm-commands';
import { compileQuery, type Matcher } from '@/lib/replay/find';
import { DEFAULT_POLICY, KeyframeBuilder } from '@/lib/replay/keyframes';
import { ScreenTextIndex } from '@/lib/replay/screen-text';
import {
  FIND_BUDGET_MS,
  MAX_HITS,
  TEXT_INDEX_BUDGET,
  type WorkerReply,
  type WorkerRequest,
} from './worker-protocol';

interface WorkerScope {
  onmessage: ((event: MessageEvent<WorkerRequest>) => void) | null;
  postMessage(message: WorkerReply, transfer?: Transferable[]): void;
}

const scope = globalThis as unknown as WorkerScope;
const shadow = new HeadlessShadow();
const text = new ScreenTextIndex(shadow.screen, TEXT_INDEX_BUDGET);
/** Made by `init` (or the first events, without it). */
let commands: CommandTracker | null = null;
const tracker = () => (commands ??= new CommandTracker(shadow.terminal));
const builder = new KeyframeBuilder(
  shadow,
  (keyframe) => {
    scope.postMessage({ type: 'keyframe', keyframe }, [keyframe.state.buffer as ArrayBuffer]);
  },
  DEFAULT_POLICY,
  (t) => {
    text.check(t);
    tracker().moment(t);
  },
  (t, data) => tracker().input(t, data),
);
let lastT = 0;

function reportCommands(complete: boolean): void {
  const changes = tracker().takeChanges();
  if (!changes && !complete) return;
  scope.postMessage({
    type: 'commands',
    from: changes?.from ?? tracker().commands.length,
    commands: changes?.commands ?? [],
    complete,
    truncated: tracker().truncated,
  });
}
let work: Promise<void> = Promise.resolve();

/** The search in progress: new lines are searched as they are indexed. */
let find: { id: number; matcher: Matcher; next: number; found: number } | null = null;

function search(): void {
  if (!find || find.next >= text.length) return;
  const current = find;
  if (current.found >= MAX_HITS) {
    // At the cap: the rest counts as searched, so that the search is done.
    current.next = text.length;
    scope.postMessage({
      type: 'found',
      id: current.id,
      hits: [],
      searched: current.next,
      lines: text.length,
      ms: 0,
    });
    return;
  }
  const started = performance.now();
  const result = text.search(
    current.matcher,
    current.next,
    MAX_HITS - current.found,
    started + FIND_BUDGET_MS,
  );
  current.found += result.hits.length;
  current.next = current.found >= MAX_HITS ? text.length : result.next;
  const slow = result.stopped && current.found < MAX_HITS;
  scope.postMessage({
    type: 'found',
    id: current.id,
    hits: result.hits,
    searched: current.next,
    lines: text.length,
    ms: performance.now() - started,
    ...(slow
      ? {
          error: `This pattern is too slow to search (over ${FIND_BUDGET_MS / 1000} s): try a simpler one.`,
        }
      : {}),
  });
  if (slow) find = null;
}

scope.onmessage = (message) => {
  const request = message.data;
  if (request.type === 'find') {
    // At once, between two batches of events: on what is indexed so far.
    const compiled = compileQuery(request.query);
    if (!compiled.ok) {
      find = null;
      scope.postMessage({
        type: 'found',
        id: request.id,
        hits: [],
        searched: 0,
        lines: text.length,
        ms: 0,
        error: compiled.error,
      });
      return;
    }
    find = { id: request.id, matcher: compiled.matcher, next: 0, found: 0 };
    search();
    return;
  }
  if (request.type === 'find-clear') {
    find = null;
    return;
  }
  if (request.type === 'init') {
    commands ??= new CommandTracker(shadow.terminal, { inputLogged: request.inputLogged });
    return;
  }
  const { batch, complete } = request;
  work = work
    .then(async () => {
      if (batch.first !== builder.index)
        throw new Error(`events out of order: ${batch.first} after ${builder.index}`);
      const events = unpackEvents(batch);
      lastT = events[events.length - 1]?.t ?? lastT;
      await builder.push(events, complete);
      if (complete) tracker().end(lastT);
      reportCommands(complete);
      scope.postMessage({
        type: 'indexed',
        index: builder.index,
        textLines: text.length,
        textBytes: text.bytes,
        textFullAt: text.fullAt,
      });
      search();
    })
    .catch((err: unknown) => {
      scope.postMessage({
        type: 'error',
        message: err instanceof Error ? err.message : String(err),
      });
    });
};
