import type { ReactNode } from 'react';

/** A player control: a real button with an accessible name and a tooltip naming its keys. */
export function ControlButton({
  label,
  keys,
  onClick,
  disabled = false,
  pressed,
  primary = false,
  children,
}: {
  /** The accessible name, e.g. "Back 5 seconds". */
  label: string;
  /** Shortcut shown in the tooltip, e.g. "←". */
  keys?: string;
  onClick: () => void;
  disabled?: boolean;
  /** For toggles: rendered as aria-pressed. */
  pressed?: boolean;
  primary?: boolean;
  children: ReactNode;
}) {
  const tone = primary
    ? 'size-10 rounded-full bg-emerald-600 text-white hover:bg-emerald-500'
    : pressed
      ? 'h-8 min-w-8 rounded-md bg-emerald-900/60 px-1.5 text-emerald-300 ring-1 ring-emerald-700 hover:bg-emerald-900'
      : 'h-8 min-w-8 rounded-md px-1.5 text-zinc-300 hover:bg-zinc-800 hover:text-zinc-50';
  return (
    <button
      type="button"
      aria-label={label}
      aria-pressed={pressed}
      title={keys ? `${label} (${keys})` : label}
      onClick={onClick}
      disabled={disabled}
      className={`inline-flex shrink-0 items-center justify-center text-xs font-medium tabular-nums transition-colors focus-visible:outline-2 focus-visible:outline-offset-2 focus-visible:outline-emerald-400 disabled:pointer-events-none disabled:opacity-40 ${tone}`}
    >
      {children}
    </button>
  );
}
