import { memo } from 'react';

/** Output density over the recording, one bar per slice (levels in 0..1). */
export const ActivityGraph = memo(function ActivityGraph({
  levels,
}: {
  levels: readonly number[];
}) {
  if (levels.length === 0) return null;
  const width = 100 / levels.length;
  return (
    <svg
      className="absolute inset-0 size-full"
      viewBox="0 0 100 100"
      preserveAspectRatio="none"
      aria-hidden="true"
      data-testid="activity"
    >
      {levels.map((level, i) =>
        level > 0 ? (
          <rect
            key={i}
            x={i * width}
            y={100 - level * 100}
            width={width + 0.05}
            height={level * 100}
            className="fill-emerald-400/45"
          />
        ) : null,
      )}
    </svg>
  );
});
