/** A thin bar along the top of the controls while messages are still arriving. */
export function LoadProgress({
  loaded,
  total,
  complete,
}: {
  loaded: number;
  total: number;
  complete: boolean;
}) {
  if (complete) return null;
  const percent = total > 0 ? Math.min(100, Math.round((loaded / total) * 100)) : 0;
  return (
    <div
      role="progressbar"
      aria-label="Loading the recording"
      aria-valuemin={0}
      aria-valuemax={100}
      aria-valuenow={percent}
      aria-valuetext={`${loaded.toLocaleString('en')} of ${total.toLocaleString('en')} messages`}
      className="h-0.5 w-full bg-zinc-800"
      data-testid="load-progress"
    >
      <div className="h-full bg-emerald-500 transition-[width]" style={{ width: `${percent}%` }} />
    </div>
  );
}
