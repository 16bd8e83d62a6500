const bar = 'animate-pulse rounded bg-zinc-800/80';

/** The list page's shell while the recordings load. */
export default function Loading() {
  return (
    <div aria-busy="true" aria-label="Loading recordings" className="space-y-4">
      <div className="flex items-center justify-between">
        <div className={`${bar} h-7 w-56`} />
        <div className={`${bar} h-8 w-52`} />
      </div>
      <div className={`${bar} h-10 w-full`} />
      <div className="h-24 rounded-md border border-zinc-800 bg-zinc-950" />
      <div className="grid gap-4 lg:grid-cols-[15rem_minmax(0,1fr)] 2xl:grid-cols-[17rem_minmax(0,1fr)]">
        <div className="space-y-4">
          {[0, 1].map((panel) => (
            <div key={panel} className="space-y-2 rounded-md border border-zinc-800 p-3">
              <div className={`${bar} h-3 w-16`} />
              {Array.from({ length: 6 }, (_, i) => (
                <div key={i} className={`${bar} h-4`} style={{ width: `${90 - i * 10}%` }} />
              ))}
            </div>
          ))}
        </div>
        <div className="overflow-hidden rounded-md border border-zinc-800">
          <div className="h-9 bg-zinc-900" />
          {Array.from({ length: 10 }, (_, i) => (
            <div key={i} className="flex gap-4 border-t border-zinc-800/80 px-3 py-2.5">
              <div className={`${bar} h-4 w-44`} />
              <div className={`${bar} h-4 w-40`} />
              <div className={`${bar} h-4 w-20`} />
              <div className={`${bar} ml-auto h-4 w-16`} />
            </div>
          ))}
        </div>
      </div>
      <p className="sr-only" role="status">
        Loading recordings…
      </p>
    </div>
  );
}
