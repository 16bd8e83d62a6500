// The command timeline's entries (docs/commands.md): what the tracker
// (adapters/xterm-commands.ts) finds, the worker sends, the API returns and
// the summaries keep.

export type CommandSource = 'marks' | 'input' | 'screen';

export interface CommandEntry {
  /** ms from the recording's start: the Enter key when it was logged, else when the command ran. */
  t: number;
  line: string;
  /** The working directory the prompt or the shell reported, if any. */
  cwd: string | null;
  source: CommandSource;
  /** Why it may have been printed rather than typed; absent when nothing says so. */
  doubt?: string;
}

/** At most this many commands are kept (a hostile recording can print marks without end). */
export const MAX_COMMANDS = 50_000;
/** A command line is cut to this many characters. */
export const MAX_LINE = 4096;

export const DOUBTS = {
  nested: 'shell-integration marks printed while a command was running',
  together: 'its prompt and command were printed at once: not typed',
  noEnter: 'no Enter key was typed for it',
} as const;
