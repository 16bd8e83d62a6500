'use client';

import type { Terminal } from '@xterm/xterm';
import { useEffect, type RefObject } from 'react';
import { TERMINAL_FONT_SIZE } from '@/lib/replay/terminal-theme';

/** The terminal's font size in pixels when it is not fitted. */
export const BASE_FONT_SIZE = TERMINAL_FONT_SIZE;
export const MIN_FONT_SIZE = 6;
export const MAX_FONT_SIZE = 28;

export interface FitOptions {
  /** Fit to the container (width, and height too in fullscreen), never above BASE_FONT_SIZE. */
  fit: boolean;
  /** The font size when not fitting. */
  fontSize: number;
  /** Also fit the height (fullscreen). */
  fitHeight: boolean;
  /** Re-fit when the terminal's size changes. */
  cols: number;
  rows: number;
}

/**
 * Sizes the terminal's font so that the recorded window, whatever its size,
 * fits the width of `containerRef` (fit-to-width), or to a chosen size
 * (zoom). The cell size is measured, then scaled: xterm draws at whole
 * pixels, so a second pass trims any overshoot.
 */
export function useFit(
  terminal: Terminal | null,
  containerRef: RefObject<HTMLElement | null>,
  options: FitOptions,
) {
  const { fit, fontSize, fitHeight, cols, rows } = options;
  useEffect(() => {
    const container = containerRef.current;
    if (!terminal || !container) return;
    let frame = 0;
    const apply = (pass: number) => {
      const screen = terminal.element?.querySelector<HTMLElement>('.xterm-screen');
      if (!screen) return;
      if (!fit) {
        if (terminal.options.fontSize !== fontSize) terminal.options.fontSize = fontSize;
        return;
      }
      const current = terminal.options.fontSize ?? BASE_FONT_SIZE;
      const rect = screen.getBoundingClientRect();
      const style = getComputedStyle(container);
      const width =
        container.clientWidth - parseFloat(style.paddingLeft) - parseFloat(style.paddingRight);
      const height =
        container.clientHeight - parseFloat(style.paddingTop) - parseFloat(style.paddingBottom);
      if (rect.width === 0 || width <= 0) return;
      let scale = width / rect.width;
      if (fitHeight && rect.height > 0 && height > 0) scale = Math.min(scale, height / rect.height);
      const ceiling = fitHeight ? MAX_FONT_SIZE : BASE_FONT_SIZE;
      let next = Math.floor(current * scale * 2) / 2;
      if (pass > 0 && scale < 1) next = Math.min(next, current - 0.5);
      next = Math.min(ceiling, Math.max(MIN_FONT_SIZE, next));
      if (next !== current) {
        terminal.options.fontSize = next;
        if (pass < 3) frame = requestAnimationFrame(() => apply(pass + 1));
      }
    };
    apply(0);
    const observer = new ResizeObserver(() => {
      cancelAnimationFrame(frame);
      frame = requestAnimationFrame(() => apply(0));
    });
    observer.observe(container);
    return () => {
      observer.disconnect();
      cancelAnimationFrame(frame);
    };
  }, [terminal, containerRef, fit, fontSize, fitHeight, cols, rows]);
}
