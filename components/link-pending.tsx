'use client';

import { useLinkStatus } from 'next/link';

/**
 * Inside a Link: a small pulsing mark while the page it opens is on its way.
 * The recording page has no loading skeleton (its HTML carries the still
 * frame, docs/still-frame.md), so a click on a slow source says it was taken.
 */
export function LinkPending() {
  const { pending } = useLinkStatus();
  return pending ? (
    <span
      role="status"
      aria-label="Opening…"
      data-testid="link-pending"
      className="ml-1.5 inline-block size-2 animate-pulse rounded-full bg-emerald-400 align-middle"
    />
  ) : null;
}
