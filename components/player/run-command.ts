import type { ReplayEngine } from '@/lib/replay/engine';
import type { PlayerCommand } from '@/lib/replay/keymap';
import { stepSpeed } from '@/lib/replay/speeds';

export interface CommandContext {
  /** The recording's full duration (ms), known from its summary before it has all loaded. */
  totalMs: number;
  /** While following live: back to the edge, playing (End); null otherwise. */
  goLive: (() => void) | null;
  toggleFullscreen: () => void;
  toggleHelp: () => void;
  openFind: () => void;
  stepFind: (direction: 1 | -1) => void;
  toggleCommands: () => void;
  /** The moment of the previous / next command from the current time, if any. */
  commandMoment: (direction: 1 | -1) => number | null;
}

/** Carries out a command from a key or a control: the one place both go through. */
export function runCommand(
  engine: ReplayEngine | null,
  command: PlayerCommand,
  context: CommandContext,
): void {
  if (command.kind === 'fullscreen') return context.toggleFullscreen();
  if (command.kind === 'help') return context.toggleHelp();
  if (command.kind === 'find') return context.openFind();
  if (command.kind === 'find-step') return context.stepFind(command.direction);
  if (command.kind === 'commands') return context.toggleCommands();
  if (!engine) return;
  if (command.kind === 'command-step') {
    const ms = context.commandMoment(command.direction);
    if (ms === null) return;
    engine.pause();
    return engine.seek(ms);
  }
  const speed = engine.snapshot().speed;
  switch (command.kind) {
    case 'toggle':
      return engine.togglePlay();
    case 'skip':
      return engine.skip(command.ms);
    case 'step':
      return command.direction > 0 ? engine.stepForward() : engine.stepBack();
    case 'speed':
      return engine.setSpeed(stepSpeed(speed, command.direction));
    case 'speed-reset':
      return engine.setSpeed(1);
    case 'speed-set':
      return engine.setSpeed(command.speed);
    case 'jump':
      return engine.seek(command.fraction * context.totalMs);
    case 'start':
      return engine.seek(0);
    case 'end':
      return context.goLive ? context.goLive() : engine.seek(context.totalMs);
    case 'seek':
      return engine.seek(command.ms);
    case 'restart':
      engine.seek(0);
      return engine.play();
  }
}
