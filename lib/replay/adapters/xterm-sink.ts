// The engine's TerminalSink over the visible @xterm/xterm terminal. lib/replay/adapters
// is the only part of lib/replay that imports xterm.js (eslint.config.mjs).
import type { Terminal } from '@xterm/xterm';
import type { TerminalSink } from '../engine';
import { CombiningCap } from '../combining-cap';
import { resetSequence } from '../playhead';
import { clampSize } from '../terminal-options';

/**
 * Bytes per terminal.write(). xterm.js parses one write in one go and only
 * yields to the page between writes, so a costly stretch of output (a
 * hostile one: 10,000 alternate-screen switches take seconds) must come in
 * small pieces to keep the tab responsive.
 */
const PIECE = 8 * 1024;

/** The engine's TerminalSink over the visible xterm.js terminal. */
export function xtermSink(terminal: Terminal): TerminalSink {
  const cap = new CombiningCap();
  return {
    reset(cols, _rows, keepScrollback) {
      cap.reset();
      // Back at the bottom, as a fresh terminal is (the user may have scrolled up).
      terminal.scrollToBottom();
      return new Promise((resolve) => terminal.write(resetSequence(cols, keepScrollback), resolve));
    },
    resize(cols, rows) {
      // The engine already clamps; this keeps any other caller honest too.
      const size = clampSize(cols, rows);
      if (size.cols !== terminal.cols || size.rows !== terminal.rows)
        terminal.resize(size.cols, size.rows);
    },
    // Synchronized output: xterm.js draws nothing until the batch ends (and at most 1 s later).
    begin: () => terminal.write('\x1b[?2026h'),
    // Parsed, the end asks for a draw at the next frame: only then is the
    // playhead idle, so what waits for a settled screen waits for that frame.
    end: () => new Promise<void>((resolve) => terminal.write('\x1b[?2026l', resolve)),
    // Resolves when xterm has parsed all of it: the engine waits for that (flow control).
    // A batch's end goes in the same call, so xterm.js parses it in the same turn.
    write(output, endsBatch) {
      const data = typeof output === 'string' ? output : cap.filter(output);
      return new Promise((resolve) => {
        for (let start = 0; start < data.length; start += PIECE) {
          const end = start + PIECE;
          const piece =
            typeof data === 'string' ? data.slice(start, end) : data.subarray(start, end);
          terminal.write(piece, end >= data.length && !endsBatch ? resolve : undefined);
        }
        if (endsBatch) terminal.write('\x1b[?2026l', resolve);
        else if (data.length === 0) resolve();
      });
    },
  };
}
