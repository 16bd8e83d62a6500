// How the visible terminal looks: xterm.js's theme and font
// (components/player/visible-terminal.ts), and the still frame drawn before it
// (components/player/still-screen.tsx, lib/replay/adapters/xterm-still-screen.ts), which
// must look the same. No imports: the still frame's code ships before xterm.js.

export const TERMINAL_FOREGROUND = '#e4e4e7';
export const TERMINAL_BACKGROUND = '#000000';
export const TERMINAL_SELECTION = '#10b98166';
export const TERMINAL_FONT_FAMILY =
  "ui-monospace, 'DejaVu Sans Mono', 'Cascadia Mono', 'Liberation Mono', Menlo, monospace";
/** px, before fitting to the width (components/player/use-fit.ts). */
export const TERMINAL_FONT_SIZE = 14;
