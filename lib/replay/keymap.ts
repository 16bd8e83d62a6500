// The player's keyboard shortcuts: one table that both the key handler and
// the `?` help overlay read, so the two cannot disagree. Keys follow common
// video players, plus tlog-play's own (`{` `}` speed, Backspace reset, `G`).

export type PlayerCommand =
  | { kind: 'toggle' }
  | { kind: 'skip'; ms: number }
  | { kind: 'step'; direction: 1 | -1 }
  | { kind: 'speed'; direction: 1 | -1 }
  | { kind: 'speed-reset' }
  | { kind: 'jump'; fraction: number }
  | { kind: 'start' }
  | { kind: 'end' }
  | { kind: 'fullscreen' }
  | { kind: 'help' }
  | { kind: 'find' }
  | { kind: 'find-step'; direction: 1 | -1 }
  | { kind: 'commands' }
  | { kind: 'command-step'; direction: 1 | -1 }
  // Not bound to keys: the seek bar, the speed menu and the restart button.
  | { kind: 'seek'; ms: number }
  | { kind: 'speed-set'; speed: number }
  | { kind: 'restart' };

export interface Shortcut {
  /** Key names as shown to people. */
  keys: string[];
  description: string;
  /** Matches a KeyboardEvent's `key` (and Shift, where it matters). */
  match: (key: string, shift: boolean) => PlayerCommand | null;
}

const is =
  (command: PlayerCommand, ...keys: string[]) =>
  (key: string): PlayerCommand | null =>
    keys.includes(key) ? command : null;

export const SHORTCUTS: readonly Shortcut[] = [
  {
    keys: ['Space', 'k'],
    description: 'Play / pause',
    match: is({ kind: 'toggle' }, ' ', 'k', 'K'),
  },
  {
    keys: ['←', '→'],
    description: 'Back / forward 5 seconds',
    match: (key, shift) => (shift ? null : arrow(key, 5000)),
  },
  {
    keys: ['Shift+←', 'Shift+→'],
    description: 'Back / forward 30 seconds',
    match: (key, shift) => (shift ? arrow(key, 30_000) : null),
  },
  {
    keys: [',', '.'],
    description: 'Previous / next output (pauses)',
    match: (key) =>
      key === ','
        ? { kind: 'step', direction: -1 }
        : key === '.'
          ? { kind: 'step', direction: 1 }
          : null,
  },
  {
    keys: ['<', '>', '{', '}'],
    description: 'Slower / faster (halve / double)',
    match: (key) =>
      key === '<' || key === '{'
        ? { kind: 'speed', direction: -1 }
        : key === '>' || key === '}'
          ? { kind: 'speed', direction: 1 }
          : null,
  },
  {
    keys: ['Backspace'],
    description: 'Normal speed (1×)',
    match: is({ kind: 'speed-reset' }, 'Backspace'),
  },
  {
    keys: ['0', '…', '9'],
    description: 'Jump to 0% … 90%',
    match: (key) => (/^[0-9]$/.test(key) ? { kind: 'jump', fraction: Number(key) / 10 } : null),
  },
  { keys: ['Home'], description: 'Go to the start', match: is({ kind: 'start' }, 'Home') },
  { keys: ['End', 'G'], description: 'Go to the end', match: is({ kind: 'end' }, 'End', 'G') },
  { keys: ['f'], description: 'Fullscreen on / off', match: is({ kind: 'fullscreen' }, 'f', 'F') },
  { keys: ['?'], description: 'Show / hide this help', match: is({ kind: 'help' }, '?') },
  {
    keys: ['/', 'Ctrl+F'],
    description: 'Find on screen and in typed input (Esc closes)',
    match: is({ kind: 'find' }, '/'),
  },
  {
    keys: ['n', 'N'],
    description: 'Next / previous find hit',
    match: (key) =>
      key === 'n'
        ? { kind: 'find-step', direction: 1 }
        : key === 'N'
          ? { kind: 'find-step', direction: -1 }
          : null,
  },
  {
    keys: ['c'],
    description: 'Show / hide the commands entered',
    match: is({ kind: 'commands' }, 'c', 'C'),
  },
  {
    keys: ['[', ']'],
    description: 'Previous / next command (pauses)',
    match: (key) =>
      key === '['
        ? { kind: 'command-step', direction: -1 }
        : key === ']'
          ? { kind: 'command-step', direction: 1 }
          : null,
  },
];

function arrow(key: string, ms: number): PlayerCommand | null {
  if (key === 'ArrowLeft') return { kind: 'skip', ms: -ms };
  if (key === 'ArrowRight') return { kind: 'skip', ms };
  return null;
}

export interface KeyInput {
  key: string;
  shiftKey: boolean;
  ctrlKey: boolean;
  metaKey: boolean;
  altKey: boolean;
}

/**
 * The command a key press means, or null (browser and system shortcuts are
 * left alone, but for Ctrl+F / ⌘F: find in the recording).
 */
export function commandForKey(event: KeyInput): PlayerCommand | null {
  if ((event.ctrlKey || event.metaKey) && !event.altKey && !event.shiftKey) {
    return event.key === 'f' || event.key === 'F' ? { kind: 'find' } : null;
  }
  if (event.ctrlKey || event.metaKey || event.altKey) return null;
  for (const shortcut of SHORTCUTS) {
    const command = shortcut.match(event.key, event.shiftKey);
    if (command) return command;
  }
  return null;
}
