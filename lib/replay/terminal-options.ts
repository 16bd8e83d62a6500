// Settings shared by the visible terminal and the keyframe builder's shadow
// terminal. Both must agree exactly, or a keyframe restored into the visible
// terminal would not match what playing from the start shows there.

/** Lines of scrollback kept, by both terminals and in every keyframe. */
export const SCROLLBACK = 1000;

/** Recorded window sizes are untrusted (tlog allows 65535x65535): the largest size drawn. */
export const MAX_COLS = 500;
export const MAX_ROWS = 200;

/** What a pty that was never sized (0x0) is shown as. */
export const DEFAULT_COLS = 80;
export const DEFAULT_ROWS = 24;

export interface TerminalSize {
  cols: number;
  rows: number;
}

/** The size a terminal takes for a recorded `=WxH`: 0 means unset, anything else is clamped. */
export function clampSize(cols: number, rows: number): TerminalSize {
  const c = Number.isFinite(cols) && cols > 0 ? Math.floor(cols) : DEFAULT_COLS;
  const r = Number.isFinite(rows) && rows > 0 ? Math.floor(rows) : DEFAULT_ROWS;
  return { cols: Math.min(MAX_COLS, Math.max(2, c)), rows: Math.min(MAX_ROWS, Math.max(1, r)) };
}

/**
 * Constructor options for both terminals. Replay only: nothing typed goes
 * anywhere (answers to the recording's terminal queries are dropped because
 * stdin is disabled), and window operations stay off (xterm's default, made
 * explicit). `allowProposedApi` is left to each: it changes no behaviour,
 * and @xterm/headless counts `parser` as proposed API where @xterm/xterm
 * does not.
 */
export const REPLAY_TERMINAL_OPTIONS = {
  cols: DEFAULT_COLS,
  rows: DEFAULT_ROWS,
  scrollback: SCROLLBACK,
  disableStdin: true,
  convertEol: false,
  windowOptions: {},
} as const;
