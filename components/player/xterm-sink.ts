import type { Terminal } from '@xterm/xterm';
import type { TerminalSink } from '@/lib/replay/engine';

// Recorded window sizes are untrusted: clamp them to something a browser can draw.
const MAX_COLS = 500;
const MAX_ROWS = 200;

export function xtermSink(terminal: Terminal): TerminalSink {
  return {
    reset: () => terminal.reset(),
    resize(cols, rows) {
      terminal.resize(
        Math.min(MAX_COLS, Math.max(2, cols || 80)),
        Math.min(MAX_ROWS, Math.max(1, rows || 24)),
      );
    },
    // Resolves when xterm has parsed the data: the engine waits for it (flow control).
    write: (data) => new Promise((resolve) => terminal.write(data, resolve)),
  };
}
