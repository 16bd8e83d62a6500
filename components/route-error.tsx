'use client';

import Link from 'next/link';
import { useEffect } from 'react';

export interface RouteErrorProps {
  error: Error & { digest?: string };
  reset: () => void;
}

/**
 * What every route segment's error.tsx shows: why (a server error has only
 * a digest; its details are in the server log), a retry, and optionally a
 * way out. Logged in the browser console too.
 */
export function RouteError({
  error,
  reset,
  title = 'This page could not be shown',
  serverMessage = 'The server could not read the recordings (the source may be unreachable). The server log has the details',
  hint,
  exit,
}: RouteErrorProps & {
  title?: string;
  /** Shown for errors thrown on the server, whose message the browser never sees. */
  serverMessage?: string;
  /** A sentence after the reason. */
  hint?: string;
  exit?: { href: string; label: string };
}) {
  useEffect(() => {
    console.error(error);
  }, [error]);
  return (
    <div role="alert" className="rounded border border-red-900 bg-red-950/40 p-6">
      <h1 className="mb-2 text-lg font-semibold text-red-200">{title}</h1>
      <p className="mb-4 text-sm text-red-100/80">
        {error.digest ? serverMessage : error.message}
        {error.digest ? <span className="font-mono"> (digest {error.digest})</span> : null}.
        {hint ? ` ${hint}` : null}
      </p>
      <div className="flex gap-3">
        <button
          type="button"
          onClick={reset}
          className="rounded bg-red-800 px-3 py-1.5 text-sm font-medium hover:bg-red-700 focus-visible:outline focus-visible:outline-2 focus-visible:outline-red-400"
        >
          Try again
        </button>
        {exit ? (
          <Link
            href={exit.href}
            className="rounded border border-red-900 px-3 py-1.5 text-sm text-red-100 hover:bg-red-900/40"
          >
            {exit.label}
          </Link>
        ) : null}
      </div>
    </div>
  );
}
