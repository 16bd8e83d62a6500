import type { Metadata } from 'next';
import Link from 'next/link';
import { AccessLogTable } from '@/components/access/access-log-table';
import { ErrorNotice } from '@/components/error-notice';
import { requireCaller } from '@/lib/access';
import { AUDIT_ACTIONS, auditSink, searchEvents } from '@/lib/audit';
import { eventFilterSchema } from '@/lib/audit/query';
import { AppError } from '@/lib/errors';
import { paramsRecord } from '@/lib/schemas';

export const dynamic = 'force-dynamic';
export const metadata: Metadata = { title: 'Access log · auditty' };

const field =
  'mt-1 block w-full rounded border border-zinc-700 bg-zinc-950 px-2 py-1.5 text-sm text-zinc-100 focus:border-emerald-500 focus:outline-none';

/** Who signed in, listed, searched, opened and exported what; admins see everyone, others themselves. */
export default async function AccessLogPage({
  searchParams,
}: {
  searchParams: Promise<Record<string, string | string[] | undefined>>;
}) {
  const caller = await requireCaller();
  if (!auditSink()) {
    return (
      <ErrorNotice
        title="No audit trail"
        message="Set AUDIT_INDEX or AUDIT_LOG_FILE to keep one."
      />
    );
  }
  const raw = paramsRecord(await searchParams);
  const parsed = eventFilterSchema.safeParse(raw);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    return (
      <ErrorNotice
        title="Invalid filter"
        message={`${issue?.path.join('.') ?? 'parameter'}: ${issue?.message ?? 'invalid'}`}
      />
    );
  }
  let page;
  try {
    page = await searchEvents(caller, parsed.data);
  } catch (err) {
    if (!(err instanceof AppError)) throw err;
    return <ErrorNotice title="The access log could not be read" message={err.message} />;
  }
  const value = (key: string) => (typeof raw[key] === 'string' ? raw[key] : '');
  const older = new URLSearchParams(
    Object.entries(raw).flatMap(([k, v]) => (k === 'cursor' ? [] : [[k, String(v)]])),
  );
  if (page.nextCursor) older.set('cursor', page.nextCursor);

  return (
    <section aria-labelledby="access-log-heading" className="space-y-4">
      <div className="flex items-baseline justify-between gap-4">
        <h1 id="access-log-heading" className="text-xl font-semibold">
          Access log
        </h1>
        <p className="text-sm text-zinc-400">
          {caller.admin ? 'Everyone’s events' : `Your events (${caller.name ?? ''})`}, newest first
        </p>
      </div>
      <form
        method="get"
        className="grid grid-cols-2 gap-3 rounded border border-zinc-800 bg-zinc-900/60 p-3 md:grid-cols-6"
      >
        {caller.admin ? (
          <label className="text-xs text-zinc-400">
            User
            <input name="user" defaultValue={value('user')} className={field} />
          </label>
        ) : null}
        <label className="text-xs text-zinc-400">
          Action
          <select name="action" defaultValue={value('action')} className={field}>
            <option value="">any</option>
            {AUDIT_ACTIONS.map((a) => (
              <option key={a} value={a}>
                {a}
              </option>
            ))}
          </select>
        </label>
        <label className="text-xs text-zinc-400">
          Recording
          <input name="recording" defaultValue={value('recording')} className={field} />
        </label>
        <label className="text-xs text-zinc-400">
          From
          <input name="from" placeholder="now-7d" defaultValue={value('from')} className={field} />
        </label>
        <label className="text-xs text-zinc-400">
          To
          <input name="to" placeholder="now" defaultValue={value('to')} className={field} />
        </label>
        <div className="flex items-end">
          <button
            type="submit"
            className="w-full rounded bg-zinc-200 px-3 py-1.5 text-sm font-medium text-zinc-900 hover:bg-white"
          >
            Filter
          </button>
        </div>
      </form>
      {page.partial ? (
        <p role="status" className="text-sm text-amber-300">
          Only the newest {Math.round(page.partial.scannedBytes / 2 ** 20)} MiB of the audit file
          were searched: older events are not listed here.
        </p>
      ) : null}
      <AccessLogTable items={page.items} />
      {page.nextCursor ? (
        <Link
          href={`/access-log?${older.toString()}`}
          className="text-sm text-emerald-400 hover:underline"
        >
          Older events
        </Link>
      ) : null}
    </section>
  );
}
