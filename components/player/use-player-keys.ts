'use client';

import { useEffect, useRef } from 'react';
import { commandForKey, type PlayerCommand } from '@/lib/replay/keymap';

/**
 * Listens for the player's shortcuts (lib/replay/keymap.ts) anywhere on the
 * page, except where a key has a meaning of its own: text fields, selects,
 * and Space/Enter on a focused button (which presses it). Arrow keys on the
 * seek bar are taken over, so they move by 5 s rather than by 1 ms.
 */
export function usePlayerKeys(run: (command: PlayerCommand) => void, enabled = true) {
  const latest = useRef(run);
  useEffect(() => {
    latest.current = run;
  });
  useEffect(() => {
    if (!enabled) return;
    const onKeyDown = (event: KeyboardEvent) => {
      if (event.defaultPrevented || event.isComposing) return;
      if (!wantsKey(event.target, event.key)) return;
      const command = commandForKey(event);
      if (!command) return;
      event.preventDefault();
      latest.current(command);
    };
    document.addEventListener('keydown', onKeyDown);
    return () => document.removeEventListener('keydown', onKeyDown);
  }, [enabled]);
}

function wantsKey(target: EventTarget | null, key: string): boolean {
  if (!(target instanceof HTMLElement)) return true;
  // xterm's hidden textarea takes focus when the screen is clicked: it types nothing here.
  if (target.classList.contains('xterm-helper-textarea')) return true;
  if (
    target.isContentEditable ||
    target instanceof HTMLTextAreaElement ||
    target instanceof HTMLSelectElement
  ) {
    return false;
  }
  if (target instanceof HTMLInputElement) return target.type === 'range';
  if (target.closest('dialog')) return key === '?';
  if (target instanceof HTMLButtonElement || target.getAttribute('role') === 'button') {
    return key !== ' ' && key !== 'Enter';
  }
  return true;
}
