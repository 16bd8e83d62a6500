// The screen text index's view of an @xterm/headless terminal
// (screen-text.ts ScreenReader): its active buffer's lines, and which rows
// each write touched. xterm.js tracks those rows for its renderer
// (InputHandler's dirty-row tracker, reset at each parse); it is internal, so
// without it every row counts as written, which gives the same index, slower
// (tests/unit/screen-text.test.ts checks both ways agree).

import type { IMarker, Terminal } from '@xterm/headless';
import type { BufferKind, ScreenReader, ScrolledLine } from '../screen-text';

interface DirtyRows {
  start: number;
  end: number;
}

interface WithTracker {
  _core?: { _inputHandler?: { _dirtyRowTracker?: DirtyRows } };
}

export class XtermScreen implements ScreenReader {
  private readonly tracker: DirtyRows | null;
  private dirty: DirtyRows | null = null;
  /**
   * The normal buffer's top line at the last look (xterm moves a marker as
   * lines are trimmed off the scrollback, and disposes of it when its own
   * line goes). null before the first look.
   */
  private top: IMarker | null = null;
  private looked = false;

  constructor(
    private readonly terminal: Terminal,
    options: { track?: boolean } = {},
  ) {
    const tracker = (terminal as unknown as WithTracker)._core?._inputHandler?._dirtyRowTracker;
    this.tracker =
      options.track !== false &&
      typeof tracker?.start === 'number' &&
      typeof tracker.end === 'number'
        ? tracker
        : null;
  }

  /** After each synchronous write: its rows join those since the last takeDirty. */
  noteWrite(): void {
    const tracker = this.tracker;
    if (!tracker) return;
    const { start, end } = tracker;
    this.dirty = this.dirty
      ? { start: Math.min(this.dirty.start, start), end: Math.max(this.dirty.end, end) }
      : { start, end };
  }

  /** Writes whose rows are unknown (the asynchronous path): every row counts as written. */
  noteUnknownWrite(): void {
    this.dirty = { start: 0, end: this.terminal.rows - 1 };
  }

  takeDirty(): DirtyRows | null {
    if (!this.tracker) return null;
    const dirty = this.dirty ?? { start: 0, end: -1 };
    this.dirty = null;
    return dirty;
  }

  takeScrolled(): ScrolledLine[] {
    const buffer = this.terminal.buffer.normal;
    const top = buffer.baseY;
    // Everything in the scrollback is new if the last look's top line is gone.
    const known = this.looked && this.top !== null && !this.top.isDisposed;
    const from = known && this.top ? this.top.line : 0;
    const lines: ScrolledLine[] = [];
    for (let y = Math.max(0, from); y < top; y++) {
      const line = buffer.getLine(y);
      // A wrapped row belongs to the line above it.
      if (!line || line.isWrapped) continue;
      let last = y;
      while (buffer.getLine(last + 1)?.isWrapped) last += 1;
      lines.push({
        row: y - top,
        was: known ? y - from : null,
        text: joinWrapped(buffer, y, last),
      });
    }
    this.markTop();
    return lines;
  }

  resetScrolled(): void {
    this.markTop();
  }

  private markTop(): void {
    this.looked = true;
    this.top?.dispose();
    const buffer = this.terminal.buffer.normal;
    // Markers go on the active buffer, at an offset from the cursor.
    this.top =
      this.terminal.buffer.active.type === 'normal'
        ? (this.terminal.registerMarker(-buffer.cursorY) ?? null)
        : null;
  }

  buffer(): BufferKind {
    return this.terminal.buffer.active.type;
  }

  rows(): number {
    return this.terminal.rows;
  }

  cols(): number {
    return this.terminal.cols;
  }

  isContinuation(y: number): boolean {
    const buffer = this.terminal.buffer.active;
    return buffer.getLine(buffer.baseY + y)?.isWrapped ?? false;
  }

  lineText(y: number): string {
    const buffer = this.terminal.buffer.active;
    const first = buffer.baseY + y;
    const bottom = buffer.baseY + this.terminal.rows - 1;
    let last = first;
    while (last < bottom && buffer.getLine(last + 1)?.isWrapped) last += 1;
    if (last === first) return buffer.getLine(first)?.translateToString(true) ?? '';
    return joinWrapped(buffer, first, last);
  }
}

/** The text of rows first..last (a line and its wrapped continuations), trailing blanks of the last cut. */
function joinWrapped(buffer: Terminal['buffer']['active'], first: number, last: number): string {
  let text = '';
  for (let at = first; at < last; at++) text += buffer.getLine(at)?.translateToString(false) ?? '';
  return text + (buffer.getLine(last)?.translateToString(true) ?? '');
}
