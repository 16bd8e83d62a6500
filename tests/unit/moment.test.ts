import { describe, expect, it } from 'vitest';
import { formatMoment, parseMoment } from '@/lib/replay/moment';

describe('parseMoment', () => {
  it.each([
    ['83.5', 83500],
    ['1:23.5', 83500],
    ['1:02:03', 3723000],
    ['1:02:03.5', 3723500],
    ['0', 0],
    ['0:07', 7000],
    [' 12.345 ', 12345],
  ])('%s is %i ms', (text, ms) => expect(parseMoment(text)).toBe(ms));

  it.each(['', 'abc', '-1', '1:60', '1:60:00', '1.2.3', '1e3', '1:2:3:4', '12.3456'])(
    'refuses %j',
    (text) => expect(parseMoment(text)).toBeNull(),
  );

  it('round-trips with formatMoment', () => {
    for (const ms of [0, 7000, 83500, 3723500, 59999]) {
      expect(parseMoment(formatMoment(ms))).toBe(ms);
    }
  });
});
