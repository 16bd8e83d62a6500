// tlog export: the recording's messages as tlog JSON lines, in id order, each
// line as stored, so that `tlog-play -i FILE` plays it.
//
// Repeated ids are dropped, keeping the first: tlog-play stops at a repeated id
// even with --lax ("Message ID is out of order"). Lines that are not tlog
// messages, and messages of another recording, are left out too. Messages kept
// are byte for byte as stored (extra fields such as rsyslog's `timestamp` are
// ignored by tlog-play), so the export is the evidence, not a re-encoding; a
// message whose timing auditty reports as damaged is kept as well, and
// tlog-play stops there as it would on the stored data. Missing ids stay
// missing: play such an export with `tlog-play --lax`.

import { decodeLines, type MessageLines } from './messages';

/** One JSON line per message, newline-terminated. */
export async function* exportTlog(lines: MessageLines): AsyncGenerator<string> {
  for await (const { line } of decodeLines(lines)) {
    // A stored document may be pretty-printed; a tlog file needs one line each.
    yield /[\r\n]/.test(line) ? `${JSON.stringify(JSON.parse(line))}\n` : `${line}\n`;
  }
}
