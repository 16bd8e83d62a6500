'use client';

import { useEffect, useRef, useState } from 'react';
import { playerHref } from '@/lib/links';
import { formatMoment } from '@/lib/replay/moment';
import { ControlButton } from './control-button';
import { Icon } from './icon';

/**
 * "Copy link at current time". Where the clipboard is not available (plain
 * http on another host), the link is shown selected, to copy by hand.
 */
export function CopyLinkButton({
  recordingId,
  time,
  speed,
  disabled,
}: {
  recordingId: string;
  time: number;
  speed: number;
  disabled: boolean;
}) {
  const [status, setStatus] = useState<{ copied: boolean; url: string } | null>(null);
  const fieldRef = useRef<HTMLInputElement>(null);
  useEffect(() => {
    if (!status) return;
    if (!status.copied) fieldRef.current?.select();
    const timer = window.setTimeout(() => setStatus(null), status.copied ? 2500 : 15_000);
    return () => window.clearTimeout(timer);
  }, [status]);

  const copy = async () => {
    const url = `${window.location.origin}${playerHref(recordingId, { atMs: time, speed })}`;
    try {
      await navigator.clipboard.writeText(url);
      setStatus({ copied: true, url });
    } catch {
      setStatus({ copied: false, url });
    }
  };

  return (
    <span className="relative">
      <ControlButton
        label="Copy link at current time"
        onClick={() => void copy()}
        disabled={disabled}
      >
        <Icon name={status?.copied ? 'check' : 'link'} />
      </ControlButton>
      <span role="status" className="absolute right-0 bottom-full z-20 mb-2">
        {status?.copied ? (
          <span className="block whitespace-nowrap rounded bg-emerald-900 px-2 py-1 text-xs text-emerald-100 shadow">
            Link to {formatMoment(Math.floor(time))} copied
          </span>
        ) : status ? (
          <span className="block w-80 rounded bg-zinc-900 p-2 text-xs text-zinc-300 shadow ring-1 ring-zinc-700">
            Copy this link:
            <input
              ref={fieldRef}
              readOnly
              value={status.url}
              aria-label="Link at current time"
              className="mt-1 w-full rounded bg-zinc-800 px-1 py-0.5 font-mono text-zinc-100"
            />
          </span>
        ) : null}
      </span>
    </span>
  );
}
