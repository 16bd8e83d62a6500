'use client';

import '@xterm/xterm/css/xterm.css';
import { useCallback, useEffect, useRef, useState } from 'react';
import { PlayerState } from '@/lib/replay/engine';
import type { PlayerCommand } from '@/lib/replay/keymap';
import { formatMoment } from '@/lib/replay/moment';
import { formatSpeed } from '@/lib/replay/speeds';
import { commandMoment } from '@/lib/replay/commands/nav';
import type { StillFrame } from '@/lib/replay/still/types';
import { CommandsPane } from './commands-pane';
import { ControlButton } from './control-button';
import { CopyLinkButton } from './copy-link-button';
import { DetailsPanel } from './details-panel';
import { FindBar } from './find-bar';
import { HelpDialog } from './help-dialog';
import { Icon } from './icon';
import { IdleLimitMenu } from './idle-limit-menu';
import { InputPane } from './input-pane';
import { LiveBadge } from './live-badge';
import { LoadProgress } from './load-progress';
import { runCommand } from './run-command';
import { DEFAULT_OUTPUT_BUDGET } from '@/lib/replay/output-chunks';
import { ScreenStatus } from './screen-status';
import { SeekBar } from './seek-bar';
import { SpeedMenu } from './speed-menu';
import { StillScreen } from './still-screen';
import { TimeReadout } from './time-readout';
import { TransportControls } from './transport-controls';
import { BASE_FONT_SIZE, MAX_FONT_SIZE, MIN_FONT_SIZE, useFit } from './use-fit';
import { useFind } from './use-find';
import { usePlayer } from './use-player';
import { usePlayerKeys } from './use-player-keys';
import { useStillCover } from './use-still-cover';
import { ZoomControls } from './zoom-controls';

export interface PlayerProps {
  recordingId: string;
  /** ms; opens paused there (a link to a moment). */
  startAt?: number;
  speed: number;
  /** From the recording's summary: known before the messages have loaded. */
  durationMs: number;
  messages: number;
  hasInput: boolean;
  /** `?find=`: opens with this search active (at its first hit, without `startAt`). */
  find?: string;
  /** In progress (or `?live=1`): follow new messages as they arrive (docs/live.md). */
  live?: boolean;
  /** `?live=1`: open at the live edge. */
  edge?: boolean;
  /** The server's still frame: shown over the terminal until the terminal shows its moment. */
  still?: StillFrame;
  /** Bytes of output held in the page at most (OUTPUT_BUDGET_MB, docs/memory.md). */
  outputBudget?: number;
}

export function Player({
  recordingId,
  startAt,
  speed,
  durationMs,
  messages,
  hasInput,
  find: findParam,
  live = false,
  edge = false,
  still,
  outputBudget = DEFAULT_OUTPUT_BUDGET,
}: PlayerProps) {
  const rootRef = useRef<HTMLDivElement>(null);
  const viewportRef = useRef<HTMLDivElement>(null);
  const screenRef = useRef<HTMLDivElement>(null);
  // A search link without a moment opens paused, then goes to the first hit.
  const findFirst = startAt === undefined && findParam !== undefined && findParam.trim() !== '';
  const model = usePlayer(screenRef, {
    recordingId,
    startAt: findFirst ? 0 : startAt,
    speed,
    totalMs: durationMs,
    hasInput,
    live,
    edge: edge && startAt === undefined,
    outputBudget,
  });
  const find = useFind(model, findParam, findFirst);
  const { engine, terminal, snapshot, time, timeline } = model;
  const cover = useStillCover(still, terminal, engine);
  const [fullscreen, setFullscreen] = useState(false);
  const [help, setHelp] = useState(false);
  const [showInput, setShowInput] = useState(true);
  const [showDetails, setShowDetails] = useState(false);
  const [showCommands, setShowCommands] = useState(false);
  const [fit, setFit] = useState(true);
  const [fontSize, setFontSize] = useState(BASE_FONT_SIZE);

  const totalMs = snapshot.complete
    ? snapshot.durationMs
    : Math.max(durationMs, snapshot.durationMs);
  const ready = snapshot.state !== PlayerState.Loading && snapshot.state !== PlayerState.Error;
  const paused = snapshot.state === PlayerState.Paused || snapshot.state === PlayerState.Ended;
  const withInput = hasInput || timeline.hasInput;

  useFit(terminal, viewportRef, { fit, fontSize, fitHeight: fullscreen, ...model.size });

  useEffect(() => {
    const onChange = () => setFullscreen(document.fullscreenElement === rootRef.current);
    document.addEventListener('fullscreenchange', onChange);
    return () => document.removeEventListener('fullscreenchange', onChange);
  }, []);

  const toggleFullscreen = useCallback(() => {
    if (document.fullscreenElement) void document.exitFullscreen();
    else void rootRef.current?.requestFullscreen().catch(() => undefined);
  }, []);

  const following =
    model.live !== null && model.live.state !== 'ended' && model.live.state !== 'stopped';
  const { goLive } = model;
  const { uncover } = cover;
  const run = useCallback(
    (command: PlayerCommand) => {
      // The user's own move: the frame's moment is no longer what is wanted.
      uncover();
      return runCommand(engine, command, {
        goLive: following ? goLive : null,
        totalMs,
        toggleFullscreen,
        toggleHelp: () => setHelp((h) => !h),
        openFind: find.show,
        stepFind: find.step,
        toggleCommands: () => setShowCommands((v) => !v),
        commandMoment: (direction) =>
          commandMoment(model.commands.list, engine?.currentTime() ?? 0, direction),
      });
    },
    [
      uncover,
      engine,
      totalMs,
      toggleFullscreen,
      find.show,
      find.step,
      model.commands.list,
      following,
      goLive,
    ],
  );
  usePlayerKeys(run);
  const seek = (ms: number) => run({ kind: 'seek', ms });
  const zoom = (size: number) => {
    setFit(false);
    setFontSize(Math.min(MAX_FONT_SIZE, Math.max(MIN_FONT_SIZE, Math.round(size))));
  };
  const currentFont = terminal?.options.fontSize ?? fontSize;
  const indexedPercent = model.keyframes
    ? Math.floor((model.indexed / Math.max(1, timeline.events)) * 100)
    : null;

  return (
    <div
      ref={rootRef}
      data-testid="player"
      data-state={snapshot.state}
      data-time={(time / 1000).toFixed(3)}
      data-duration={(snapshot.durationMs / 1000).toFixed(3)}
      data-settled={model.settled ? 'true' : 'false'}
      data-indexed={model.indexed}
      data-keyframes={model.keyframeCount}
      data-keyframe-bytes={model.keyframeBytes}
      data-events={timeline.events}
      data-messages={timeline.messages}
      data-gaps={timeline.gaps.length}
      data-complete={snapshot.complete ? 'true' : 'false'}
      data-text-lines={model.textLines}
      data-text-bytes={model.textBytes}
      data-output-held={model.memory.held}
      data-output-peak={model.memory.peak}
      data-output-budget={model.memory.budget}
      data-evictions={model.memory.evictions}
      data-refetches={model.memory.refetches}
      data-refetching={model.memory.refetching ? 'true' : 'false'}
      data-find-hits={find.open ? find.hits.length : undefined}
      data-find-current={find.open && find.current !== null ? find.current + 1 : undefined}
      data-find-match={find.match ?? undefined}
      data-find-done={find.done ? 'true' : undefined}
      className={`flex flex-col overflow-hidden border border-zinc-800 bg-zinc-950 ${fullscreen ? 'h-screen' : 'rounded-lg'}`}
    >
      {model.loadError !== null ? (
        <p
          role="alert"
          data-testid="load-error"
          className="border-b border-amber-900 bg-amber-950/60 px-3 py-2 text-sm text-amber-200"
        >
          Loading stopped after {timeline.messages.toLocaleString('en')} of{' '}
          {messages.toLocaleString('en')} messages: {model.loadError.replace(/\.?$/, '.')} The part
          that arrived plays; reload the page to try the rest again.
        </p>
      ) : null}
      {find.open ? (
        <FindBar
          query={find.query}
          onQuery={find.setQuery}
          hits={find.hits}
          current={find.current}
          onStep={find.step}
          onClose={find.close}
          error={find.error}
          status={find.status}
          focusKey={find.focusKey}
        />
      ) : null}
      <div
        className={`flex min-h-0 flex-1 flex-col lg:flex-row ${fullscreen ? '' : 'lg:max-h-[80vh]'}`}
      >
        <div
          ref={viewportRef}
          className="relative min-h-48 min-w-0 flex-1 overflow-auto bg-black p-2"
        >
          <ScreenStatus
            snapshot={snapshot}
            startAt={startAt}
            loadedMessages={timeline.messages}
            totalMessages={messages}
            refetching={model.memory.refetching}
            refetchError={model.memory.error}
          />
          <div
            ref={screenRef}
            data-testid="terminal"
            data-cols={model.size.cols}
            data-rows={model.size.rows}
            aria-label={`Terminal, ${model.size.cols} by ${model.size.rows}`}
            role="region"
            className={`isolate mx-auto w-fit ${cover.covered ? 'invisible absolute inset-x-2 top-2' : ''} ${paused ? '' : 'select-none'}`}
          />
          {/* In the terminal's place (which lays out unseen beneath) until it shows the same moment. */}
          {cover.covered && still ? <StillScreen frame={still} /> : null}
        </div>
        {withInput && showInput ? (
          <aside className="flex max-h-64 min-h-0 flex-col border-t border-zinc-800 lg:max-h-none lg:w-80 lg:border-t-0 lg:border-l">
            <InputPane lines={model.inputLines} time={time} onSeek={seek} />
          </aside>
        ) : null}
        {showCommands ? (
          <aside className="flex max-h-64 min-h-0 flex-col border-t border-zinc-800 lg:max-h-none lg:w-96 lg:border-t-0 lg:border-l">
            <CommandsPane commands={model.commands} time={time} onSeek={seek} />
          </aside>
        ) : null}
        {showDetails ? (
          <aside className="max-h-72 overflow-y-auto border-t border-zinc-800 bg-zinc-950 lg:max-h-none lg:w-80 lg:border-t-0 lg:border-l">
            <DetailsPanel
              timeline={timeline}
              totalMessages={messages}
              indexedPercent={indexedPercent}
              keyframes={{ count: model.keyframeCount, bytes: model.keyframeBytes }}
              onSeek={seek}
            />
          </aside>
        ) : null}
      </div>
      <LoadProgress loaded={timeline.messages} total={messages} complete={snapshot.complete} />
      <div className="border-t border-zinc-800 bg-zinc-900 px-3 pt-2 pb-2">
        <SeekBar
          time={time}
          totalMs={totalMs}
          loadedMs={snapshot.complete && model.loadError === null ? totalMs : snapshot.durationMs}
          levels={model.levels}
          gaps={timeline.gaps}
          windows={timeline.windows}
          hits={find.open ? find.hits : []}
          currentHit={find.current}
          startMs={timeline.startMs}
          disabled={!ready}
          onSeek={seek}
        />
        <div className="mt-1 flex flex-wrap items-center gap-x-4 gap-y-2">
          <TransportControls snapshot={snapshot} run={run} />
          <TimeReadout time={time} totalMs={totalMs} startMs={timeline.startMs} />
          {model.live ? (
            <LiveBadge
              live={model.live}
              time={time}
              durationMs={snapshot.durationMs}
              startMs={timeline.startMs}
              playing={snapshot.state === PlayerState.Playing}
              onGoLive={goLive}
            />
          ) : null}
          <div className="ml-auto flex flex-wrap items-center gap-1">
            <SpeedMenu
              speed={snapshot.speed}
              onChange={(s) => run({ kind: 'speed-set', speed: s })}
            />
            <IdleLimitMenu
              limitMs={snapshot.idleLimitMs}
              onChange={(ms) => engine?.setIdleLimit(ms)}
            />
            <span className="mx-1 h-5 w-px bg-zinc-700" aria-hidden="true" />
            <ZoomControls
              fit={fit}
              fontSize={currentFont}
              onFit={() => setFit((f) => !f)}
              onZoom={zoom}
            />
            {withInput ? (
              <ControlButton
                label="Typed input"
                onClick={() => setShowInput((v) => !v)}
                pressed={showInput}
              >
                <Icon name="input" />
              </ControlButton>
            ) : null}
            <ControlButton
              label="Commands"
              keys="c"
              onClick={() => setShowCommands((v) => !v)}
              pressed={showCommands}
            >
              <Icon name="commands" />
            </ControlButton>
            <ControlButton label="Find" keys="/ or Ctrl+F" onClick={find.show} pressed={find.open}>
              <Icon name="find" />
            </ControlButton>
            <ControlButton
              label="Timeline details"
              onClick={() => setShowDetails((v) => !v)}
              pressed={showDetails}
            >
              <Icon name="info" />
            </ControlButton>
            <CopyLinkButton
              recordingId={recordingId}
              time={time}
              speed={snapshot.speed}
              disabled={!ready}
            />
            <ControlButton label="Keyboard shortcuts" keys="?" onClick={() => setHelp(true)}>
              <Icon name="keyboard" />
            </ControlButton>
            <ControlButton
              label={fullscreen ? 'Exit fullscreen' : 'Fullscreen'}
              keys="f"
              onClick={toggleFullscreen}
            >
              <Icon name={fullscreen ? 'exit-fullscreen' : 'fullscreen'} />
            </ControlButton>
          </div>
        </div>
      </div>
      <HelpDialog open={help} onClose={() => setHelp(false)} />
      <span className="sr-only" aria-live="polite">
        {snapshot.state === PlayerState.Paused
          ? `paused at ${formatMoment(Math.floor(time))}`
          : snapshot.state}
        {`, speed ${formatSpeed(snapshot.speed)}`}
      </span>
    </div>
  );
}
