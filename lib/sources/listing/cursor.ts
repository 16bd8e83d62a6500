import { z } from 'zod';
import { AppError } from '@/lib/errors';
import { SORTS, type Sort } from '../types';
import type { Position } from './order';

// Cursors are opaque to clients: base64url JSON of the last position shown
// (see order.ts), checked on the way back in. A cursor is a position in an
// order, so it stays meaningful while recordings come and go, and it costs
// the same on page 1 and page 10,000 (no offsets).

const cursorSchema = z.strictObject({
  v: z.literal(1),
  s: z.enum(SORTS),
  m: z.number().finite(),
  r: z.string().max(300),
  g: z.string().max(300).optional(),
  /** Every recording of group `g` was shown: go on with the next group. */
  e: z.literal(true).optional(),
});

export type Cursor = z.infer<typeof cursorSchema>;

export function encodeCursor(sort: Sort, position: Position, groupDone = false): string {
  const state: Cursor = {
    v: 1,
    s: sort,
    m: position.m,
    r: position.r,
    ...(position.g !== undefined ? { g: position.g } : {}),
    ...(groupDone ? { e: true as const } : {}),
  };
  return Buffer.from(JSON.stringify(state), 'utf8').toString('base64url');
}

/** The cursor's position, checked against the sort it is used with. */
export function decodeCursor(text: string, sort: Sort): Cursor {
  let parsed: unknown;
  try {
    if (!/^[A-Za-z0-9_-]{1,2000}$/.test(text)) throw new Error('not base64url');
    parsed = JSON.parse(Buffer.from(text, 'base64url').toString('utf8'));
  } catch {
    throw new AppError('bad_request', 'Invalid parameter cursor: not a cursor from this list');
  }
  const result = cursorSchema.safeParse(parsed);
  if (!result.success) {
    throw new AppError('bad_request', 'Invalid parameter cursor: not a cursor from this list');
  }
  if (result.data.s !== sort) {
    throw new AppError(
      'bad_request',
      `Invalid parameter cursor: it continues a list sorted by ${result.data.s}, not ${sort}; start again from the first page`,
    );
  }
  if ((sort.startsWith('user') || sort.startsWith('host')) !== (result.data.g !== undefined)) {
    throw new AppError('bad_request', 'Invalid parameter cursor: not a cursor from this list');
  }
  return result.data;
}
