import { SPEEDS, formatSpeed } from '@/lib/replay/speeds';

/** The speed presets, 1/16× to 16×; `<` `>` `{` `}` step through them. */
export function SpeedMenu({
  speed,
  onChange,
}: {
  speed: number;
  onChange: (speed: number) => void;
}) {
  const onPreset = SPEEDS.some((s) => Math.abs(s - speed) < 1e-9);
  return (
    <label
      className="flex items-center gap-1.5 text-xs text-zinc-400"
      title="Speed (< > { } Backspace)"
    >
      <span className="sr-only sm:not-sr-only">Speed</span>
      <select
        aria-label="Speed"
        value={String(speed)}
        onChange={(e) => onChange(Number(e.currentTarget.value))}
        className="h-8 rounded-md border border-zinc-700 bg-zinc-900 px-1.5 font-mono text-xs text-zinc-100 hover:border-zinc-500 focus-visible:outline-2 focus-visible:outline-emerald-400"
      >
        {onPreset ? null : <option value={String(speed)}>{formatSpeed(speed)}</option>}
        {SPEEDS.map((s) => (
          <option key={s} value={String(s)}>
            {formatSpeed(s)}
          </option>
        ))}
      </select>
    </label>
  );
}
