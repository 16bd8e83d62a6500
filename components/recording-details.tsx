import { EXPORT_FORMATS, EXPORT_TYPES, exportUrl } from '@/lib/export/formats';
import { formatDuration, formatTimestamp } from '@/lib/format';
import type { RecordingSummary } from '@/lib/sources/types';

export function RecordingDetails({ summary }: { summary: RecordingSummary }) {
  const rows: [string, string][] = [
    ['Host', summary.host],
    ['User', summary.user],
    ['Session', summary.session === 4294967295 ? 'none' : String(summary.session)],
    ['Terminal', summary.term || 'unset'],
    ['Start', formatTimestamp(summary.start)],
    ['End', formatTimestamp(summary.end)],
    ['Duration', formatDuration(summary.durationMs)],
    ['Messages', summary.messages.toLocaleString('en')],
    ['Missing messages', String(summary.gaps)],
    ['Input logged', summary.hasInput ? 'yes' : 'no'],
  ];
  return (
    <section aria-label="Recording details">
      <h1 className="mb-2 text-xl font-semibold">
        {summary.user}@{summary.host}
      </h1>
      <dl className="grid grid-cols-2 gap-x-6 gap-y-1 text-sm sm:grid-cols-5">
        {rows.map(([label, value]) => (
          <div key={label}>
            <dt className="text-xs uppercase tracking-wide text-zinc-500">{label}</dt>
            <dd className="font-mono text-zinc-200">{value}</dd>
          </div>
        ))}
      </dl>
      <nav
        aria-label="Download"
        className="mt-2 flex flex-wrap items-center gap-x-3 gap-y-1 text-sm"
      >
        <span className="text-xs uppercase tracking-wide text-zinc-500">Download</span>
        {EXPORT_FORMATS.map((format) => (
          <a
            key={format}
            href={exportUrl(summary.id, format)}
            download
            title={EXPORT_TYPES[format].hint}
            className="rounded text-emerald-400 underline-offset-2 hover:underline focus-visible:outline-2 focus-visible:outline-emerald-400"
          >
            {EXPORT_TYPES[format].label}
          </a>
        ))}
      </nav>
      <p data-testid="export-warning" className="mt-1 text-xs text-amber-300/80">
        {EXPORT_FORMATS.filter((f) => EXPORT_TYPES[f].escapes)
          .map((f) => EXPORT_TYPES[f].extension)
          .map((ext) => `.${ext}`)
          .join(', ')}{' '}
        keep the recording&apos;s escape sequences, which act on any terminal that shows them
        (clipboard, title, links): open them in a player, never with cat. The text transcript is
        safe to read anywhere.
      </p>
    </section>
  );
}
