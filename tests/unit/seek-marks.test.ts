import { describe, expect, it } from 'vitest';
import { MARK_SLOTS, slotMarks } from '@/components/player/seek-marks';

describe('seek bar marks', () => {
  it('stay one each while they are apart, at their own moments', () => {
    const items = [{ t: 0 }, { t: 2_500 }, { t: 5_000 }, { t: 9_999 }];
    const marks = slotMarks(items, 10_000);
    expect(marks.map((m) => [m.slot, m.t, m.items.length])).toEqual([
      [0, 0, 1],
      [100, 2_500, 1],
      [200, 5_000, 1],
      [399, 9_999, 1],
    ]);
  });

  it('group what falls in one slot, so a thousand resizes draw at most MARK_SLOTS marks', () => {
    const span = 3_600_000;
    const windows = Array.from({ length: 1000 }, (_, i) => ({ t: i * 3_600, cols: 80, rows: 24 }));
    // And a burst: ten in one second.
    windows.push(
      ...Array.from({ length: 10 }, (_, i) => ({ t: 3_599_000 + i, cols: 100, rows: 30 })),
    );
    const marks = slotMarks(windows, span);
    expect(marks.length).toBeLessThanOrEqual(MARK_SLOTS);
    expect(marks.reduce((sum, m) => sum + m.items.length, 0)).toBe(1010);
    const last = marks[marks.length - 1];
    expect(last?.slot).toBe(MARK_SLOTS - 1);
    expect(last?.items.length).toBeGreaterThanOrEqual(10);
    // Each mark at its first item's moment.
    for (const m of marks) expect(m.t).toBe(m.items[0]?.t);
  });

  it('put what lies outside the span at its ends', () => {
    const marks = slotMarks([{ t: -5 }, { t: 20_000 }], 10_000);
    expect(marks.map((m) => m.slot)).toEqual([0, MARK_SLOTS - 1]);
  });
});
