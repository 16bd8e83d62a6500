'use client';

import { useEffect, useRef } from 'react';
import { SHORTCUTS } from '@/lib/replay/keymap';

/** The `?` overlay: every keyboard shortcut, from the same table the keys use. */
export function HelpDialog({ open, onClose }: { open: boolean; onClose: () => void }) {
  const ref = useRef<HTMLDialogElement>(null);
  useEffect(() => {
    const dialog = ref.current;
    if (!dialog) return;
    if (open && !dialog.open) dialog.showModal();
    if (!open && dialog.open) dialog.close();
  }, [open]);
  return (
    <dialog
      ref={ref}
      onClose={onClose}
      onClick={(e) => {
        if (e.target === e.currentTarget) onClose();
      }}
      aria-labelledby="player-help-title"
      className="m-auto w-full max-w-md rounded-lg border border-zinc-700 bg-zinc-900 p-0 text-zinc-100 shadow-2xl backdrop:bg-black/70"
    >
      <div className="p-5">
        <div className="mb-3 flex items-center justify-between">
          <h2 id="player-help-title" className="text-base font-semibold">
            Keyboard shortcuts
          </h2>
          <button
            type="button"
            onClick={onClose}
            className="rounded px-2 py-1 text-sm text-zinc-400 hover:bg-zinc-800 hover:text-zinc-100"
            autoFocus
          >
            Close
          </button>
        </div>
        <table className="w-full text-sm">
          <tbody>
            {SHORTCUTS.map((s) => (
              <tr key={s.description} className="border-t border-zinc-800">
                <td className="py-1.5 pr-4 align-top whitespace-nowrap">
                  {s.keys.map((k) => (
                    <kbd
                      key={k}
                      className="mr-1 inline-block min-w-6 rounded border border-zinc-600 bg-zinc-800 px-1.5 text-center font-mono text-xs"
                    >
                      {k}
                    </kbd>
                  ))}
                </td>
                <td className="py-1.5 text-zinc-300">{s.description}</td>
              </tr>
            ))}
          </tbody>
        </table>
        <p className="mt-3 text-xs text-zinc-500">
          Pause to select and copy text; scroll the terminal to read its scrollback.
        </p>
      </div>
    </dialog>
  );
}
