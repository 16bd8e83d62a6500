'use client';

import Link from 'next/link';
import { useEffect } from 'react';

export default function ErrorPage({
  error,
  reset,
}: {
  error: Error & { digest?: string };
  reset: () => void;
}) {
  useEffect(() => {
    console.error(error);
  }, [error]);
  return (
    <div role="alert" className="rounded border border-red-900 bg-red-950/40 p-6">
      <h1 className="mb-2 text-lg font-semibold text-red-200">This page could not be shown</h1>
      <p className="mb-4 text-sm text-red-100/80">
        {error.digest
          ? 'The server could not read the recordings (the source may be unreachable). The server log has the details'
          : error.message}
        {error.digest ? <span className="font-mono"> (digest {error.digest})</span> : null}. The
        filters are still in the address bar: trying again keeps them.
      </p>
      <div className="flex gap-3">
        <button
          type="button"
          onClick={reset}
          className="rounded bg-red-800 px-3 py-1.5 text-sm font-medium hover:bg-red-700 focus-visible:outline focus-visible:outline-2 focus-visible:outline-red-400"
        >
          Try again
        </button>
        <Link
          href="/"
          className="rounded border border-red-900 px-3 py-1.5 text-sm text-red-100 hover:bg-red-900/40"
        >
          All recordings, no filters
        </Link>
      </div>
    </div>
  );
}
