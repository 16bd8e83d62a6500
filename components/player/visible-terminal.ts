import { Terminal } from '@xterm/xterm';
import { harden } from '@/lib/replay/adapters/xterm-harden';
import { REPLAY_TERMINAL_OPTIONS } from '@/lib/replay/terminal-options';
import {
  TERMINAL_BACKGROUND,
  TERMINAL_FONT_FAMILY,
  TERMINAL_FONT_SIZE,
  TERMINAL_FOREGROUND,
  TERMINAL_SELECTION,
} from '@/lib/replay/terminal-theme';

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
    fontFamily: TERMINAL_FONT_FAMILY,
    fontSize: TERMINAL_FONT_SIZE,
    theme: {
      background: TERMINAL_BACKGROUND,
      foreground: TERMINAL_FOREGROUND,
      selectionBackground: TERMINAL_SELECTION,
    },
    // OSC 8 links are dropped by harden(); should one get through, activating it does nothing.
    linkHandler: { activate: () => undefined, allowNonHttpProtocols: false },
  });
  harden(terminal);
  // Keys belong to the player's shortcuts: the terminal takes none.
  terminal.attachCustomKeyEventHandler(() => false);
  return terminal;
}

type SelectionRedraw = (start?: unknown, end?: unknown, columnSelectMode?: boolean) => void;
interface RenderServiceInternals {
  _core?: { _renderService?: { handleSelectionChanged?: SelectionRedraw } };
}

/**
 * xterm.js redraws every row whenever its selection service asks, selection
 * or not: each resize that changes the row count and each switch between
 * the normal and the alternate screen clears the selection, and the DOM
 * renderer answers a cleared selection with renderRows(0, rows - 1). A seek
 * across a resize paid for a second full render of the screen. Call after
 * `open()` (the render service exists from then): a redraw from no selection
 * to no selection is skipped; any change of a selection is drawn as before.
 * Without the internal (another xterm.js), nothing changes.
 */
export function skipEmptySelectionRedraws(terminal: Terminal): boolean {
  const service = (terminal as unknown as RenderServiceInternals)._core?._renderService;
  const redraw = service?.handleSelectionChanged;
  if (!service || typeof redraw !== 'function') return false;
  let selected = false;
  service.handleSelectionChanged = (start, end, columnSelectMode) => {
    const now = Boolean(start && end);
    if (!now && !selected) return;
    selected = now;
    redraw.call(service, start, end, columnSelectMode);
  };
  return true;
}

/**
 * Selects a find hit's match on screen: `hit.row` is the viewport row its
 * line starts on (negative: in the scrollback, which is then scrolled to),
 * `start`/`end` offsets in the line's text as the screen
 * text index read it (wrapped rows joined, a wide character one unit, an
 * empty cell a space). Returns the selected text, or null if the screen does
 * not show that line there.
 */
export function highlightHit(
  terminal: Terminal,
  hit: { row: number; start: number; end: number },
): string | null {
  const buffer = terminal.buffer.active;
  const first = buffer.baseY + hit.row;
  let offset = 0;
  let from: { x: number; y: number } | null = null;
  let to: { x: number; y: number } | null = null;
  for (let y = first; y < buffer.baseY + terminal.rows && !to; y++) {
    const line = buffer.getLine(y);
    if (!line || (y > first && !line.isWrapped)) break;
    for (let x = 0; x < terminal.cols; x++) {
      const cell = line.getCell(x);
      if (!cell || cell.getWidth() === 0) continue;
      if (offset === hit.start && !from) from = { x, y };
      offset += cell.getChars().length || 1;
      if (offset === hit.end) {
        to = { x: x + cell.getWidth(), y };
        break;
      }
    }
  }
  if (!from || !to) {
    clearHighlight(terminal);
    return null;
  }
  const length = (to.y - from.y) * terminal.cols + to.x - from.x;
  terminal.select(from.x, from.y, length);
  // A line that had scrolled off by then: show it, near the top.
  if (first < buffer.baseY) {
    terminal.scrollToLine(Math.max(0, first - 2));
    scrolledUp.add(terminal);
  }
  return terminal.getSelection();
}

/** Terminals that highlightHit scrolled up (the user's own scrolling is left alone). */
const scrolledUp = new WeakSet<Terminal>();

/** Clears a hit's selection, and goes back to the bottom if highlightHit scrolled up to it. */
export function clearHighlight(terminal: Terminal): void {
  terminal.clearSelection();
  if (scrolledUp.delete(terminal)) terminal.scrollToBottom();
}
