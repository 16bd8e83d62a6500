// What was typed, for the input pane: the recording's input events turned
// into lines of tokens. Input holds keystrokes and, mixed in, the terminal's
// own answers to queries (cursor position reports, device attributes, colour
// replies, focus and mouse reports): those are "replies", shown apart or
// hidden, never mistaken for something the user typed.

import type { TimelineEvent } from '../tlog/timing';

export type InputTokenKind = 'text' | 'key' | 'reply';

export interface InputToken {
  kind: InputTokenKind;
  /** What to show: the text itself, or a name such as `↑` or `^C`. */
  text: string;
  /** ms from the recording's start. */
  t: number;
}

export interface InputLine {
  t: number;
  tokens: InputToken[];
}

const CONTROL_NAMES: Record<string, string> = {
  '\r': '⏎',
  '\n': '⏎',
  '\t': '⇥',
  '\x7f': '⌫',
  '\b': '⌫',
};

/** Cursor keys, sent as CSI or SS3 depending on the terminal's mode. */
const CURSOR_KEYS: Record<string, string> = {
  A: '↑',
  B: '↓',
  C: '→',
  D: '←',
  H: 'Home',
  F: 'End',
};

const CSI_KEYS: Record<string, string> = {
  ...CURSOR_KEYS,
  Z: '⇤',
  '2~': 'Insert',
  '3~': 'Delete',
  '5~': 'PgUp',
  '6~': 'PgDn',
  '1~': 'Home',
  '4~': 'End',
  '200~': 'paste[',
  '201~': ']paste',
  '15~': 'F5',
  '17~': 'F6',
  '18~': 'F7',
  '19~': 'F8',
  '20~': 'F9',
  '21~': 'F10',
  '23~': 'F11',
  '24~': 'F12',
};
const SS3_KEYS: Record<string, string> = {
  ...CURSOR_KEYS,
  P: 'F1',
  Q: 'F2',
  R: 'F3',
  S: 'F4',
};

// Complete escape sequences at the start of a string. String sequences end with BEL or ST.
const CSI = /^\x1b\[([0-9:;<=>?]*)([ -/]*)([@-~])/;
const STRING_SEQ = /^\x1b[\]P_^X][\s\S]*?(?:\x07|\x1b\\)/;
const SS3 = /^\x1bO([ -~])/;
const X10_MOUSE = /^\x1b\[M[\s\S]{3}/;
/** A prefix that may still become one of the above when more input arrives. */
const INCOMPLETE = /^\x1b(?:\[[0-9:;<=>?]*[ -/]*|[\]P_^X][\s\S]*|O|\[M[\s\S]{0,2})?$/;

function classifyCsi(params: string, intermediates: string, final: string): InputTokenKind {
  if (final === 'R' || final === 'n' || final === 't' || final === 'I' || final === 'O')
    return 'reply';
  if (final === 'c' || (final === 'y' && intermediates === '$')) return 'reply';
  if ((final === 'M' || final === 'm') && params.startsWith('<')) return 'reply';
  return 'key';
}

/** Splits input text into tokens; returns them and the unfinished escape sequence left over. */
export function tokenizeInput(
  text: string,
  t: number,
  final = true,
): { tokens: InputToken[]; rest: string } {
  const tokens: InputToken[] = [];
  let i = 0;
  let plain = '';
  const push = (kind: InputTokenKind, shown: string) => {
    if (plain) tokens.push({ kind: 'text', text: plain, t });
    plain = '';
    tokens.push({ kind, text: shown, t });
  };
  while (i < text.length) {
    const ch = text[i]!;
    if (ch === '\x1b') {
      const tail = text.slice(i, i + 4096);
      let m: RegExpExecArray | null;
      if ((m = X10_MOUSE.exec(tail))) push('reply', 'mouse');
      else if ((m = CSI.exec(tail))) {
        const [, params = '', inter = '', fin = ''] = m;
        const kind = classifyCsi(params, inter, fin);
        push(kind, (kind === 'key' && csiKeyName(params, fin)) || `ESC[${params}${inter}${fin}`);
      } else if ((m = STRING_SEQ.exec(tail)))
        push('reply', m[0].replace(/\x1b\\|\x07/, '').replace('\x1b', 'ESC'));
      else if ((m = SS3.exec(tail))) push('key', SS3_KEYS[m[1]!] ?? `ESC O${m[1]}`);
      else if (!final && INCOMPLETE.test(text.slice(i)))
        return { tokens: flush(tokens, plain, t), rest: text.slice(i) };
      else if (i + 1 < text.length && text[i + 1] !== '\x1b') {
        m = /^\x1b[\s\S]/.exec(tail);
        push('key', `M-${printable(text[i + 1]!)}`);
      } else push('key', 'Esc');
      i += m ? m[0].length : 1;
      continue;
    }
    const code = ch.charCodeAt(0);
    if (CONTROL_NAMES[ch]) push('key', CONTROL_NAMES[ch]);
    else if (code < 0x20) push('key', `^${String.fromCharCode(code + 64)}`);
    else plain += ch;
    i += 1;
  }
  return { tokens: flush(tokens, plain, t), rest: '' };
}

/** `ESC[A` -> "↑", `ESC[1;5A` (with a modifier) -> "↑", `ESC[3~` -> "Delete". */
function csiKeyName(params: string, final: string): string | undefined {
  if (final === '~') return CSI_KEYS[`${params.split(';')[0]}~`];
  return params === '' || /^1;\d+$/.test(params) ? CSI_KEYS[final] : undefined;
}

function flush(tokens: InputToken[], plain: string, t: number): InputToken[] {
  if (plain) tokens.push({ kind: 'text', text: plain, t });
  return tokens;
}

function printable(ch: string): string {
  const code = ch.charCodeAt(0);
  return code < 0x20 ? `^${String.fromCharCode(code + 64)}` : ch;
}

/** The input events of a growing timeline as lines, a new line after each Enter. */
export class InputLog {
  readonly lines: InputLine[] = [];
  private counted = 0;
  private rest = '';
  private readonly decoder = new TextDecoder();

  /** Adds the input events not seen yet; returns true when lines changed. */
  sync(events: readonly TimelineEvent[]): boolean {
    const before = this.counted;
    for (let i = this.counted; i < events.length; i++) {
      const event = events[i];
      if (event?.kind !== 'input') continue;
      const text = this.rest + this.decoder.decode(event.data, { stream: true });
      const { tokens, rest } = tokenizeInput(text, event.t, false);
      this.rest = rest;
      for (const token of tokens) this.add(token);
    }
    this.counted = events.length;
    return this.counted !== before;
  }

  private add(token: InputToken): void {
    let line = this.lines[this.lines.length - 1];
    if (!line) {
      line = { t: token.t, tokens: [] };
      this.lines.push(line);
    }
    if (line.tokens.length === 0) line.t = token.t;
    line.tokens.push(token);
    if (token.kind === 'key' && token.text === '⏎') this.lines.push({ t: token.t, tokens: [] });
  }
}
