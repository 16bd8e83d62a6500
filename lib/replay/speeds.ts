// Playback speeds: powers of two from 1/16x to 16x, so that halving and
// doubling (tlog-play's `{` and `}`) always land on a preset.

export const SPEEDS = [1 / 16, 1 / 8, 1 / 4, 1 / 2, 1, 2, 4, 8, 16] as const;

/** The next preset up (`direction` 1) or down (-1) from `speed`, which may be off-preset. */
export function stepSpeed(speed: number, direction: 1 | -1): number {
  if (direction > 0) return SPEEDS.find((s) => s > speed + 1e-9) ?? SPEEDS[SPEEDS.length - 1]!;
  return [...SPEEDS].reverse().find((s) => s < speed - 1e-9) ?? SPEEDS[0];
}

/** 0.0625 -> "1/16×", 2 -> "2×", 1.5 -> "1.5×". */
export function formatSpeed(speed: number): string {
  if (speed < 1) {
    const inverse = 1 / speed;
    if (Number.isInteger(inverse)) return `1/${inverse}×`;
  }
  return `${Number(speed.toFixed(3))}×`;
}
