import type { Terminal } from '@xterm/headless';

/**
 * A headless terminal's visible rows as the DOM renderer shows them: hidden
 * (SGR 8) text as blanks, the second half of a wide character skipped,
 * trailing blanks trimmed.
 */
export function visibleRows(terminal: Terminal): string[] {
  const buffer = terminal.buffer.active;
  return Array.from({ length: terminal.rows }, (_, y) => {
    const line = buffer.getLine(buffer.viewportY + y);
    let text = '';
    for (let x = 0; line && x < terminal.cols; x++) {
      const cell = line.getCell(x);
      if (!cell || cell.getWidth() === 0) continue;
      text += cell.isInvisible() ? ' '.repeat(cell.getWidth()) : cell.getChars() || ' ';
    }
    return text.trimEnd();
  });
}
