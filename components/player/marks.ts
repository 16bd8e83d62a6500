// Performance marks the benchmarks (bench/player) and tests read from the
// page: when the screen last settled, and when the first frame was drawn.

export const SETTLED_MARK = 'auditty:settled';
export const FIRST_FRAME_MARK = 'auditty:first-frame';

export function markSettled(firstFrame: boolean): void {
  performance.mark(SETTLED_MARK);
  if (firstFrame) performance.mark(FIRST_FRAME_MARK);
}
