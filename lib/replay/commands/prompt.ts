// How the command timeline recognises a shell prompt on screen when the
// recording has no shell-integration marks (docs/commands.md, "Prompts").
// A prompt is learned the first time the cursor rests right after text that
// ends like one (`$ `, `# `, `% `, `> `, `❯ `) with nothing to its right;
// after that, a line that starts with a learned prompt is a prompt line,
// whatever was typed after it. A directory in the prompt (`user@host:/tmp$ `)
// may change from one prompt to the next: it is the prompt's working
// directory, and the learned shape leaves it open.

/** Ends like a prompt: its last mark, then at most one space. */
const PROMPT_END = /[$#%>❯»]\s?$/;
/** A prompt longer than this is more likely output than a prompt. */
export const MAX_PROMPT = 256;
/**
 * The working directory a prompt shows: a word starting with `~` or `/`,
 * after the start or a separator, with only the prompt's mark (and maybe a
 * closing bracket) after it. `root@vm:/tmp$ `, `[me@host ~/src]$ `, `~ % `.
 */
const PROMPT_DIR = /(^|[\s:@[(])(~[^\s]*?|\/[^\s]*?)([\])]?\s?[$#%>❯»]\s?)$/;

/** Whether the text left of a resting cursor (with nothing right of it) reads as a prompt. */
export function looksLikePrompt(left: string): boolean {
  return left.length <= MAX_PROMPT && left.trim().length > 0 && PROMPT_END.test(left);
}

/** The working directory a prompt shows, or null. */
export function promptDirectory(prompt: string): string | null {
  return PROMPT_DIR.exec(prompt)?.[2] ?? null;
}

const escape = (text: string) => text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

/** A learned prompt: matches the prompts of the same shape at the start of a line. */
export class PromptShape {
  readonly key: string;
  private readonly pattern: RegExp;

  constructor(prompt: string) {
    const dir = PROMPT_DIR.exec(prompt);
    if (dir) {
      const at = dir.index + (dir[1]?.length ?? 0);
      const before = prompt.slice(0, at);
      const after = dir[3] ?? '';
      this.key = `${before}\u0000${after}`;
      this.pattern = new RegExp(`^${escape(before)}(?:~|/)\\S*?${escape(after)}`);
    } else {
      this.key = prompt;
      this.pattern = new RegExp(`^${escape(prompt)}`);
    }
  }

  /** The length of the prompt at the start of `line`, or -1. */
  match(line: string): number {
    const m = this.pattern.exec(line);
    return m ? m[0].length : -1;
  }
}

/** The prompts learned so far, most recent first tried first. */
export class PromptBook {
  private readonly shapes: PromptShape[] = [];
  /** A recording rarely shows more than a few prompt shapes (a shell, su, ssh). */
  private static readonly MAX = 16;

  learn(prompt: string): void {
    const shape = new PromptShape(prompt);
    const known = this.shapes.findIndex((s) => s.key === shape.key);
    if (known >= 0) this.shapes.splice(known, 1);
    this.shapes.unshift(shape);
    if (this.shapes.length > PromptBook.MAX) this.shapes.pop();
  }

  /** The length of a learned prompt at the start of `line`, or -1. */
  match(line: string): number {
    for (const shape of this.shapes) {
      const length = shape.match(line);
      if (length > 0) return length;
    }
    return -1;
  }
}
