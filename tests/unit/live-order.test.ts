import { describe, expect, it } from 'vitest';
import { MAX_MISSING, MessageOrder } from '@/lib/live/order';
import type { TailMessage } from '@/lib/sources/types';

// Live follow puts what each poll finds in id order, waits a bounded time
// for a missing id, then skips it, and takes it late (docs/live.md).

const m = (id: number): TailMessage => ({
  id,
  host: 'h',
  user: 'u',
  timeMs: null,
  line: `{"id":${id}}`,
});
const ids = (messages: TailMessage[]) => messages.map((x) => x.id);

describe('live message order', () => {
  it('releases in id order, whatever order the polls find them in', () => {
    const order = new MessageOrder(0, 5000);
    expect(ids(order.arrive([m(2), m(3)], 0).inOrder)).toEqual([]);
    expect(ids(order.arrive([m(1)], 100).inOrder)).toEqual([1, 2, 3]);
    expect(order.edge).toBe(3);
    expect(order.nextDeadline()).toBeNull();
  });

  it('drops what it released before (polls overlap, rsyslog retried)', () => {
    const order = new MessageOrder(0, 5000);
    expect(ids(order.arrive([m(1), m(2)], 0).inOrder)).toEqual([1, 2]);
    const again = order.arrive([m(1), m(2), m(3), m(3)], 10);
    expect(ids(again.inOrder)).toEqual([3]);
    expect(again.late).toEqual([]);
  });

  it('waits gapWaitMs for a missing id, then skips it and takes it late', () => {
    const order = new MessageOrder(4, 5000);
    expect(ids(order.arrive([m(6), m(7)], 1000).inOrder)).toEqual([]);
    expect(order.nextDeadline()).toBe(6000);
    expect(ids(order.arrive([], 5999).inOrder)).toEqual([]);
    expect(ids(order.arrive([], 6000).inOrder)).toEqual([6, 7]);
    expect(order.missing(6000)).toEqual([5]);
    const late = order.arrive([m(5), m(8)], 7000);
    expect(ids(late.late)).toEqual([5]);
    expect(ids(late.inOrder)).toEqual([8]);
    expect(order.missing(7000)).toEqual([]);
    // Taken once: another copy is a duplicate.
    expect(order.arrive([m(5)], 7100).late).toEqual([]);
  });

  it('asks again for the gaps the reader had before following', () => {
    const order = new MessageOrder(10, 5000, [3, 9, 12], 0);
    // 12 is not below the edge: nothing is missing there yet.
    expect(order.missing(0)).toEqual([3, 9]);
    expect(ids(order.arrive([m(9), m(11)], 10).late)).toEqual([9]);
    expect(order.edge).toBe(11);
  });

  it('gives a missing id up after a while, and remembers a bounded number', () => {
    const order = new MessageOrder(0, 0);
    order.arrive([m(5000)], 0);
    expect(order.edge).toBe(5000);
    const missing = order.missing(1);
    expect(missing).toHaveLength(MAX_MISSING);
    expect(missing[0]).toBe(5000 - MAX_MISSING);
    expect(order.missing(11 * 60_000)).toEqual([]);
  });

  it('keeps what readers say they lack bounded too', () => {
    const order = new MessageOrder(100_000, 5000);
    for (let r = 0; r < 5; r++)
      order.want(
        Array.from({ length: 1000 }, (_, i) => r * 1000 + i + 1),
        0,
      );
    expect(order.missing(0)).toHaveLength(MAX_MISSING);
    expect(order.missing(0)[0]).toBe(4001);
  });
});
