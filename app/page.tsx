import { ErrorNotice } from '@/components/error-notice';
import { RecordingsTable } from '@/components/recordings-table';
import { callerScope } from '@/lib/access';
import { AppError } from '@/lib/errors';
import { listParamsSchema, paramsRecord } from '@/lib/schemas';
import { getSource } from '@/lib/sources';

export const dynamic = 'force-dynamic';

export default async function RecordingsPage({
  searchParams,
}: {
  searchParams: Promise<Record<string, string | string[] | undefined>>;
}) {
  const parsed = listParamsSchema.safeParse(paramsRecord(await searchParams));
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    return (
      <ErrorNotice
        title="Invalid filter"
        message={`${issue?.path.join('.') ?? 'parameter'}: ${issue?.message ?? 'invalid value'}`}
      />
    );
  }
  const source = getSource();
  let result;
  try {
    result = await source.list(await callerScope(), parsed.data);
  } catch (err) {
    if (!(err instanceof AppError)) throw err;
    return <ErrorNotice title="Recordings could not be listed" message={err.message} />;
  }
  return (
    <section aria-labelledby="recordings-heading">
      <div className="mb-4 flex items-baseline justify-between gap-4">
        <h1 id="recordings-heading" className="text-xl font-semibold">
          Recordings
        </h1>
        <p className="text-sm text-zinc-400">
          {result.total} recording{result.total === 1 ? '' : 's'} from{' '}
          {source.kind === 'elasticsearch' ? 'Elasticsearch' : 'recording files'}
        </p>
      </div>
      <RecordingsTable items={result.items} />
    </section>
  );
}
