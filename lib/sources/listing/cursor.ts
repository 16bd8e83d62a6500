import { z } from 'zod';
import { AppError } from '@/lib/errors';
import { SORTS, type Sort } from '../types';
import type { Position } from './order';

// Cursors are opaque to clients: base64url JSON of the last position shown
// (see order.ts), checked on the way back in. A cursor is a position in an
// order, so it stays meaningful while recordings come and go, and it costs
// the same on page 1 and page 10,000 (no offsets). The short keys are the
// wire form only: nothing outside this file sees them.

const wireSchema = z.strictObject({
  v: z.literal(1),
  /** The sort the list had. */
  s: z.enum(SORTS),
  /** Position: metric, recording id, group. */
  m: z.number().finite(),
  r: z.string().max(300),
  g: z.string().max(300).optional(),
  /** Every recording of group `g` was shown: go on with the next group. */
  e: z.literal(true).optional(),
});

/** Where the next page starts. */
export interface ListCursor {
  /** The last recording shown (for groupDone, only its group counts). */
  position: Position;
  /** Every recording of `position.group` was shown: go on with the next group. */
  groupDone: boolean;
}

export function encodeCursor(sort: Sort, position: Position, groupDone = false): string {
  const wire: z.infer<typeof wireSchema> = {
    v: 1,
    s: sort,
    m: position.metric,
    r: position.rec,
    ...(position.group !== undefined ? { g: position.group } : {}),
    ...(groupDone ? { e: true as const } : {}),
  };
  return Buffer.from(JSON.stringify(wire), 'utf8').toString('base64url');
}

const notOurs = () =>
  new AppError('bad_request', 'Invalid parameter cursor: not a cursor from this list');

/** The cursor's position, checked against the sort it is used with. */
export function decodeCursor(text: string, sort: Sort): ListCursor {
  let parsed: unknown;
  try {
    if (!/^[A-Za-z0-9_-]{1,2000}$/.test(text)) throw new Error('not base64url');
    parsed = JSON.parse(Buffer.from(text, 'base64url').toString('utf8'));
  } catch {
    throw notOurs();
  }
  const result = wireSchema.safeParse(parsed);
  if (!result.success) throw notOurs();
  const wire = result.data;
  if (wire.s !== sort) {
    throw new AppError(
      'bad_request',
      `Invalid parameter cursor: it continues a list sorted by ${wire.s}, not ${sort}; start again from the first page`,
    );
  }
  if ((sort.startsWith('user') || sort.startsWith('host')) !== (wire.g !== undefined)) {
    throw notOurs();
  }
  return {
    position: { metric: wire.m, rec: wire.r, ...(wire.g !== undefined ? { group: wire.g } : {}) },
    groupDone: wire.e === true,
  };
}
