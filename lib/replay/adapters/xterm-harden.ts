// Recorded output is untrusted (docs/architecture.md, "The player"): replaying it may only
// change the terminal area, quickly. xterm.js already keeps most of it inside
// (no clipboard addon, stdin disabled so query answers go nowhere, window
// operations off). These handlers, registered on the visible terminal and on
// the keyframe builder's shadow alike (so keyframes stay exact), take care of
// the rest. A handler that returns true stops xterm's own handler.

import type { IDisposable, IParser } from '@xterm/headless';

/** The part of an xterm.js Terminal (browser or headless) this needs. */
export interface HardenableTerminal {
  readonly parser: IParser;
  readonly cols: number;
  readonly rows: number;
}

/** OSC numbers dropped: titles (0, 1, 2), hyperlinks (8), clipboard (52). */
export const DROPPED_OSC = [0, 1, 2, 8, 52] as const;

/**
 * CSI functions that xterm.js runs once per unit of their count, so that
 * `CSI 99999999 L` keeps the tab busy for minutes (REP, `b`, even allocates
 * the whole repeat at once). Beyond the screen's size a larger count changes
 * nothing more, so the count is clamped there: the InputHandler method is
 * called with the clamped count (an internal; when it is missing, the
 * sequence is dropped instead).
 */
const COUNTED: { final: string; method: string; limit: (t: HardenableTerminal) => number }[] = [
  { final: 'b', method: 'repeatPrecedingCharacter', limit: (t) => t.cols * t.rows },
  { final: 'I', method: 'cursorForwardTab', limit: (t) => t.cols },
  { final: 'Z', method: 'cursorBackwardTab', limit: (t) => t.cols },
  { final: 'L', method: 'insertLines', limit: (t) => t.rows },
  { final: 'M', method: 'deleteLines', limit: (t) => t.rows },
  { final: 'S', method: 'scrollUp', limit: (t) => t.rows },
  { final: 'T', method: 'scrollDown', limit: (t) => t.rows },
];

type CountedMethod = (params: { params: Int32Array; length: number }) => boolean;

function inputHandlerMethod(terminal: HardenableTerminal, name: string): CountedMethod | null {
  const handler = (terminal as unknown as { _core?: { _inputHandler?: Record<string, unknown> } })
    ._core?._inputHandler;
  const method = handler?.[name];
  return typeof method === 'function' ? (method.bind(handler) as CountedMethod) : null;
}

export function harden(terminal: HardenableTerminal): IDisposable {
  const disposables: IDisposable[] = [];
  for (const osc of DROPPED_OSC) {
    disposables.push(terminal.parser.registerOscHandler(osc, () => true));
  }
  // CSI Ps t: window manipulation (resize, move, report): never acted on.
  disposables.push(terminal.parser.registerCsiHandler({ final: 't' }, () => true));
  // Synchronized output (DEC 2026) in a recording is left alone: the player
  // ends every batch of writes with it off (TerminalSink.end), so it never
  // holds back the screen of a paused moment.
  for (const { final, method, limit } of COUNTED) {
    const run = inputHandlerMethod(terminal, method);
    disposables.push(
      terminal.parser.registerCsiHandler({ final }, (params) => {
        const count = params[0];
        const max = limit(terminal);
        if (typeof count !== 'number' || count <= max) return false;
        run?.({ params: Int32Array.of(max), length: 1 });
        return true;
      }),
    );
  }
  return {
    dispose() {
      for (const d of disposables) d.dispose();
    },
  };
}
