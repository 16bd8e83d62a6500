// A still frame (docs/still-frame.md): the screen at one moment of a
// recording, read on the server from its first messages, which the page
// shows as plain styled text before any of its scripts have run. Types only:
// the browser imports them too.

/** How a run of cells looks. Colours are `#rrggbb`, already resolved from xterm.js's palette. */
export interface StillStyle {
  color?: string;
  background?: string;
  bold?: true;
  italic?: true;
  dim?: true;
  underline?: true;
  strike?: true;
  overline?: true;
}

/** Cells side by side with one style; `cells` is their width on screen (a wide character is 2). */
export interface StillRun {
  text: string;
  cells: number;
  style?: StillStyle;
}

export interface StillFrame {
  /** The moment shown, in ms from the recording's start: the player takes over once it is there. */
  atMs: number;
  cols: number;
  rows: number;
  /** One entry per screen row, top to bottom; trailing blank cells are left out. */
  lines: StillRun[][];
}
