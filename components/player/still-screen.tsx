import type { CSSProperties } from 'react';
import type { StillFrame, StillStyle } from '@/lib/replay/still/types';
import {
  TERMINAL_FONT_FAMILY,
  TERMINAL_FONT_SIZE,
  TERMINAL_FOREGROUND,
} from '@/lib/replay/terminal-theme';

/** A cell is about this wide in a monospace font, in em: the frame fits the width as the terminal does. */
const CELL_EM = 0.6;
const COLOUR = /^#[0-9a-f]{6}$/;

/** Only colours of the one form the server writes reach the style. */
function css(style: StillStyle | undefined): CSSProperties | undefined {
  if (!style) return undefined;
  const out: CSSProperties = {};
  if (style.color && COLOUR.test(style.color)) out.color = style.color;
  if (style.background && COLOUR.test(style.background)) out.backgroundColor = style.background;
  if (style.bold) out.fontWeight = 'bold';
  if (style.italic) out.fontStyle = 'italic';
  if (style.dim) out.opacity = 0.5;
  const lines = [
    style.underline ? 'underline' : '',
    style.strike ? 'line-through' : '',
    style.overline ? 'overline' : '',
  ].filter(Boolean);
  if (lines.length > 0) out.textDecoration = lines.join(' ');
  return out;
}

/**
 * The still frame (docs/still-frame.md): the screen the player is about to
 * show, drawn from the server's HTML while xterm.js loads. Text only, escaped
 * by React, styled from a closed set of properties. Hidden from assistive
 * technology: the player's terminal, once there, is the screen.
 */
export function StillScreen({ frame }: { frame: StillFrame }) {
  return (
    <div
      data-testid="still-frame"
      data-at={frame.atMs}
      aria-hidden="true"
      className="overflow-hidden select-none"
      style={{ containerType: 'inline-size' }}
    >
      <div
        className="mx-auto whitespace-pre"
        style={{
          width: `${frame.cols}ch`,
          fontFamily: TERMINAL_FONT_FAMILY,
          fontSize: `min(${TERMINAL_FONT_SIZE}px, calc(100cqw / ${frame.cols * CELL_EM}))`,
          // As xterm.js measures a cell: the font's own line height.
          lineHeight: 'normal',
          color: TERMINAL_FOREGROUND,
        }}
      >
        {frame.lines.map((runs, row) => (
          <div key={row} style={{ height: '1lh' }}>
            {runs.map((run, i) => (
              <span key={i} style={css(run.style)}>
                {run.text}
              </span>
            ))}
          </div>
        ))}
      </div>
    </div>
  );
}
