'use client';

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
        {error.digest ? <span className="font-mono"> (digest {error.digest})</span> : null}.
      </p>
      <button
        type="button"
        onClick={reset}
        className="rounded bg-red-800 px-3 py-1.5 text-sm font-medium hover:bg-red-700"
      >
        Try again
      </button>
    </div>
  );
}
