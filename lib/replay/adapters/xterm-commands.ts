// The command timeline (docs/commands.md): the command lines a user entered,
// found while an xterm.js terminal plays the recording. Sources, best first:
//
// - marks: shell-integration marks in the output (commands/marks.ts). The command is
//   the text between the command-start mark (B) and the end of its line when
//   the command runs (C), or the line VS Code's 633;E gives.
// - input: when input was logged, the line after a prompt as it stood on
//   screen when the cursor left it after an Enter key (history recall, tab
//   completion and line editing give the command as run, not the keys).
// - screen: without input, the line after a prompt (commands/prompt.ts) when the
//   cursor moves on to output.
//
// Text typed while the terminal was not echoing never reaches the screen, so
// a password is never a command. Full-screen programs run in the alternate
// buffer, where nothing is a command: `vi notes.txt` is one entry. Recorded
// output is untrusted: a command that a program may have printed (marks
// while a command runs, a prompt and command printed together, no Enter key
// where input was logged) is kept but carries a `doubt`, so that it cannot
// pass for a typed one.

import type { IBuffer, IMarker, Terminal } from '@xterm/headless';
import { parseCwdReport, parseIntegrationMark, type Mark } from '../commands/marks';
import { looksLikePrompt, MAX_PROMPT, promptDirectory, PromptBook } from '../commands/prompt';
import { DOUBTS, MAX_COMMANDS, MAX_LINE, type CommandEntry } from '../commands/types';

const CONTROLS = /[\u0000-\u001f\u007f-\u009f]/g;
const clean = (text: string) => text.replace(CONTROLS, '').trimEnd().slice(0, MAX_LINE);

/** A prompt on screen, waiting for its command line (sources input and screen). */
interface Pending {
  /** The prompt's line (the first row of a wrapped line). */
  marker: IMarker;
  prompt: string;
  /** The moment the prompt was first seen. */
  t: number;
  /** The text after the prompt at the last look. */
  text: string;
  /** That text changed after the prompt's moment (typed, recalled), or was carried from a redraw. */
  typedLater: boolean;
  /** The first Enter key typed at this prompt (input logged). */
  enterT: number | null;
  /** Ctrl+C was typed before any Enter. */
  cancelled: boolean;
  cwd: string | null;
}

/** A command line between marks B and C. */
interface Marked {
  marker: IMarker | null;
  /** Where the command starts in its line's text (UTF-16 units). */
  start: number;
  cwd: string | null;
  enterT: number | null;
  explicit: string | null;
  nested: boolean;
  /** The batch of marks it was noted in (a C in the same one was printed with it). */
  batch: number;
}

export class CommandTracker {
  readonly commands: CommandEntry[] = [];
  /** Commands were dropped past MAX_COMMANDS. */
  truncated = false;
  private inputLogged = false;
  private readonly prompts = new PromptBook();
  private pending: Pending | null = null;
  private cwd: string | null = null;
  /** Once the shell marks its command lines, prompts on screen are left to the marks. */
  private marksMode = false;
  private running = false;
  /** The shell reports the end of each command (D): a prompt mark while one runs is printed by it. */
  private reportsEnd = false;
  private nested = false;
  private marked: Marked | null = null;
  /** Commands marked since the last look, listed there with their time. */
  private untimed: { entry: CommandEntry; enterT: number | null; marker: IMarker | null }[] = [];
  /** Where each command's line was, in rows from the cursor's, when it was found. */
  private readonly rows = new WeakMap<CommandEntry, number>();
  /** Looks so far: marks between the same two looks were printed together. */
  private batch = 0;
  /** The first command changed or added since takeChanges. */
  private changedFrom = 0;

  /**
   * `inputLogged`: the recording is known to hold input (its summary says
   * so), so that a command printed before the first key is doubted at once;
   * otherwise the first input event tells, and changes those listed before it.
   */
  constructor(
    private readonly terminal: Terminal,
    options: { inputLogged?: boolean } = {},
  ) {
    this.inputLogged = options.inputLogged ?? false;
    const parser = terminal.parser;
    parser.registerOscHandler(133, (data) => this.note(parseIntegrationMark(data, false)));
    parser.registerOscHandler(633, (data) => this.note(parseIntegrationMark(data, true)));
    parser.registerOscHandler(7, (data) => this.note(parseCwdReport(data)));
  }

  /** The screen after the output of millisecond t. */
  moment(t: number): void {
    this.takeMarks(t);
    if (this.marksMode) return;
    const buffers = this.terminal.buffer;
    const p = this.pending;
    if (buffers.active.type !== 'normal') {
      // A full-screen program started: the line that started it is final.
      if (p) this.commit(p, t);
      return;
    }
    const normal = buffers.normal;
    const line = lineStart(normal, normal.baseY + normal.cursorY, this.maxRows());
    if (line < 0) {
      // The cursor is in a line far longer than a prompt and command: output.
      if (p) this.commit(p, t);
      return;
    }
    if (p && p.marker.isDisposed) this.drop(p);
    else if (p && p.marker.line === line) {
      this.look(p, t);
      return;
    } else if (p && this.redrawn(p, t, line)) return;
    else if (p) this.commit(p, t);
    this.detect(line, t, false);
  }

  /**
   * The commands changed since the last call: those from index `from` on
   * (an earlier one changes when a doubt is found later).
   */
  takeChanges(): { from: number; commands: CommandEntry[] } | null {
    const from = this.changedFrom;
    if (from >= this.commands.length) return null;
    this.changedFrom = this.commands.length;
    return { from, commands: this.commands.slice(from) };
  }

  /** An input event, with the output before it written. */
  input(t: number, data: Uint8Array): void {
    if (!this.inputLogged) this.inputSeen();
    this.takeMarks(t);
    for (const byte of data) {
      const enter = byte === 0x0d || byte === 0x0a;
      if (this.marked) {
        if (enter) this.marked.enterT ??= t;
        continue;
      }
      const p = this.pending;
      if (!p || p.enterT !== null) continue;
      if (byte === 0x03) p.cancelled = true;
      else if (enter && !p.cancelled) p.enterT = t;
    }
  }

  /** No more output: a command whose Enter was typed counts. */
  end(t: number): void {
    this.takeMarks(t);
    const p = this.pending;
    if (p?.enterT != null) {
      if (!p.marker.isDisposed) this.look(p, t);
      this.commit(p, t);
    } else if (p) this.drop(p);
  }

  /**
   * Input is logged: no command before the first key was typed (the keys
   * would be here), so any listed already was printed.
   */
  private inputSeen(): void {
    this.inputLogged = true;
    for (const entry of this.commands) {
      if (entry.doubt) continue;
      entry.doubt = DOUBTS.noEnter;
      this.changedFrom = Math.min(this.changedFrom, this.commands.indexOf(entry));
    }
  }

  // Marks: taken where the parser meets them (with the cursor and the line
  // there); the commands they give get their time at the next look.

  private note(mark: Mark | null): boolean {
    if (!mark) return false;
    switch (mark.kind) {
      case 'cwd':
        this.cwd = mark.cwd;
        break;
      case 'prompt':
        this.nested = this.running && this.reportsEnd;
        break;
      case 'command-start':
        this.startMarked();
        break;
      case 'command-line':
        if (this.marked) this.marked.explicit = mark.line;
        break;
      case 'executed':
        this.executed();
        break;
      case 'finished':
        this.reportsEnd = true;
        this.running = false;
        this.nested = false;
        break;
    }
    // Other handlers (none in xterm.js for these) still run.
    return false;
  }

  /** Gives the commands marked since the last look their time. */
  private takeMarks(t: number): void {
    this.batch += 1;
    for (const { entry, enterT, marker } of this.untimed) {
      entry.t = enterT ?? t;
      const row = marker && !marker.isDisposed ? marker.line - this.cursorLine() : null;
      marker?.dispose();
      if (this.add(entry) && row !== null) this.rows.set(entry, row);
    }
    this.untimed = [];
  }

  private startMarked(): void {
    this.marksMode = true;
    if (this.pending) this.drop(this.pending);
    this.marked?.marker?.dispose();
    const buffer = this.terminal.buffer.active;
    let marker: IMarker | null = null;
    let start = 0;
    const cursor = buffer.baseY + buffer.cursorY;
    const first = buffer.type === 'normal' ? lineStart(buffer, cursor, this.maxRows()) : -1;
    if (first >= 0) {
      start =
        rowsText(buffer, first, cursor, false).length + textBefore(buffer, cursor, buffer.cursorX);
      marker = this.terminal.registerMarker(first - cursor) ?? null;
    }
    this.marked = {
      marker,
      start,
      cwd: this.cwd,
      enterT: null,
      explicit: null,
      nested: this.nested,
      batch: this.batch,
    };
  }

  private executed(): void {
    const m = this.marked;
    if (!m) return;
    this.marked = null;
    this.running = true;
    const screen = m.marker && !m.marker.isDisposed ? this.lineText(m.marker.line) : '';
    const line = clean(m.explicit ?? screen.slice(m.start));
    if (!line) {
      m.marker?.dispose();
      return;
    }
    const doubt = m.nested
      ? DOUBTS.nested
      : m.batch === this.batch
        ? DOUBTS.together
        : this.inputLogged && m.enterT === null
          ? DOUBTS.noEnter
          : undefined;
    // Listed at the next look, with its time.
    const entry: CommandEntry = { t: 0, line, cwd: m.cwd, source: 'marks', doubt };
    this.untimed.push({ entry, enterT: m.enterT, marker: m.marker });
  }

  // Prompts on screen.

  /** Learns or recognises a prompt on the cursor's line. */
  private detect(line: number, t: number, carried: boolean): void {
    const normal = this.terminal.buffer.normal;
    const text = this.lineText(line);
    let length = this.prompts.match(text);
    if (length < 0) {
      const cursor = normal.baseY + normal.cursorY;
      const at =
        rowsText(normal, line, cursor, false).length + textBefore(normal, cursor, normal.cursorX);
      const left = text.slice(0, at);
      if (at === 0 || text.slice(at).trim() !== '' || !looksLikePrompt(left)) return;
      this.prompts.learn(left);
      length = at;
    }
    const marker = this.terminal.registerMarker(line - (normal.baseY + normal.cursorY));
    if (!marker) return;
    const prompt = text.slice(0, length);
    this.pending = {
      marker,
      prompt,
      t,
      text: clean(text.slice(length)),
      typedLater: carried,
      enterT: null,
      cancelled: false,
      cwd: promptDirectory(prompt) ?? this.cwd,
    };
  }

  /** Reads the command line as it stands, if the prompt is still in front of it. */
  private look(p: Pending, t: number): void {
    const text = this.lineText(p.marker.line);
    if (!text.startsWith(p.prompt)) return;
    const now = clean(text.slice(p.prompt.length));
    if (now === p.text) return;
    p.text = now;
    if (t !== p.t) p.typedLater = true;
  }

  /**
   * The prompt and the line so far drawn again further on, with no Enter in
   * between (a list of completions, Ctrl+L): the same command line goes on there.
   */
  private redrawn(p: Pending, t: number, line: number): boolean {
    if (p.marker.isDisposed) return false;
    this.look(p, t);
    if (p.enterT !== null || p.text === '') return false;
    const text = this.lineText(line);
    const length = this.prompts.match(text);
    if (length < 0 || !clean(text.slice(length)).startsWith(p.text)) return false;
    this.drop(p);
    this.detect(line, t, true);
    return true;
  }

  private commit(p: Pending, t: number): void {
    const row = p.marker.isDisposed ? null : p.marker.line - this.cursorLine();
    if (!p.marker.isDisposed) this.look(p, t);
    this.drop(p);
    const line = p.text;
    if (!line || p.cancelled || line.endsWith('^C')) return;
    let doubt: string | undefined;
    if (this.inputLogged) doubt = p.enterT === null ? DOUBTS.noEnter : undefined;
    else if (!p.typedLater) doubt = DOUBTS.together;
    const source = p.enterT !== null ? 'input' : 'screen';
    const entry = this.add({ t: p.enterT ?? t, line, cwd: p.cwd, source, doubt });
    if (entry && row !== null) this.rows.set(entry, row);
  }

  /**
   * Where the command's line was when it was found, in rows from the
   * cursor's line then (-1: the line above), if known: the text export puts
   * its note there.
   */
  rowFromCursor(entry: CommandEntry): number | null {
    return this.rows.get(entry) ?? null;
  }

  private cursorLine(): number {
    const normal = this.terminal.buffer.normal;
    return normal.baseY + normal.cursorY;
  }

  private drop(p: Pending): void {
    p.marker.dispose();
    if (this.pending === p) this.pending = null;
  }

  private add(entry: CommandEntry): CommandEntry | null {
    if (this.commands.length >= MAX_COMMANDS) {
      this.truncated = true;
      return null;
    }
    if (entry.doubt === undefined) delete entry.doubt;
    this.commands.push(entry);
    return entry;
  }

  /**
   * Rows a prompt and its command line can take: a longer line is output,
   * and is not read whole at every look (a hostile 5 MB line would cost
   * seconds each time).
   */
  private maxRows(): number {
    return Math.ceil((MAX_PROMPT + MAX_LINE) / Math.max(1, this.terminal.cols)) + 1;
  }

  /** A line's text, its wrapped rows joined (up to maxRows of them). */
  private lineText(line: number): string {
    const normal = this.terminal.buffer.normal;
    const limit = line + this.maxRows();
    let last = line;
    while (last + 1 < limit && normal.getLine(last + 1)?.isWrapped) last += 1;
    return rowsText(normal, line, last + 1);
  }
}

/** The first row of the (wrapped) line row `y` is part of, or -1 past `maxRows` rows up. */
function lineStart(buffer: IBuffer, y: number, maxRows: number): number {
  const limit = y - maxRows;
  while (y > 0 && buffer.getLine(y)?.isWrapped) {
    y -= 1;
    if (y < limit) return -1;
  }
  return y;
}

/** Rows [from, to) joined; `trim`: trailing blanks of the last one cut. */
function rowsText(buffer: IBuffer, from: number, to: number, trim = true): string {
  let text = '';
  for (let y = from; y < to; y++)
    text += buffer.getLine(y)?.translateToString(trim && y === to - 1) ?? '';
  return text;
}

/** The text of row y left of column x. */
function textBefore(buffer: IBuffer, y: number, x: number): number {
  return buffer.getLine(y)?.translateToString(false, 0, x).length ?? 0;
}
