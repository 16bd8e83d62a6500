// A tlog message as one JSON line, the way tlog-rec writes it: `time` with
// three decimals always. JSON.stringify writes a whole second as an integer
// (1790000000), and tlog's reader (json-c) then refuses the message: "A
// message field has invalid type" at line 1, which kept tlog-play from
// reading any generated recording.

/** A flat `message` as a JSON line without its line feed; `time`, if present, is seconds with ms. */
export function tlogLine(message: object): string {
  const { time } = message as { time?: unknown };
  const json = JSON.stringify(message);
  if (typeof time !== 'number') return json;
  // For a flat object (a tlog message), the first `"time":` outside a string
  // is its key: inside a string, JSON escapes every quote.
  return json.replace(/"time":[^,}]*/, `"time":${time.toFixed(3)}`);
}
