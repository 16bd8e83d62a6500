import { Terminal } from '@xterm/xterm';
import { harden } from '@/lib/replay/adapters/xterm-harden';
import { REPLAY_TERMINAL_OPTIONS } from '@/lib/replay/terminal-options';

/**
 * The visible terminal: the replay options the keyframe shadow shares
 * (lib/replay/terminal-options.ts), hardened the same way, plus what only a
 * screen needs (font, colours). Replay only: it takes no keys and follows no
 * link.
 */
export function createVisibleTerminal(): Terminal {
  const terminal = new Terminal({
    ...REPLAY_TERMINAL_OPTIONS,
    cursorBlink: false,
    cursorInactiveStyle: 'outline',
    fontFamily:
      "ui-monospace, 'DejaVu Sans Mono', 'Cascadia Mono', 'Liberation Mono', Menlo, monospace",
    fontSize: 14,
    theme: { background: '#000000', foreground: '#e4e4e7', selectionBackground: '#10b98166' },
    // OSC 8 links are dropped by harden(); should one get through, activating it does nothing.
    linkHandler: { activate: () => undefined, allowNonHttpProtocols: false },
  });
  harden(terminal);
  // Keys belong to the player's shortcuts: the terminal takes none.
  terminal.attachCustomKeyEventHandler(() => false);
  return terminal;
}
