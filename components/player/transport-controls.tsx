import type { ReactNode } from 'react';
import { PlayerState, type PlayerSnapshot } from '@/lib/replay/engine';
import type { PlayerCommand } from '@/lib/replay/keymap';
import { ControlButton } from './control-button';
import { Icon } from './icon';

/** Restart, ±30 s, ±5 s, frame step, play/pause and end. */
export function TransportControls({
  snapshot,
  run,
}: {
  snapshot: PlayerSnapshot;
  run: (command: PlayerCommand) => void;
}) {
  const ready = snapshot.state !== PlayerState.Loading && snapshot.state !== PlayerState.Error;
  const playing = snapshot.state === PlayerState.Playing;
  const button = (label: string, keys: string, command: PlayerCommand, content: ReactNode) => (
    <ControlButton label={label} keys={keys} onClick={() => run(command)} disabled={!ready}>
      {content}
    </ControlButton>
  );
  return (
    <div className="flex items-center gap-0.5" role="group" aria-label="Playback">
      {button('Restart', 'Home to go to the start', { kind: 'restart' }, <Icon name="restart" />)}
      {button('Back 30 seconds', 'Shift+←', { kind: 'skip', ms: -30_000 }, '−30s')}
      {button('Back 5 seconds', '←', { kind: 'skip', ms: -5000 }, '−5s')}
      {button('Previous output', ',', { kind: 'step', direction: -1 }, <Icon name="step-back" />)}
      <span className="mx-1">
        <ControlButton
          label={playing ? 'Pause' : 'Play'}
          keys="Space, k"
          onClick={() => run({ kind: 'toggle' })}
          disabled={!ready}
          primary
        >
          <Icon name={playing ? 'pause' : 'play'} className="size-5" />
        </ControlButton>
      </span>
      {button('Next output', '.', { kind: 'step', direction: 1 }, <Icon name="step-forward" />)}
      {button('Forward 5 seconds', '→', { kind: 'skip', ms: 5000 }, '+5s')}
      {button('Forward 30 seconds', 'Shift+→', { kind: 'skip', ms: 30_000 }, '+30s')}
      {button('Go to end', 'End, G', { kind: 'end' }, <Icon name="end" />)}
    </div>
  );
}
