// Shell-integration marks in recorded output (docs/commands.md, "Marks"):
// FinalTerm's OSC 133 (bash and zsh integrations, iTerm2, WezTerm, kitty,
// Windows Terminal) and VS Code's OSC 633, which adds the command line
// itself (E) and properties such as the working directory (P;Cwd=). OSC 7
// reports the working directory as a file: URL.
//
//   ESC ] 133 ; A ST   a prompt starts        ESC ] 133 ; B ST   the command line starts
//   ESC ] 133 ; C ST   the command runs       ESC ] 133 ; D ; 0 ST   it ended (exit status)
//   ESC ] 633 ; E ; <command line> [; nonce] ST
//   ESC ] 633 ; P ; Cwd=<path> ST            ESC ] 7 ; file://host/path ST

export type Mark =
  | { kind: 'prompt' }
  | { kind: 'command-start' }
  | { kind: 'executed' }
  | { kind: 'finished' }
  | { kind: 'command-line'; line: string }
  | { kind: 'cwd'; cwd: string };

/** A path or command line longer than this is cut (recorded output is untrusted). */
export const MAX_MARK_TEXT = 4096;

const cut = (text: string) => (text.length > MAX_MARK_TEXT ? text.slice(0, MAX_MARK_TEXT) : text);

/** VS Code's escaping in 633 values: `\\` and `\xAB`. */
function unescape633(value: string): string {
  return value.replace(/\\(\\|x([0-9a-fA-F]{2}))/g, (_, what: string, hex?: string) =>
    hex ? String.fromCharCode(parseInt(hex, 16)) : what,
  );
}

/** The mark an OSC 133 or 633 payload (after `133;`) carries, or null. */
export function parseIntegrationMark(data: string, vscode: boolean): Mark | null {
  const [code, ...rest] = data.split(';');
  switch (code) {
    case 'A':
      return { kind: 'prompt' };
    case 'B':
      return { kind: 'command-start' };
    case 'C':
      return { kind: 'executed' };
    case 'D':
      return { kind: 'finished' };
    case 'E':
      return vscode && rest[0] !== undefined
        ? { kind: 'command-line', line: cut(unescape633(rest[0])) }
        : null;
    case 'P': {
      const property = vscode ? (rest[0] ?? '') : '';
      return property.startsWith('Cwd=')
        ? { kind: 'cwd', cwd: cut(unescape633(property.slice(4))) }
        : null;
    }
    default:
      return null;
  }
}

/** The directory an OSC 7 payload names (`file://host/path`, percent-encoded), or null. */
export function parseCwdReport(data: string): Mark | null {
  const m = /^file:\/\/[^/]*(\/.*)$/.exec(data);
  if (!m?.[1]) return null;
  try {
    return { kind: 'cwd', cwd: cut(decodeURIComponent(m[1])) };
  } catch {
    return { kind: 'cwd', cwd: cut(m[1]) };
  }
}
