import Link from 'next/link';

export default function RecordingNotFound() {
  return (
    <div className="rounded border border-zinc-800 bg-zinc-900 p-6">
      <h1 className="mb-2 text-lg font-semibold">Recording not found</h1>
      <p className="mb-4 text-sm text-zinc-400">
        There is no recording with this id, or it is not yours to see.
      </p>
      <Link href="/" className="text-emerald-400 hover:underline">
        Back to the recordings
      </Link>
    </div>
  );
}
