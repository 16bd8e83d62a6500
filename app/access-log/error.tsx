'use client';

import { useEffect } from 'react';

export default function AccessLogError({
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
      <h1 className="mb-2 text-lg font-semibold text-red-200">The access log could not be shown</h1>
      <p className="mb-4 text-sm text-red-100/80">The server log has the details.</p>
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
