'use client';

import type { ListParams } from '@/lib/list-params';
import { useRouter } from 'next/navigation';
import { useEffect, useRef, useState, useTransition } from 'react';
import { hrefWith } from './params';

const DEBOUNCE_MS = 350;

/**
 * Text search in what the terminals showed. Typing replaces the URL's `q`
 * after a pause (back to the first page); Enter searches at once, Escape
 * clears, `/` anywhere on the page comes here.
 */
export function SearchBox({ params }: { params: ListParams }) {
  const router = useRouter();
  const [value, setValue] = useState(params.q ?? '');
  const [pending, startTransition] = useTransition();
  const input = useRef<HTMLInputElement>(null);
  const timer = useRef<ReturnType<typeof setTimeout> | null>(null);

  const go = (text: string) => {
    if (timer.current) clearTimeout(timer.current);
    timer.current = null;
    const q = text.trim() === '' ? undefined : text.trim();
    if (q === params.q) return;
    startTransition(() => router.replace(hrefWith(params, { q }), { scroll: false }));
  };

  useEffect(() => {
    const onKey = (event: KeyboardEvent) => {
      const target = event.target as HTMLElement | null;
      const typing = target?.closest('input, textarea, select, [contenteditable="true"]');
      if (event.key === '/' && !typing && !event.ctrlKey && !event.metaKey && !event.altKey) {
        event.preventDefault();
        input.current?.focus();
        input.current?.select();
      }
    };
    document.addEventListener('keydown', onKey);
    return () => {
      document.removeEventListener('keydown', onKey);
      if (timer.current) clearTimeout(timer.current);
    };
  }, []);

  return (
    <div className="relative">
      <label htmlFor="search-output" className="sr-only">
        Search the output of every recording
      </label>
      <svg
        aria-hidden="true"
        viewBox="0 0 20 20"
        className="pointer-events-none absolute left-3 top-1/2 h-4 w-4 -translate-y-1/2 text-zinc-500"
      >
        <path
          fill="currentColor"
          d="M8.5 3a5.5 5.5 0 0 1 4.38 8.83l3.65 3.64-1.06 1.06-3.64-3.65A5.5 5.5 0 1 1 8.5 3Zm0 1.5a4 4 0 1 0 0 8 4 4 0 0 0 0-8Z"
        />
      </svg>
      <input
        ref={input}
        id="search-output"
        type="search"
        value={value}
        maxLength={200}
        autoComplete="off"
        spellCheck={false}
        placeholder='Search what was on screen: words, "a phrase", a | b, prefix*'
        aria-describedby="search-help"
        onChange={(event) => {
          const text = event.target.value;
          setValue(text);
          if (timer.current) clearTimeout(timer.current);
          timer.current = setTimeout(() => go(text), DEBOUNCE_MS);
        }}
        onKeyDown={(event) => {
          if (event.key === 'Enter') go(value);
          if (event.key === 'Escape' && value !== '') {
            event.preventDefault();
            setValue('');
            go('');
          }
        }}
        className="w-full rounded-md border border-zinc-700 bg-zinc-900 py-2 pl-9 pr-24 font-mono text-sm text-zinc-100 placeholder:font-sans placeholder:text-zinc-500 focus:border-emerald-500 focus:outline-none focus:ring-1 focus:ring-emerald-500"
      />
      <span
        id="search-help"
        className="pointer-events-none absolute right-3 top-1/2 -translate-y-1/2 text-xs text-zinc-500"
        aria-live="polite"
      >
        {pending ? (
          'Searching…'
        ) : (
          <kbd className="rounded border border-zinc-700 px-1.5 font-mono">/</kbd>
        )}
      </span>
    </div>
  );
}
