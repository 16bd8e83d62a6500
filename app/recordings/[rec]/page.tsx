import { notFound } from 'next/navigation';
import { RecordingViewers } from '@/components/access/recording-viewers';
import { ErrorNotice } from '@/components/error-notice';
import { EarlyMessagesScript } from '@/components/player/early-messages-script';
import { PlayerLoader } from '@/components/player/player-loader';
import { RecordingDetails } from '@/components/recording-details';
import { callerScope, currentCaller } from '@/lib/access';
import { auditFound } from '@/lib/audit';
import { recordingViewers } from '@/lib/audit/viewers';
import { AppError } from '@/lib/errors';
import { MAX_FIND_LENGTH } from '@/lib/replay/find';
import { parseMoment } from '@/lib/replay/moment';
import { recordingIdSchema } from '@/lib/sources/ids';
import { getSource } from '@/lib/sources';
import { env } from '@/lib/env';
import { NO_STILL_FRAME, startStillFrame } from '@/lib/replay/still/load';

export const dynamic = 'force-dynamic';

const first = (v: string | string[] | undefined) => (Array.isArray(v) ? v[0] : v);

export default async function RecordingPage({
  params,
  searchParams,
}: {
  params: Promise<{ rec: string }>;
  searchParams: Promise<Record<string, string | string[] | undefined>>;
}) {
  const id = recordingIdSchema.safeParse(decodeURIComponent((await params).rec));
  if (!id.success) notFound();
  const query = await searchParams;
  const t = first(query.t);
  const startAt = t === undefined ? undefined : parseMoment(t);
  const findText = first(query.find);
  const find = findText === undefined ? undefined : findText.trim().slice(0, MAX_FIND_LENGTH);
  const liveText = first(query.live);
  const edge = liveText === '1';

  const source = getSource();
  const { STILL_FRAME_WAIT_MS } = env();
  let summary;
  let still = NO_STILL_FRAME;
  try {
    const scope = await callerScope();
    // Read beside the summary, in the same scope, and shown only with it. No
    // frame where the first screen is not known yet: a find link goes to its
    // first hit, a live link to the edge.
    if (!find && !edge && startAt !== null && STILL_FRAME_WAIT_MS > 0)
      still = startStillFrame(source, scope, id.data, startAt);
    summary = await auditFound('recording-view', id.data, await source.get(scope, id.data));
  } catch (err) {
    void still.settle(0);
    if (!(err instanceof AppError)) throw err;
    return <ErrorNotice title="The recording could not be read" message={err.message} />;
  }
  if (!summary) {
    void still.settle(0);
    notFound();
  }
  const frame = await still.settle(STILL_FRAME_WAIT_MS);

  const problems: string[] = [];
  if (startAt === null) {
    problems.push(
      `"${t}" is not a moment: use seconds (83.5), m:ss (1:23.5) or h:mm:ss (1:02:03).`,
    );
  }
  if (liveText !== undefined && liveText !== '1' && liveText !== '0')
    problems.push(`"live=${liveText}" is not 1 (open at the live edge) or 0.`);
  const speedText = first(query.speed);
  const speed = speedText === undefined ? 1 : Number(speedText);
  const speedOk = Number.isFinite(speed) && speed >= 1 / 16 && speed <= 16;
  if (!speedOk) problems.push(`"${speedText}" is not a speed between 1/16 (0.0625) and 16.`);

  return (
    <div className="space-y-4">
      <EarlyMessagesScript recordingId={summary.id} />
      <RecordingDetails summary={summary} />
      {problems.length > 0 ? (
        <ErrorNotice title="Part of this link was ignored" message={problems.join(' ')} />
      ) : null}
      <PlayerLoader
        recordingId={summary.id}
        startAt={startAt ?? undefined}
        speed={speedOk ? speed : 1}
        durationMs={summary.durationMs}
        messages={summary.messages}
        hasInput={summary.hasInput}
        live={summary.live === true || edge}
        edge={edge}
        outputBudget={env().OUTPUT_BUDGET_MB * 1024 * 1024}
        {...(find ? { find } : {})}
        {...(frame ? { still: frame } : {})}
      />
      <RecordingViewers
        recordingId={summary.id}
        viewers={currentCaller().then((caller) => recordingViewers(caller, summary.id))}
      />
    </div>
  );
}
