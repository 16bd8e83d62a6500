/** Choices for the idle-time limit, in seconds; off by default. */
const LIMITS = [1, 2, 5, 10, 30];

/** Skips the quiet part of pauses longer than N seconds while playing. */
export function IdleLimitMenu({
  limitMs,
  onChange,
}: {
  limitMs: number | null;
  onChange: (ms: number | null) => void;
}) {
  return (
    <label
      className="flex items-center gap-1.5 text-xs text-zinc-400"
      title="Cut pauses longer than this while playing"
    >
      <span className="sr-only sm:not-sr-only">Idle</span>
      <select
        aria-label="Idle time limit"
        value={limitMs === null ? 'off' : String(limitMs / 1000)}
        onChange={(e) => {
          const value = e.currentTarget.value;
          onChange(value === 'off' ? null : Number(value) * 1000);
        }}
        className={`h-8 rounded-md border bg-zinc-900 px-1.5 font-mono text-xs hover:border-zinc-500 focus-visible:outline-2 focus-visible:outline-emerald-400 ${limitMs === null ? 'border-zinc-700 text-zinc-100' : 'border-emerald-700 text-emerald-300'}`}
      >
        <option value="off">off</option>
        {LIMITS.map((s) => (
          <option key={s} value={String(s)}>
            ≤ {s}s
          </option>
        ))}
      </select>
    </label>
  );
}
