import type { CommandEntry } from '@/lib/replay/commands/types';

// `cmd=` on the files source, with the meaning Elasticsearch gives it on the
// summaries (a match_phrase on the command lines, standard analyzer): the
// words of the query, lower-cased, appear in this order, next to each other,
// in one command line. Words are split as the standard analyzer (Unicode
// word boundaries) splits command lines: `/etc/hosts` is `etc`, `hosts`;
// `rm -rf` is `rm`, `rf`; a dot or apostrophe inside a word keeps it whole
// (`notes.txt`, `don't`).

const WORD = /[\p{L}\p{N}\p{M}_]+(?:[.'’][\p{L}\p{N}\p{M}_]+)*/gu;

export function commandWords(text: string): string[] {
  return text.toLowerCase().match(WORD) ?? [];
}

/** The first command whose line holds the query's words in order, or null (no words: null). */
export function firstCommandMatch(
  commands: readonly CommandEntry[],
  cmd: string,
): CommandEntry | null {
  const wanted = commandWords(cmd);
  if (wanted.length === 0) return null;
  for (const command of commands) {
    const words = commandWords(command.line);
    for (let i = 0; i + wanted.length <= words.length; i++) {
      if (wanted.every((w, k) => words[i + k] === w)) return command;
    }
  }
  return null;
}
