// A plain-text transcript of what appeared on a terminal screen. The output is
// interpreted by a headless xterm.js at the recorded size (cursor movement,
// line editing, wrapping, colours dropped), and each screen line is written
// to the transcript once, in its final form, when it leaves the screen:
//
// - when it scrolls off the top (xterm's onScroll fires once per line, while
//   the line is still in the scrollback, so the scrollback stays small);
// - when the screen is cleared (ED 2, or ED 0 from the top-left corner) or
//   the terminal is reset (RIS): the screen is written first;
// - when a full-screen program leaves the alternate screen (DECRST 47, 1047,
//   1049): its last screen is written; its earlier screens are written at
//   each clear, but lines it scrolled off the alternate screen are lost (the
//   alternate screen has no scrollback);
// - at the end, what is left on the screen.
//
// Wrapped rows are joined into one line; trailing blanks are trimmed. Memory
// is bounded by the terminal size: nothing else is kept.
//
// Recorded output is untrusted here as in the player: the terminal is
// hardened the same way (lib/replay/adapters/xterm-harden.ts: counted
// sequences clamped to the screen, no titles or links) and the same runs of
// combining marks are cut (lib/replay/combining-cap.ts), so that no sequence
// costs more than the screen it can change. lib/export/text-budget.ts runs it
// in a worker thread with a time and memory budget besides.

import type { IBuffer, IBufferNamespace, IMarker, Terminal } from '@xterm/headless';
import { headlessTerminalClass } from '@/lib/replay/adapters/headless-terminal';
import { harden } from '@/lib/replay/adapters/xterm-harden';
import { CombiningCap } from '@/lib/replay/combining-cap';
// The player's clamp: a hostile `=65535x65535` would cost gigabytes of cells.
import { clampSize } from '@/lib/replay/terminal-options';

const SCROLLBACK = 200;
const ALT_SCREEN_MODES = [47, 1047, 1049];

/** Trailing spaces off (written ones too: xterm's own trim keeps those). */
function trimBlanks(text: string): string {
  let end = text.length;
  while (end > 0 && text.charCodeAt(end - 1) === 0x20) end--;
  return end === text.length ? text : text.slice(0, end);
}

/**
 * A row's text without control characters: a cell holds what xterm.js did
 * not execute, which can include C1 controls (U+0080..U+009F; a terminal in
 * 8-bit mode takes U+009B for CSI). The transcript must be safe to show in
 * any terminal, so none of them reach it.
 */
const CONTROL = /[\u0000-\u0008\u000b-\u001f\u007f-\u009f]/;
const CONTROLS = new RegExp(CONTROL.source, 'g');
const printable = (text: string) => (CONTROL.test(text) ? text.replace(CONTROLS, '') : text);

const hasMode = (params: (number | number[])[], modes: number[]) =>
  params.some((p) => typeof p === 'number' && modes.includes(p));

export class Transcript {
  private readonly term: Terminal;
  /** `term.buffer` checks an option on every access: keep it. */
  private readonly buffers: IBufferNamespace;
  private out = '';
  // ignoreBOM keeps a recorded U+FEFF instead of swallowing it.
  private readonly decoder = new TextDecoder('utf-8', { ignoreBOM: true });
  private readonly cap = new CombiningCap();
  /** First normal-buffer line not yet written; `skip` when the marked line itself was. */
  private mark: { marker: IMarker; skip: boolean } | null = null;
  /** After a reset the old marker points into a buffer that no longer exists. */
  private markStale = false;
  /** A line has been started and not yet ended with "\n". */
  private lineOpen = false;
  /** Blank rows right after a clear are not worth a line each. */
  private afterClear = true;

  constructor(cols: number, rows: number) {
    const size = clampSize(cols, rows);
    const TerminalClass = headlessTerminalClass();
    // In the headless build the buffer, parser and marker APIs count as proposed.
    this.term = new TerminalClass({
      cols: size.cols,
      rows: size.rows,
      scrollback: SCROLLBACK,
      allowProposedApi: true,
      // Recorded output is untrusted and often odd: parse errors are not news.
      logLevel: 'off',
    });
    this.buffers = this.term.buffer;
    // First: the transcript's own handlers below run before these, and let them run.
    harden(this.term);
    this.term.onScroll(() => this.scrolled());
    const parser = this.term.parser;
    // Handlers run before xterm's own and return false to let it run too.
    parser.registerCsiHandler({ final: 'J' }, (params) => {
      const mode = typeof params[0] === 'number' ? params[0] : 0;
      const buffer = this.buffers.active;
      if (mode === 2 || (mode === 0 && buffer.cursorX === 0 && buffer.cursorY === 0))
        this.screenCleared();
      return false;
    });
    parser.registerCsiHandler({ prefix: '?', final: 'h' }, (params) => {
      if (hasMode(params, ALT_SCREEN_MODES) && this.buffers.active.type === 'normal')
        this.leavingNormal();
      return false;
    });
    parser.registerCsiHandler({ prefix: '?', final: 'l' }, (params) => {
      if (hasMode(params, ALT_SCREEN_MODES) && this.buffers.active.type === 'alternate') {
        this.writeScreen(this.buffers.alternate);
      }
      return false;
    });
    parser.registerEscHandler({ final: 'c' }, () => {
      this.screenCleared();
      this.markStale = true;
      return false;
    });
  }

  /**
   * Feeds output; resolves once xterm has parsed it. Bytes are decoded here,
   * not by xterm: xterm drops bytes that are not UTF-8, a transcript shows
   * U+FFFD where they were.
   */
  write(data: Uint8Array): Promise<void> {
    const text = this.decoder.decode(this.cap.filter(data), { stream: true });
    return new Promise((resolve) => this.term.write(text, resolve));
  }

  /** Whether `resize(cols, rows)` would change the terminal's size. */
  resizes(cols: number, rows: number): boolean {
    const size = clampSize(cols, rows);
    return size.cols !== this.term.cols || size.rows !== this.term.rows;
  }

  resize(cols: number, rows: number): void {
    if (!this.resizes(cols, rows)) return;
    const size = clampSize(cols, rows);
    this.term.resize(size.cols, size.rows);
    // Fewer rows push lines into the scrollback without a scroll event.
    this.scrolled();
  }

  /**
   * Writes a note (e.g. a gap) after the lines above the cursor's. The line
   * the cursor is on is still being written: it follows the note, whole.
   */
  note(text: string): void {
    if (this.buffers.active.type === 'normal') this.writeAboveCursor();
    this.endLine();
    this.out += `${text}\n`;
  }

  /**
   * Writes a note after the line `rows` rows from the cursor's (0: the
   * cursor's, -1 the one above), and the lines before it: a command's note
   * goes right after the command line, before output already below it.
   */
  noteAfter(rows: number, text: string): void {
    const buffer = this.buffers.normal;
    if (this.buffers.active.type !== 'normal' || rows > 0) return this.note(text);
    let last = buffer.baseY + buffer.cursorY + rows;
    while (buffer.getLine(last + 1)?.isWrapped) last++;
    const from = this.markedLine();
    if (last >= from && last >= 0) {
      this.writeRows(buffer, from, last + 1);
      this.setMark(last + 1);
    }
    this.endLine();
    this.out += `${text}\n`;
  }

  /** Writes what is left on the screen(s) and frees the terminal. */
  async end(): Promise<void> {
    // A character cut off by the end of the recording shows as U+FFFD.
    const tail = this.decoder.decode();
    if (tail) await new Promise<void>((resolve) => this.term.write(tail, resolve));
    const normal = this.buffers.normal;
    this.writeRows(normal, this.markedLine(), normal.baseY + this.lastUsedRow(normal) + 1);
    if (this.buffers.active.type === 'alternate') this.writeScreen(this.buffers.alternate);
    this.endLine();
    this.dispose();
  }

  dispose(): void {
    this.mark?.marker.dispose();
    this.mark = null;
    this.term.dispose();
  }

  /** The transcript text produced since the last call. */
  take(): string {
    const text = this.out;
    this.out = '';
    return text;
  }

  private markedLine(): number {
    if (!this.mark || this.markStale || this.mark.marker.isDisposed) return 0;
    return this.mark.marker.line + (this.mark.skip ? 1 : 0);
  }

  /** Marks `line` of the normal buffer (which must be active) as the first not written. */
  private setMark(line: number): void {
    const buffer = this.buffers.normal;
    const cursorLine = buffer.baseY + buffer.cursorY;
    const skip = line >= buffer.length;
    const marker = this.term.registerMarker((skip ? buffer.length - 1 : line) - cursorLine);
    if (!marker) return;
    this.mark?.marker.dispose();
    this.mark = { marker, skip };
    this.markStale = false;
  }

  private scrolled(): void {
    if (this.buffers.active.type !== 'normal') return;
    const buffer = this.buffers.normal;
    const from = this.markedLine();
    if (from >= buffer.baseY) return;
    this.writeRows(buffer, from, buffer.baseY);
    this.setMark(buffer.baseY);
  }

  private screenCleared(): void {
    const buffer = this.buffers.active;
    if (buffer.type === 'alternate') {
      this.writeScreen(buffer);
      return;
    }
    this.writeRows(buffer, this.markedLine(), buffer.baseY + this.lastUsedRow(buffer) + 1);
    this.endLine();
    this.setMark(buffer.baseY);
    this.afterClear = true;
  }

  /**
   * Entering the alternate screen: the normal screen's lines above the cursor
   * are final, so they come before the full-screen program's screens. The
   * cursor's line is not: the shell writes its next prompt there.
   */
  private leavingNormal(): void {
    this.writeAboveCursor();
    this.endLine();
  }

  /** Writes the normal buffer's lines above the one the cursor is on (wrapped rows count as one line). */
  private writeAboveCursor(): void {
    const buffer = this.buffers.normal;
    let line = buffer.baseY + buffer.cursorY;
    while (line > 0 && buffer.getLine(line)?.isWrapped) line--;
    const from = this.markedLine();
    if (from >= line) return;
    this.writeRows(buffer, from, line);
    this.setMark(line);
  }

  private writeScreen(buffer: IBuffer): void {
    this.endLine();
    this.afterClear = true;
    this.writeRows(buffer, buffer.baseY, buffer.baseY + this.lastUsedRow(buffer) + 1);
    this.endLine();
  }

  /** Index (from the top of the screen) of the last row with text, or -1. */
  private lastUsedRow(buffer: IBuffer): number {
    for (let row = this.term.rows - 1; row >= 0; row--) {
      if (trimBlanks(buffer.getLine(buffer.baseY + row)?.translateToString(true) ?? '')) return row;
    }
    return -1;
  }

  private writeRows(buffer: IBuffer, from: number, to: number): void {
    let row = buffer.getLine(Math.max(0, from));
    for (let i = Math.max(0, from); i < to && row; i++) {
      const next = buffer.getLine(i + 1);
      // A row the next one continues keeps its trailing blanks: they are text.
      const full = printable(row.translateToString(false));
      const text = next?.isWrapped ? full : trimBlanks(full);
      if (row.isWrapped && this.lineOpen) {
        this.out += text;
      } else if (!(this.afterClear && text === '')) {
        this.endLine();
        this.out += text;
        this.lineOpen = true;
      }
      if (text !== '') this.afterClear = false;
      row = next;
    }
  }

  private endLine(): void {
    if (this.lineOpen) this.out += '\n';
    this.lineOpen = false;
  }
}
