export default function Loading() {
  return (
    <div aria-busy="true" aria-label="Loading the access log" className="space-y-2">
      <div className="h-7 w-40 animate-pulse rounded bg-zinc-800" />
      {Array.from({ length: 8 }, (_, i) => (
        <div key={i} className="h-9 animate-pulse rounded bg-zinc-900" />
      ))}
    </div>
  );
}
