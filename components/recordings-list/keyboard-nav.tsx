'use client';

import { useEffect } from 'react';

/**
 * j / k move between recordings (their player links), Enter opens one;
 * `/` (the search box) and Tab work as usual.
 */
export function KeyboardNav() {
  useEffect(() => {
    const onKey = (event: KeyboardEvent) => {
      if (event.key !== 'j' && event.key !== 'k') return;
      if (event.ctrlKey || event.metaKey || event.altKey) return;
      const target = event.target as HTMLElement | null;
      if (target?.closest('input, textarea, select, [contenteditable="true"]')) return;
      const links = [...document.querySelectorAll<HTMLElement>('[data-row-link]')];
      if (links.length === 0) return;
      event.preventDefault();
      const at = links.indexOf(document.activeElement as HTMLElement);
      const next =
        at < 0 ? 0 : Math.min(links.length - 1, Math.max(0, at + (event.key === 'j' ? 1 : -1)));
      links[next]?.focus();
      links[next]?.scrollIntoView({ block: 'nearest' });
    };
    document.addEventListener('keydown', onKey);
    return () => document.removeEventListener('keydown', onKey);
  }, []);
  return (
    <p className="text-xs text-zinc-500">
      Keys: <kbd className="rounded border border-zinc-700 px-1 font-mono">/</kbd> search,{' '}
      <kbd className="rounded border border-zinc-700 px-1 font-mono">j</kbd>{' '}
      <kbd className="rounded border border-zinc-700 px-1 font-mono">k</kbd> next and previous
      recording, <kbd className="rounded border border-zinc-700 px-1 font-mono">Enter</kbd> play it.
    </p>
  );
}
