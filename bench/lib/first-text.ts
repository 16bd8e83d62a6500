// When the first text of a recording was on screen, from inside the page:
// the server's still frame (docs/still-frame.md) once it is in the visible
// document, or the player's terminal (its FIRST_FRAME_MARK), whichever came
// first. "On screen" is the start of the next rendering step after it
// appeared (a requestAnimationFrame callback), the paint that draws it: a
// main thread busy with scripts delays that step, and so the paint.

import type { Page } from 'playwright-core';
import { FIRST_FRAME_MARK } from '../../components/player/marks';

export const STILL_PAINTED_MARK = 'bench:still-painted';

/** Watches for the still frame from the start of every navigation of `page`. */
export async function watchStillFrame(page: Page): Promise<void> {
  await page.addInitScript((mark) => {
    // (No named functions in here: the bundler would wrap them in a helper the page lacks.)
    const observer = new MutationObserver(() => {
      const frame = document.querySelector('[data-testid="still-frame"]');
      // React streams a page into a hidden element first, then moves it in.
      if (frame === null || !frame.isConnected || frame.closest('[hidden]') !== null) return;
      observer.disconnect();
      requestAnimationFrame(() => performance.mark(mark));
    });
    observer.observe(document, { childList: true, subtree: true });
  }, STILL_PAINTED_MARK);
}

export interface FirstText {
  /** ms from navigation start to the still frame on screen, null when the page had none. */
  stillMs: number | null;
  /** ms to the player's terminal showing the first moment. */
  terminalMs: number;
  /** ms to the end of the HTML response. */
  htmlMs: number;
}

/** Waits for the player's first frame and reads both times. */
export async function readFirstText(page: Page, timeoutMs: number): Promise<FirstText> {
  await page.waitForFunction((m) => performance.getEntriesByName(m).length > 0, FIRST_FRAME_MARK, {
    timeout: timeoutMs,
    polling: 50,
  });
  return page.evaluate(
    ([still, terminal]) => {
      const navigation = performance.getEntriesByType('navigation')[0] as
        PerformanceNavigationTiming | undefined;
      return {
        stillMs: performance.getEntriesByName(still)[0]?.startTime ?? null,
        terminalMs: performance.getEntriesByName(terminal)[0]?.startTime ?? 0,
        htmlMs: navigation?.responseEnd ?? 0,
      };
    },
    [STILL_PAINTED_MARK, FIRST_FRAME_MARK] as const,
  );
}

/** The first text on screen: the still frame if there was one, else the terminal. */
export const firstTextMs = (t: FirstText) =>
  t.stillMs === null ? t.terminalMs : Math.min(t.stillMs, t.terminalMs);
