// The keyframe builder's shadow terminal: @xterm/headless, set up exactly as
// the visible terminal (same options, same hardening), so that its captured
// states restore into the visible one without a difference.

import type { Terminal } from '@xterm/headless';
import { headlessTerminalClass } from './headless-terminal';
import { SerializeAddon } from '@xterm/addon-serialize';
import { CombiningCap } from '../combining-cap';
import { harden } from './xterm-harden';
import type { ShadowTerminal } from '../keyframes';
import { resetSequence, type TerminalSink } from '../playhead';
import { atBoundary, captureState } from './xterm-state';
import { XtermScreen } from './xterm-screen';
import { REPLAY_TERMINAL_OPTIONS, SCROLLBACK } from '../terminal-options';

interface SyncWritable {
  _core?: { _writeBuffer?: { writeSync?: (data: Uint8Array) => void } };
}

export class HeadlessShadow implements ShadowTerminal {
  readonly terminal: Terminal;
  private readonly serializer = new SerializeAddon();
  private readonly writeSync: ((data: Uint8Array) => void) | null;
  private readonly cap = new CombiningCap();
  /** What the screen text index reads (screen-text.ts). */
  readonly screen: XtermScreen;

  constructor(options: { trackRows?: boolean } = {}) {
    this.terminal = replayTerminal();
    this.screen = new XtermScreen(this.terminal, { track: options.trackRows !== false });
    // The addon's typings name @xterm/xterm's Terminal; headless has the same API.
    this.terminal.loadAddon(this.serializer as unknown as Parameters<Terminal['loadAddon']>[0]);
    // Parsing synchronously saves a macrotask per write; xterm.js keeps it for
    // tests. Without it, the public asynchronous write does the same work.
    const buffer = (this.terminal as unknown as SyncWritable)._core?._writeBuffer;
    this.writeSync = typeof buffer?.writeSync === 'function' ? buffer.writeSync.bind(buffer) : null;
  }

  write(output: Uint8Array): Promise<void> {
    const data = this.cap.filter(output);
    if (this.writeSync) {
      this.writeSync(data);
      this.screen.noteWrite();
      return Promise.resolve();
    }
    this.screen.noteUnknownWrite();
    return new Promise((resolve) => this.terminal.write(data, resolve));
  }

  resize(cols: number, rows: number): void {
    if (cols !== this.terminal.cols || rows !== this.terminal.rows)
      this.terminal.resize(cols, rows);
  }

  atBoundary(): boolean {
    return atBoundary(this.terminal);
  }

  capture(): string {
    return captureState(this.terminal, this.serializer, SCROLLBACK);
  }

  scrollbackFull(): boolean {
    return this.terminal.buffer.normal.length >= this.terminal.rows + SCROLLBACK;
  }

  dispose(): void {
    this.terminal.dispose();
  }
}

/** A TerminalSink over a headless terminal: for tests and benchmarks of the engine. */
export function headlessSink(terminal: Terminal): TerminalSink {
  const cap = new CombiningCap();
  return {
    reset: (cols, _rows, keep) => {
      cap.reset();
      return new Promise((resolve) => terminal.write(resetSequence(cols, keep), resolve));
    },
    resize: (cols, rows) => terminal.resize(cols, rows),
    write: (data) =>
      new Promise((resolve) =>
        terminal.write(typeof data === 'string' ? data : cap.filter(data), resolve),
      ),
  };
}

/** A headless terminal set up as the visible one is (options and hardening). */
export function replayTerminal(): Terminal {
  const TerminalClass = headlessTerminalClass();
  const terminal = new TerminalClass({ ...REPLAY_TERMINAL_OPTIONS, allowProposedApi: true });
  harden(terminal);
  return terminal;
}
