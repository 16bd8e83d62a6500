// A tlog message as one JSON line, the way tlog-rec writes it: `time` with
// three decimals always. JSON.stringify writes a whole second as an integer
// (1790000000), and tlog's reader (json-c) then refuses the message: "A
// message field has invalid type" at line 1, which kept tlog-play from
// reading any generated recording.

/** `message` as a JSON line without its line feed; `time`, if present, is seconds with ms. */
export function tlogLine<T extends { time?: number }>(message: T): string {
  const { time } = message;
  const json = JSON.stringify(message);
  if (time === undefined) return json;
  // The first `"time":` outside a string is the key: inside one, JSON escapes every quote.
  return json.replace(/"time":[^,}]*/, `"time":${time.toFixed(3)}`);
}
