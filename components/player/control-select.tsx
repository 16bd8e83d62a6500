import type { ReactNode } from 'react';

/** A labelled drop-down of the control bar (speed, idle limit). */
export function ControlSelect({
  label,
  ariaLabel,
  title,
  value,
  onChange,
  active = false,
  children,
}: {
  /** Shown beside it on wider screens. */
  label: string;
  ariaLabel: string;
  title: string;
  value: string;
  onChange: (value: string) => void;
  /** Highlighted: a setting away from its default. */
  active?: boolean;
  children: ReactNode;
}) {
  return (
    <label className="flex items-center gap-1.5 text-xs text-zinc-400" title={title}>
      <span className="sr-only sm:not-sr-only">{label}</span>
      <select
        aria-label={ariaLabel}
        value={value}
        onChange={(e) => onChange(e.currentTarget.value)}
        className={`h-8 rounded-md border bg-zinc-900 px-1.5 font-mono text-xs hover:border-zinc-500 focus-visible:outline-2 focus-visible:outline-emerald-400 ${active ? 'border-emerald-700 text-emerald-300' : 'border-zinc-700 text-zinc-100'}`}
      >
        {children}
      </select>
    </label>
  );
}
