// Reads a terminal's screen as styled runs for a still frame, resolving
// colours the way xterm.js's DOM renderer draws them for the visible terminal
// (components/player/visible-terminal.ts): its default palette, bold drawn in
// the bright colours, inverse, and hidden text (SGR 8) drawn as blanks.

import type { IBufferCell, Terminal } from '@xterm/headless';
import { TERMINAL_BACKGROUND, TERMINAL_FOREGROUND } from '../terminal-theme';
import type { StillRun, StillStyle } from '../still/types';

/** xterm.js's default 16 colours (its ThemeService), normal then bright. */
const ANSI = [
  '#2e3436',
  '#cc0000',
  '#4e9a06',
  '#c4a000',
  '#3465a4',
  '#75507b',
  '#06989a',
  '#d3d7cf',
  '#555753',
  '#ef2929',
  '#8ae234',
  '#fce94f',
  '#729fcf',
  '#ad7fa8',
  '#34e2e2',
  '#eeeeec',
];

const hex = (r: number, g: number, b: number) =>
  `#${((1 << 24) | (r << 16) | (g << 8) | b).toString(16).slice(1)}`;

/** The 256-colour palette: the 16, a 6×6×6 cube, 24 greys (as xterm.js builds it). */
export const PALETTE: readonly string[] = (() => {
  const levels = [0x00, 0x5f, 0x87, 0xaf, 0xd7, 0xff];
  const colours = [...ANSI];
  for (let i = 0; i < 216; i++) {
    colours.push(
      hex(
        levels[Math.floor(i / 36) % 6] ?? 0,
        levels[Math.floor(i / 6) % 6] ?? 0,
        levels[i % 6] ?? 0,
      ),
    );
  }
  for (let i = 0; i < 24; i++) {
    const v = 8 + i * 10;
    colours.push(hex(v, v, v));
  }
  return colours;
})();

/** A colour from a cell, or null for the default one. */
function cellColour(mode: 'fg' | 'bg', cell: IBufferCell, bold: boolean): string | null {
  if (mode === 'fg' ? cell.isFgDefault() : cell.isBgDefault()) return null;
  const value = mode === 'fg' ? cell.getFgColor() : cell.getBgColor();
  if (mode === 'fg' ? cell.isFgRGB() : cell.isBgRGB()) {
    return hex((value >> 16) & 0xff, (value >> 8) & 0xff, value & 0xff);
  }
  // drawBoldTextInBrightColors (xterm.js's default): bold takes the bright colour.
  const index = mode === 'fg' && bold && value < 8 ? value + 8 : value;
  return PALETTE[index] ?? null;
}

/** The style of one cell, with what xterm.js draws by default left out. */
export function cellStyle(cell: IBufferCell): StillStyle {
  const style: StillStyle = {};
  const bold = cell.isBold() !== 0;
  let fg = cellColour('fg', cell, bold);
  let bg = cellColour('bg', cell, false);
  if (cell.isInverse()) {
    [fg, bg] = [bg ?? TERMINAL_BACKGROUND, fg ?? TERMINAL_FOREGROUND];
  }
  if (fg !== null) style.color = fg;
  if (bg !== null) style.background = bg;
  if (bold) style.bold = true;
  if (cell.isItalic()) style.italic = true;
  if (cell.isDim()) style.dim = true;
  if (cell.isUnderline()) style.underline = true;
  if (cell.isStrikethrough()) style.strike = true;
  if (cell.isOverline()) style.overline = true;
  return style;
}

const styleKey = (s: StillStyle) =>
  `${s.color ?? ''}|${s.background ?? ''}|${s.bold ? 1 : 0}${s.italic ? 1 : 0}${s.dim ? 1 : 0}${s.underline ? 1 : 0}${s.strike ? 1 : 0}${s.overline ? 1 : 0}`;

/** Blank cells a line can end with: no background, no underline, nothing to draw. */
const blankKey = styleKey({});

/** The visible rows of the active buffer as runs, one array per row. */
export function readScreen(terminal: Terminal): StillRun[][] {
  const buffer = terminal.buffer.active;
  const cell = buffer.getNullCell();
  const lines: StillRun[][] = [];
  for (let row = 0; row < terminal.rows; row++) {
    const line = buffer.getLine(buffer.viewportY + row);
    const runs: StillRun[] = [];
    let key = '';
    for (let x = 0; line && x < terminal.cols; x++) {
      if (!line.getCell(x, cell)) break;
      const width = cell.getWidth();
      // The second half of a wide character.
      if (width === 0) continue;
      const style = cellStyle(cell);
      // Hidden text (SGR 8) is drawn as blanks: it is not on screen.
      const text = cell.isInvisible() ? ' '.repeat(width) : cell.getChars() || ' ';
      const k = styleKey(style);
      const last = runs[runs.length - 1];
      if (last && k === key) {
        last.text += text;
        last.cells += width;
      } else {
        runs.push(
          Object.keys(style).length > 0 ? { text, cells: width, style } : { text, cells: width },
        );
        key = k;
      }
    }
    // Trailing blanks in the default style draw nothing.
    const last = runs[runs.length - 1];
    if (last && styleKey(last.style ?? {}) === blankKey) {
      const trimmed = last.text.replace(/ +$/, '');
      last.cells -= last.text.length - trimmed.length;
      last.text = trimmed;
      if (trimmed === '') runs.pop();
    }
    lines.push(runs);
  }
  return lines;
}
