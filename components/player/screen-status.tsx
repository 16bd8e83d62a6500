import { PlayerState, type PlayerSnapshot } from '@/lib/replay/engine';
import { formatMoment } from '@/lib/replay/moment';

/**
 * What the screen is waiting for, over the terminal: the first messages, the
 * moment a link opens at, a seek past what has loaded, output fetched again
 * (docs/memory.md); or why it failed.
 */
export function ScreenStatus({
  snapshot,
  startAt,
  loadedMessages,
  totalMessages,
  refetching,
  refetchError,
}: {
  snapshot: PlayerSnapshot;
  startAt: number | undefined;
  loadedMessages: number;
  totalMessages: number;
  refetching: boolean;
  refetchError: string | null;
}) {
  if (snapshot.state === PlayerState.Error) {
    return (
      <p
        role="alert"
        className="border-b border-red-900 bg-red-950/60 px-3 py-2 text-sm text-red-200"
      >
        Playback failed: {snapshot.error}
      </p>
    );
  }
  if (refetchError !== null && !refetching) {
    return (
      <p
        role="alert"
        data-testid="refetch-error"
        className="border-b border-red-900 bg-red-950/60 px-3 py-2 text-sm text-red-200"
      >
        This part of the recording had to be fetched again and could not be:{' '}
        {refetchError.replace(/\.?$/, '.')} The screen may be incomplete; seek again to retry.
      </p>
    );
  }
  const loading = `${loadedMessages.toLocaleString('en')} of ${totalMessages.toLocaleString('en')} messages loaded`;
  let text: string | null = null;
  if (snapshot.state === PlayerState.Loading) {
    text =
      startAt !== undefined && loadedMessages > 0
        ? `Loading up to ${formatMoment(startAt)}… (${formatMoment(snapshot.durationMs)} so far, ${loading})`
        : `Loading… ${loading}`;
  } else if (snapshot.waitingFor !== null) {
    text = `Waiting for ${formatMoment(snapshot.waitingFor)} to load… (${formatMoment(snapshot.durationMs)} so far, ${loading})`;
  } else if (refetching) {
    text = 'Fetching this part of the recording again (over the memory budget)…';
  }
  if (!text) return null;
  return (
    <div className="pointer-events-none absolute inset-x-0 top-0 z-10 flex justify-center p-3">
      <p
        role="status"
        data-testid="screen-status"
        className="flex items-center gap-2 rounded-full bg-zinc-900/90 px-4 py-1.5 text-sm text-zinc-200 shadow ring-1 ring-zinc-700"
      >
        <span
          className="size-3 animate-spin rounded-full border-2 border-emerald-400 border-t-transparent"
          aria-hidden="true"
        />
        {text}
      </p>
    </div>
  );
}
