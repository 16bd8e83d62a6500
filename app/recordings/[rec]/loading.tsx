export default function Loading() {
  return (
    <div aria-busy="true" aria-label="Loading recording" className="space-y-4">
      <div className="h-16 animate-pulse rounded bg-zinc-900" />
      <div className="h-[28rem] animate-pulse rounded bg-zinc-900" />
    </div>
  );
}
