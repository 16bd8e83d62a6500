// What it costs a terminal to take some output in, in "cost units": one per
// byte plus LINE_FEED_COST per line feed. xterm.js parses plain text at a
// rate per byte, but each line feed also scrolls the buffer, so a megabyte
// of `seq` output (short lines) takes several times longer than a megabyte
// of long lines. Keyframe spacing and the choice between carrying on and
// restoring a keyframe both count in these units.

/** A line feed costs about as much as this many bytes of text (xterm.js 6 in Chromium: it scrolls the buffer and the viewport). */
export const LINE_FEED_COST = 32;

const LF = 0x0a;

/** The cost of writing `data` to a terminal. */
export function outputCost(data: Uint8Array): number {
  let lines = 0;
  for (let i = data.indexOf(LF); i !== -1; i = data.indexOf(LF, i + 1)) lines += 1;
  return data.length + lines * LINE_FEED_COST;
}
