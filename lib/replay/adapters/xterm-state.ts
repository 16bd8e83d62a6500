// Capturing an xterm.js terminal's state as a string that, written into a
// fresh terminal of the same size, recreates it: the keyframes of the replay.
//
// @xterm/addon-serialize does most of it (both buffers, scrollback, colours,
// cursor, the current pen, most modes). What it leaves out is added here:
// cursor visibility, the scroll region and the saved cursor. A few other
// parts of the state cannot be written back from outside (a half-parsed
// escape sequence, a pending line wrap, a G0..G3 character set in use), so
// keyframes are only taken at a "boundary", where none of them is in play.
// Both read xterm.js internals (as the serialize addon itself does); the unit
// tests fail loudly if an xterm.js upgrade moves them.

import type { Terminal } from '@xterm/headless';
import type { SerializeAddon } from '@xterm/addon-serialize';

interface XtermInternals {
  _inputHandler?: {
    _parser?: { currentState?: number };
    _utf8Decoder?: { interim?: Uint8Array };
  };
  buffer?: { scrollTop?: number; scrollBottom?: number; savedX?: number; savedY?: number };
  coreService?: { isCursorHidden?: boolean };
  _charsetService?: { charset?: unknown; glevel?: number };
}

/** The escape-sequence parser's ground state (xterm.js ParserState.GROUND). */
const PARSER_GROUND = 0;

function internals(terminal: Terminal): XtermInternals | undefined {
  return (terminal as unknown as { _core?: XtermInternals })._core;
}

/** True when xterm.js exposes what `atBoundary` and `captureState` read. */
export function internalsAvailable(terminal: Terminal): boolean {
  const core = internals(terminal);
  return (
    typeof core?._inputHandler?._parser?.currentState === 'number' &&
    core._inputHandler._utf8Decoder?.interim instanceof Uint8Array &&
    typeof core.buffer?.scrollTop === 'number' &&
    typeof core.coreService?.isCursorHidden === 'boolean' &&
    typeof core._charsetService?.glevel === 'number'
  );
}

/**
 * Whether the terminal's whole state is in its buffers and modes, so that a
 * capture now restores exactly: no escape sequence or UTF-8 character half
 * read, no wrap pending at the right margin, the default character set.
 */
export function atBoundary(terminal: Terminal): boolean {
  const core = internals(terminal);
  if (!core) return false;
  if (core._inputHandler?._parser?.currentState !== PARSER_GROUND) return false;
  if (core._inputHandler._utf8Decoder?.interim?.[0]) return false;
  if (core._charsetService?.glevel !== 0 || core._charsetService.charset !== undefined)
    return false;
  return terminal.buffer.active.cursorX < terminal.cols;
}

function modes(terminal: Terminal): string {
  const m = terminal.modes;
  let out = '';
  if (m.applicationCursorKeysMode) out += '\x1b[?1h';
  if (m.applicationKeypadMode) out += '\x1b[?66h';
  if (m.bracketedPasteMode) out += '\x1b[?2004h';
  if (m.insertMode) out += '\x1b[4h';
  if (m.reverseWraparoundMode) out += '\x1b[?45h';
  if (m.sendFocusMode) out += '\x1b[?1004h';
  if (!m.wraparoundMode) out += '\x1b[?7l';
  const mouse = {
    none: '',
    x10: '\x1b[?9h',
    vt200: '\x1b[?1000h',
    drag: '\x1b[?1002h',
    any: '\x1b[?1003h',
  };
  out += mouse[m.mouseTrackingMode];
  return out;
}

/** The terminal's state as a string to write into a fresh terminal of the same size. */
export function captureState(
  terminal: Terminal,
  serializer: SerializeAddon,
  scrollback: number,
): string {
  const core = internals(terminal);
  const options = { scrollback, excludeModes: true };
  let state: string;
  if (terminal.buffer.active.type === 'alternate') {
    // The addon ends the normal buffer with the current pen, which then
    // leaks into the alternate screen's first cells: reset it in between.
    const normal = serializer.serialize({ ...options, excludeAltBuffer: true });
    const all = serializer.serialize(options);
    state = `${normal}\x1b[0m${all.slice(normal.length)}`;
  } else {
    state = serializer.serialize(options);
  }

  const buffer = terminal.buffer.active;
  const x = buffer.cursorX;
  const y = buffer.cursorY;
  const top = core?.buffer?.scrollTop ?? 0;
  const bottom = core?.buffer?.scrollBottom ?? terminal.rows - 1;
  const cup = (row: number, col: number) => `\x1b[${row + 1};${col + 1}H`;
  let extra = '';
  // xterm.js keeps the saved cursor's row counted from the top of the
  // scrollback: what DECRC restores is that minus the scrolled-off lines.
  const savedX = core?.buffer?.savedX ?? 0;
  const savedRow = Math.max(0, (core?.buffer?.savedY ?? 0) - buffer.baseY);
  if (buffer.type === 'normal' && (savedX !== 0 || savedRow !== 0)) {
    extra += `${cup(Math.min(savedRow, terminal.rows - 1), savedX)}\x1b7`;
  }
  if (top !== 0 || bottom !== terminal.rows - 1) {
    // DECSTBM homes the cursor.
    extra += `\x1b[${top + 1};${bottom + 1}r`;
  }
  extra += modes(terminal);
  if (terminal.modes.originMode) extra += `\x1b[?6h${cup(y - top, x)}`;
  else if (extra !== '') extra += cup(y, x);
  if (core?.coreService?.isCursorHidden) extra += '\x1b[?25l';
  return state + extra;
}
