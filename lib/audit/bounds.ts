// How long each stored field of an audit event may be. Every event is built
// by buildEvent (event.ts), which applies these, so no caller can write an
// unbounded one: a request from anyone (a denied API call, a failed sign-in)
// must not be able to make the trail grow faster than one small event.
// Worst case, in characters: 2,048 of URL, 32 parameters of 1,088, 32 roles
// of 128 and a few short fields, under 48,000 an event; the events of
// requests without a session carry no parameters or roles, under 4,000.

/**
 * url.original: the paths and queries auditty serves stay far below 1 KB (a
 * recording id, a few filters); 2,048 is the long-standing practical limit of
 * browsers and proxies. Beyond it is noise or an attack, so a longer URL is
 * kept up to the limit with a marker saying how long it was.
 */
export const MAX_URL = 2048;
/** event.reason: a sentence, sometimes with a provider's error message (OIDC). */
export const MAX_REASON = 500;
/** source.address: an IPv6 address with a zone fits in 50. */
export const MAX_ADDRESS = 100;
/** user.name: what the sign-in form and the OIDC claims already accept. */
export const MAX_NAME = 256;
/**
 * user.id: the identity key (lib/auth/identity.ts MAX_IDENTITY); sessions
 * never carry a longer one, so it is never cut (a cut key would name nobody).
 */
export const MAX_ID = 1024;
/** user.roles: policies name a handful of roles; a name is a short word. */
export const MAX_ROLES = 32;
export const MAX_ROLE = 128;
/** auditty.recording: recording ids are at most 200 characters (lib/sources/ids.ts). */
export const MAX_RECORDING = 256;
/** auditty.params: enough to see what was searched, never a whole body. */
export const MAX_PARAMS = 32;
export const MAX_PARAM_KEY = 64;
export const MAX_PARAM = 1024;

/** What ends a truncated value, so nobody reads it as what was sent. */
export const truncatedMarker = (length: number): string => `…[truncated, was ${length} chars]`;

/**
 * The text, or its start and a marker, in at most `max` characters. The cut
 * never splits a surrogate pair, so the stored JSON stays well-formed UTF-8.
 */
export function bounded(text: string, max: number): string {
  if (text.length <= max) return text;
  const marker = truncatedMarker(text.length);
  let keep = Math.max(0, max - marker.length);
  const last = text.charCodeAt(keep - 1);
  if (keep > 0 && last >= 0xd800 && last <= 0xdbff) keep -= 1;
  return `${text.slice(0, keep)}${marker}`.slice(0, max);
}

/** At most `max` items; when some are left out, the last says how many. */
export function boundedList(items: string[], max: number, each: number): string[] {
  const kept = items.slice(0, max).map((item) => bounded(item, each));
  if (items.length <= max) return kept;
  return [...kept.slice(0, max - 1), `…[${items.length - max + 1} more]`];
}

/** Parameters as short strings; past MAX_PARAMS, one `…` entry says how many were left out. */
export function boundedParams(params: object): Record<string, string> {
  const entries = Object.entries(params).filter(([, value]) => value !== undefined);
  const out: Record<string, string> = {};
  const kept = entries.length > MAX_PARAMS ? entries.slice(0, MAX_PARAMS - 1) : entries;
  for (const [key, value] of kept) {
    const text = typeof value === 'string' ? value : (JSON.stringify(value) ?? '');
    out[bounded(key, MAX_PARAM_KEY)] = bounded(text, MAX_PARAM);
  }
  if (kept.length < entries.length) out['…'] = `${entries.length - kept.length} more parameters`;
  return out;
}
