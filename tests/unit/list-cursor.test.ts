import { describe, expect, it } from 'vitest';
import { AppError } from '@/lib/errors';
import { decodeCursor, encodeCursor } from '@/lib/sources/listing/cursor';
import { compareKeys, comparePositions, sortPlan } from '@/lib/sources/listing/order';
import { SORTS } from '@/lib/sources/types';

function refused(text: string, sort: (typeof SORTS)[number] = 'start:desc'): AppError {
  try {
    decodeCursor(text, sort);
  } catch (err) {
    if (err instanceof AppError) return err;
    throw err;
  }
  throw new Error(`accepted ${text}`);
}

describe('cursors', () => {
  it('round-trip a position, opaquely (base64url)', () => {
    const text = encodeCursor('start:desc', { metric: 1795797438981, rec: 'daef-6945-13d25' });
    expect(text).toMatch(/^[A-Za-z0-9_-]+$/);
    expect(JSON.parse(Buffer.from(text, 'base64url').toString())).toEqual({
      v: 1,
      s: 'start:desc',
      m: 1795797438981,
      r: 'daef-6945-13d25',
    });
    expect(decodeCursor(text, 'start:desc')).toEqual({
      position: { metric: 1795797438981, rec: 'daef-6945-13d25' },
      groupDone: false,
    });
    const grouped = encodeCursor('user:asc', { group: 'ålice 👍', metric: 5, rec: 'x' }, true);
    expect(JSON.parse(Buffer.from(grouped, 'base64url').toString())).toEqual({
      v: 1,
      s: 'user:asc',
      g: 'ålice 👍',
      m: 5,
      r: 'x',
      e: true,
    });
    expect(decodeCursor(grouped, 'user:asc')).toEqual({
      position: { group: 'ålice 👍', metric: 5, rec: 'x' },
      groupDone: true,
    });
  });

  it.each([
    ['not base64', '%%%'],
    ['not JSON', Buffer.from('{nope').toString('base64url')],
    [
      'another version',
      Buffer.from(JSON.stringify({ v: 2, s: 'start:desc', m: 1, r: 'a' })).toString('base64url'),
    ],
    [
      'an unknown field',
      Buffer.from(JSON.stringify({ v: 1, s: 'start:desc', m: 1, r: 'a', x: 1 })).toString(
        'base64url',
      ),
    ],
    [
      'a metric that is not a number',
      Buffer.from(JSON.stringify({ v: 1, s: 'start:desc', m: 'a', r: 'a' })).toString('base64url'),
    ],
    [
      'a group in an ungrouped order',
      encodeCursor('start:desc', { group: 'x', metric: 1, rec: 'a' }),
    ],
    ['a huge text', 'A'.repeat(2001)],
  ])('refuses %s with a 400', (_name, text) => {
    expect(refused(text)).toMatchObject({ code: 'bad_request', status: 400 });
  });

  it('refuses a cursor of another order, saying which', () => {
    const error = refused(encodeCursor('duration:asc', { metric: 1, rec: 'a' }), 'start:desc');
    expect(error.message).toContain('sorted by duration:asc, not start:desc');
    expect(refused(encodeCursor('start:desc', { metric: 1, rec: 'a' }), 'user:asc').code).toBe(
      'bad_request',
    );
  });
});

describe('orders', () => {
  it('compares names as Elasticsearch does (UTF-8 bytes, so code points)', () => {
    const words = ['b', 'a', 'ab', '', 'Z', 'é', '\uFFFD', '😀', 'a\uE000', 'a😀'];
    const byBytes = [...words].sort((x, y) => Buffer.compare(Buffer.from(x), Buffer.from(y)));
    expect([...words].sort(compareKeys)).toEqual(byBytes);
  });

  it('ends every order with the recording id, so positions are unique', () => {
    for (const sort of SORTS) {
      const plan = sortPlan(sort);
      const a = { group: 'u', metric: 5, rec: 'a' };
      const b = { group: 'u', metric: 5, rec: 'b' };
      expect(comparePositions(plan, a, b)).not.toBe(0);
      expect(Math.sign(comparePositions(plan, a, b))).toBe(
        -Math.sign(comparePositions(plan, b, a)),
      );
    }
    expect(
      comparePositions(sortPlan('start:desc'), { metric: 9, rec: 'a' }, { metric: 5, rec: 'z' }),
    ).toBeLessThan(0);
    expect(
      comparePositions(
        sortPlan('user:asc'),
        { group: 'a', metric: 1, rec: 'a' },
        { group: 'b', metric: 9, rec: 'z' },
      ),
    ).toBeLessThan(0);
    expect(
      comparePositions(
        sortPlan('user:asc'),
        { group: 'a', metric: 9, rec: 'a' },
        { group: 'a', metric: 1, rec: 'z' },
      ),
    ).toBeLessThan(0);
  });
});
