'use client';

import { useEffect, useRef } from 'react';
import { commandsUpTo } from '@/lib/replay/commands/nav';
import type { CommandSource } from '@/lib/replay/commands/types';
import { formatMoment } from '@/lib/replay/moment';
import { Icon } from './icon';
import type { CommandsView } from './player-session';

/** Rows rendered at once, around the command on screen (the list can hold 50,000). */
const WINDOW = 400;

const SOURCES: Record<CommandSource, { label: string; title: string }> = {
  marks: { label: 'marked', title: "Found by the shell's own marks (OSC 133 / 633)" },
  input: { label: 'typed', title: 'The line on screen when Enter was typed (input was logged)' },
  screen: { label: 'screen', title: 'Read from the screen: a prompt, then the cursor moved on' },
};

/**
 * The command lines entered in the recording (docs/commands.md), in time
 * order, the one on screen highlighted. A row seeks to its moment. A
 * command that may have been printed by a program rather than typed is
 * marked with why.
 */
export function CommandsPane({
  commands,
  time,
  onSeek,
}: {
  commands: CommandsView;
  time: number;
  onSeek: (ms: number) => void;
}) {
  const listRef = useRef<HTMLOListElement>(null);
  const { list } = commands;
  const current = commandsUpTo(list, time) - 1;
  const from = Math.max(0, Math.min(current - WINDOW / 2, list.length - WINDOW));
  const shown = list.slice(from, from + WINDOW);

  // The command on screen stays in view: the list scrolls, never the page.
  useEffect(() => {
    const list = listRef.current;
    const row = list?.querySelector<HTMLElement>('[aria-current="true"]');
    if (!list || !row) return;
    const top = row.offsetTop;
    if (top < list.scrollTop || top + row.offsetHeight > list.scrollTop + list.clientHeight)
      list.scrollTop = Math.max(0, top - list.clientHeight / 2);
  }, [current]);

  const status = commands.error
    ? commands.error
    : !commands.complete
      ? 'Finding commands as the recording loads…'
      : list.length === 0
        ? 'No command lines found.'
        : null;

  return (
    <section
      aria-label="Commands"
      className="flex min-h-0 flex-col bg-zinc-950/80 text-sm"
      data-testid="commands-pane"
      data-complete={commands.complete ? 'true' : 'false'}
      data-count={list.length}
    >
      <header className="flex items-center justify-between gap-2 border-b border-zinc-800 px-3 py-1.5">
        <h2 className="text-xs font-semibold uppercase tracking-wide text-zinc-400">
          Commands{list.length > 0 ? ` (${list.length.toLocaleString('en')})` : ''}
        </h2>
        {commands.truncated ? (
          <span className="text-xs text-amber-300" title="The list keeps the first 50,000">
            first 50,000
          </span>
        ) : null}
      </header>
      <ol
        ref={listRef}
        className="relative min-h-24 flex-1 overflow-y-auto px-1 py-1 font-mono text-xs"
      >
        {status ? <li className="px-2 py-1 font-sans text-zinc-500">{status}</li> : null}
        {shown.map((command, i) => {
          const index = from + i;
          const source = SOURCES[command.source];
          return (
            <li
              key={index}
              data-testid="command"
              data-t={command.t}
              data-source={command.source}
              data-doubt={command.doubt ? 'true' : undefined}
              aria-current={index === current ? 'true' : undefined}
              className={`rounded ${index === current ? 'bg-emerald-950/70' : 'hover:bg-zinc-900'}`}
            >
              <button
                type="button"
                onClick={() => onSeek(command.t)}
                className="flex w-full items-start gap-2 px-1 py-0.5 text-left"
                aria-label={`Go to ${formatMoment(command.t)}: ${command.line}`}
              >
                <span className="shrink-0 tabular-nums text-zinc-500">
                  {formatMoment(Math.floor(command.t / 1000) * 1000)}
                </span>
                <span className="min-w-0 flex-1">
                  {command.cwd ? (
                    <span className="block truncate text-[11px] text-sky-300/80">
                      {command.cwd}
                    </span>
                  ) : null}
                  <span
                    data-testid="command-line"
                    className={`whitespace-pre-wrap break-all ${command.doubt ? 'text-amber-200' : 'text-zinc-100'}`}
                  >
                    {command.line}
                  </span>
                  {command.doubt ? (
                    <span
                      data-testid="command-doubt"
                      className="mt-0.5 flex items-center gap-1 font-sans text-[11px] text-amber-300"
                    >
                      <Icon name="warning" className="size-3.5 shrink-0" />
                      Maybe not typed: {command.doubt}
                    </span>
                  ) : null}
                </span>
                <span
                  className="shrink-0 rounded bg-zinc-800 px-1 font-sans text-[10px] text-zinc-400"
                  title={source.title}
                >
                  {source.label}
                </span>
              </button>
            </li>
          );
        })}
      </ol>
    </section>
  );
}
