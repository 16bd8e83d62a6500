import { describe, expect, it } from 'vitest';
import { playerHref } from '@/lib/links';
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

describe('formatMoment', () => {
  it.each([
    [0, '0:00'],
    [7000, '0:07'],
    [83500, '1:23.5'],
    [3723500, '1:02:03.5'],
    [59999, '0:59.999'],
    [36_000_000, '10:00:00'],
  ])('%i ms is %s', (ms, text) => expect(formatMoment(ms)).toBe(text));
});

describe('playerHref', () => {
  it('links to the moment, with the speed when it is not 1', () => {
    expect(playerHref('a-b-c', { atMs: 83_512.9, speed: 1 })).toBe('/recordings/a-b-c?t=1:23.512');
    expect(playerHref('a-b-c', { atMs: 3_723_500, speed: 0.5 })).toBe(
      '/recordings/a-b-c?t=1:02:03.5&speed=0.5',
    );
    expect(parseMoment('1:23.512')).toBe(83_512);
  });

  it('escapes the id, and leaves out what is not asked for', () => {
    expect(playerHref('a b', { atMs: 83_456 })).toBe('/recordings/a%20b?t=1:23.456');
    expect(playerHref('x')).toBe('/recordings/x');
    expect(playerHref('x', { atMs: -5 })).toBe('/recordings/x?t=0:00');
  });

  it('carries a search for the find box, encoded', () => {
    expect(playerHref('x', { atMs: 1500, find: ' rm -rf & co ' })).toBe(
      '/recordings/x?t=0:01.5&find=rm+-rf+%26+co',
    );
    expect(playerHref('x', { find: '  ' })).toBe('/recordings/x');
  });
});
