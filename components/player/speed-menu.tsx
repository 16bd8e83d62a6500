import { SPEEDS, formatSpeed } from '@/lib/replay/speeds';
import { ControlSelect } from './control-select';

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
    <ControlSelect
      label="Speed"
      ariaLabel="Speed"
      title="Speed (< > { } Backspace)"
      value={String(speed)}
      onChange={(value) => onChange(Number(value))}
    >
      {onPreset ? null : <option value={String(speed)}>{formatSpeed(speed)}</option>}
      {SPEEDS.map((s) => (
        <option key={s} value={String(s)}>
          {formatSpeed(s)}
        </option>
      ))}
    </ControlSelect>
  );
}
