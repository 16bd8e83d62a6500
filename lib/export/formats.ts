// The export formats, their media types, file extensions and labels. No
// dependencies: the player's Download menu can import this on the client.

export const EXPORT_FORMATS = ['tlog', 'asciicast', 'raw', 'text'] as const;
export type ExportFormat = (typeof EXPORT_FORMATS)[number];

export const EXPORT_TYPES: Record<
  ExportFormat,
  {
    contentType: string;
    extension: string;
    label: string;
    hint: string;
    /**
     * The recorded escape sequences are in it as they were recorded: shown
     * in a terminal, they act on it (clipboard, title, links, queries).
     */
    escapes: boolean;
  }
> = {
  asciicast: {
    contentType: 'application/x-asciicast; charset=utf-8',
    extension: 'cast',
    label: 'asciicast v2 (.cast)',
    hint: 'asciinema play, asciinema-player',
    escapes: true,
  },
  tlog: {
    contentType: 'application/x-ndjson; charset=utf-8',
    extension: 'tlog',
    label: 'tlog messages (.tlog)',
    hint: 'tlog-play -i FILE (add --lax when messages are missing)',
    escapes: true,
  },
  raw: {
    contentType: 'application/octet-stream',
    extension: 'raw',
    label: 'raw terminal output (.raw)',
    hint: 'the exact bytes the terminal received: evidence, not for cat (it replays the escape sequences on your terminal)',
    escapes: true,
  },
  text: {
    contentType: 'text/plain; charset=utf-8',
    extension: 'txt',
    label: 'text transcript (.txt)',
    hint: 'what appeared on the screen, as plain text: safe to read anywhere',
    escapes: false,
  },
};

/** The export's URL, for links and downloads. */
export function exportUrl(recordingId: string, format: ExportFormat): string {
  return `/api/recordings/${encodeURIComponent(recordingId)}/export?format=${format}`;
}
