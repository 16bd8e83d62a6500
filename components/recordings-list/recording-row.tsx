import type { ListParams } from '@/lib/list-params';
import Link from 'next/link';
import { formatTimestamp } from '@/lib/format';
import { formatMoment } from '@/lib/replay/moment';
import type { RecordingSummary } from '@/lib/sources/types';
import { playerHref } from '@/lib/links';
import { LinkPending } from '@/components/link-pending';
import { hrefWith, toggled } from './params';
import { ChangingCells, LiveMark } from './live-row-cells';
import { Snippet } from './snippet';

const SESSION_NONE = 4294967295;

/** "2026-11-19 16:40:05" (the header says UTC). */
const utc = (iso: string) => formatTimestamp(iso).replace(/ UTC$/, '');

const cell = 'px-2 py-2 align-top';
const filterLink =
  'rounded hover:text-emerald-300 hover:underline focus-visible:outline focus-visible:outline-2 focus-visible:outline-emerald-500';

/** A recording in the list, and under it where a text search found it. */
export function RecordingRow({
  item,
  params,
  names = true,
}: {
  item: RecordingSummary;
  params: ListParams;
  /** Host and user columns (left out inside the grouped view). */
  names?: boolean;
}) {
  const columns = names ? 9 : 7;
  return (
    <>
      <tr data-testid="recording-row" className="border-t border-zinc-800/80 hover:bg-zinc-900/70">
        <td className={`${cell} whitespace-nowrap font-mono`}>
          <Link
            href={playerHref(item.id)}
            data-row-link
            className="rounded text-emerald-400 hover:underline focus-visible:outline focus-visible:outline-2 focus-visible:outline-emerald-500"
            aria-label={`Play ${item.user}@${item.host}, started ${formatTimestamp(item.start)}`}
          >
            {utc(item.start)}
            <LinkPending />
          </Link>
          {item.live ? <LiveMark item={item} /> : null}
        </td>
        {names ? (
          <>
            <td className={`${cell} max-w-[16rem] truncate`}>
              <Link
                href={hrefWith(params, { host: toggled(params.host, item.host) })}
                className={filterLink}
                title={`Only ${item.host}`}
              >
                {item.host}
              </Link>
            </td>
            <td className={`${cell} max-w-[10rem] truncate`}>
              <Link
                href={hrefWith(params, { user: toggled(params.user, item.user) })}
                className={filterLink}
                title={`Only ${item.user}`}
              >
                {item.user}
              </Link>
            </td>
          </>
        ) : null}
        <td className={`${cell} font-mono text-zinc-400`}>
          {item.session === SESSION_NONE ? (
            <span title="Recorded outside a login session">—</span>
          ) : (
            <Link
              href={hrefWith(params, { session: String(item.session) })}
              className={filterLink}
              title="Only this session"
            >
              {item.session}
            </Link>
          )}
        </td>
        <ChangingCells
          item={item}
          input={
            <td className={`${cell} text-center`}>
              {item.hasInput ? (
                <span
                  className="rounded bg-sky-950 px-1.5 py-0.5 text-xs text-sky-300"
                  title="Keystrokes were recorded"
                >
                  yes
                </span>
              ) : (
                <span className="text-zinc-600" title="Only output was recorded">
                  no
                </span>
              )}
            </td>
          }
        />
      </tr>
      {item.match ? (
        <tr className="bg-zinc-900/40" data-testid="recording-match">
          <td colSpan={columns} className="px-2 pb-3 pt-0">
            <div className="flex flex-wrap items-baseline gap-x-3 gap-y-1 border-l-2 border-amber-500/60 pl-3">
              <Link
                href={playerHref(item.id, {
                  atMs: item.match.atMs,
                  find: item.match.snippet.find((part) => part.hit)?.text ?? params.q,
                })}
                className="shrink-0 rounded bg-amber-500/15 px-2 py-0.5 text-xs font-medium text-amber-200 hover:bg-amber-500/25 focus-visible:outline focus-visible:outline-2 focus-visible:outline-amber-400"
                title="Opens the player paused when this text was printed, with it in the find box"
                aria-label={`Open the recording at ${formatMoment(item.match.atMs)}, where the text appears`}
              >
                ▶ {formatMoment(item.match.atMs)}
              </Link>
              <Snippet parts={item.match.snippet} />
            </div>
          </td>
        </tr>
      ) : null}
      {item.command ? (
        <tr className="bg-zinc-900/40" data-testid="recording-command">
          <td colSpan={columns} className="px-2 pb-3 pt-0">
            <div className="flex flex-wrap items-baseline gap-x-3 gap-y-1 border-l-2 border-sky-500/60 pl-3">
              <Link
                href={playerHref(item.id, { atMs: item.command.atMs })}
                className="shrink-0 rounded bg-sky-500/15 px-2 py-0.5 text-xs font-medium text-sky-200 hover:bg-sky-500/25 focus-visible:outline focus-visible:outline-2 focus-visible:outline-sky-400"
                title="Opens the player paused when this command was entered"
                aria-label={`Open the recording at ${formatMoment(item.command.atMs)}, where the command was entered`}
              >
                ▶ {formatMoment(item.command.atMs)}
              </Link>
              {item.command.cwd ? (
                <span className="font-mono text-xs text-sky-300/80">{item.command.cwd}</span>
              ) : null}
              <code className="min-w-0 break-all font-mono text-xs text-zinc-100">
                {item.command.line}
              </code>
            </div>
          </td>
        </tr>
      ) : null}
    </>
  );
}
