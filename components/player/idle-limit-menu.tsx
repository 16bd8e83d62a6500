import { ControlSelect } from './control-select';

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
    <ControlSelect
      label="Idle"
      ariaLabel="Idle time limit"
      title="Cut pauses longer than this while playing"
      value={limitMs === null ? 'off' : String(limitMs / 1000)}
      onChange={(value) => onChange(value === 'off' ? null : Number(value) * 1000)}
      active={limitMs !== null}
    >
      <option value="off">off</option>
      {LIMITS.map((s) => (
        <option key={s} value={String(s)}>
          ≤ {s}s
        </option>
      ))}
    </ControlSelect>
  );
}
