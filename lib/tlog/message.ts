// One tlog message: validation of the JSON object a writer produced.
// The rules follow docs/tlog-format.md, "One message" (checked against tlog 12 and
// tlog-play): required fields are those tlog-play's reader requires, unknown
// fields are ignored, a major version above 2 is refused.

import { MAX_DELAY_MS } from './timing';

/** A validated tlog message. Optional fields are absent in old writers. */
export interface TlogMessage {
  ver: string;
  host: string;
  rec?: string;
  user: string;
  term: string;
  session: number;
  id: number;
  pos: number;
  time?: number;
  timing: string;
  in_txt: string;
  in_bin: number[];
  out_txt: string;
  out_bin: number[];
}

export type ParseResult<T> = { ok: true; value: T } | { ok: false; error: string };

const SUPPORTED_MAJOR = 2;

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function isCount(value: unknown): value is number {
  return typeof value === 'number' && Number.isSafeInteger(value) && value >= 0;
}

function isByteArray(value: unknown): value is number[] {
  if (!Array.isArray(value)) return false;
  for (let i = 0; i < value.length; i++) {
    const b: unknown = value[i];
    // `(b & 255) === b` holds for the integers 0..255 only (NaN, fractions and -0 aside: -0 is a byte).
    if (typeof b !== 'number' || (b & 255) !== b) return false;
  }
  return true;
}

/** Checks `ver`: "MAJOR.MINOR" strings, or integers from old writers. */
function parseVersion(ver: unknown): ParseResult<string> {
  if (typeof ver === 'number' && Number.isInteger(ver) && ver >= 0) {
    return ver > SUPPORTED_MAJOR
      ? { ok: false, error: `unsupported format version ${ver} (major > ${SUPPORTED_MAJOR})` }
      : { ok: true, value: String(ver) };
  }
  if (typeof ver !== 'string' || !/^\d{1,6}(\.\d{1,6})?$/.test(ver)) {
    return { ok: false, error: 'field "ver" must be a "MAJOR.MINOR" string' };
  }
  const major = Number(ver.split('.')[0]);
  if (major > SUPPORTED_MAJOR) {
    return { ok: false, error: `unsupported format version "${ver}" (major > ${SUPPORTED_MAJOR})` };
  }
  return { ok: true, value: ver };
}

const TEXT_FIELDS = ['host', 'user', 'term', 'timing'] as const;
const COUNT_FIELDS = ['session', 'id', 'pos'] as const;

/** The last version string seen and its verdict: a recording's messages all carry the same. */
let lastVer: unknown;
let lastVerResult: ParseResult<string> | null = null;

function checkVersion(ver: unknown): ParseResult<string> {
  if (lastVerResult && ver === lastVer) return lastVerResult;
  const result = parseVersion(ver);
  lastVer = ver;
  lastVerResult = result;
  return result;
}

/**
 * Validates a parsed JSON value as a tlog message. On the messages' hot path
 * (every message the player, the exports and the summarizer read): checks
 * field by field without building intermediate objects.
 */
export function validateMessage(value: unknown): ParseResult<TlogMessage> {
  if (!isObject(value)) return { ok: false, error: 'message is not a JSON object' };
  const ver = checkVersion(value.ver);
  if (!ver.ok) return ver;
  const {
    host,
    user,
    term,
    timing,
    session,
    id,
    pos,
    rec,
    time,
    in_txt,
    out_txt,
    in_bin,
    out_bin,
  } = value;
  if (
    typeof host !== 'string' ||
    typeof user !== 'string' ||
    typeof term !== 'string' ||
    typeof timing !== 'string'
  ) {
    const field = TEXT_FIELDS.find((f) => typeof value[f] !== 'string');
    return { ok: false, error: `field "${field}" must be a string` };
  }
  if (!isCount(session) || !isCount(id) || !isCount(pos)) {
    const field = COUNT_FIELDS.find((f) => !isCount(value[f]));
    return { ok: false, error: `field "${field}" must be a non-negative integer` };
  }
  if (pos > MAX_DELAY_MS) {
    return { ok: false, error: 'field "pos" is larger than tlog allows' };
  }
  if (rec !== undefined && (typeof rec !== 'string' || rec === '')) {
    return { ok: false, error: 'field "rec" must be a non-empty string' };
  }
  if (time !== undefined && (typeof time !== 'number' || !Number.isFinite(time))) {
    return { ok: false, error: 'field "time" must be a number' };
  }
  if (in_txt !== undefined && typeof in_txt !== 'string') {
    return { ok: false, error: 'field "in_txt" must be a string' };
  }
  if (out_txt !== undefined && typeof out_txt !== 'string') {
    return { ok: false, error: 'field "out_txt" must be a string' };
  }
  if (!isByteArray(in_bin)) {
    return { ok: false, error: 'field "in_bin" must be an array of bytes (0..255)' };
  }
  if (!isByteArray(out_bin)) {
    return { ok: false, error: 'field "out_bin" must be an array of bytes (0..255)' };
  }
  const message: TlogMessage = {
    ver: ver.value,
    host,
    user,
    term,
    session,
    id,
    pos,
    timing,
    in_txt: in_txt ?? '',
    in_bin,
    out_txt: out_txt ?? '',
    out_bin,
  };
  if (typeof rec === 'string') message.rec = rec;
  if (typeof time === 'number') message.time = time;
  return { ok: true, value: message };
}

/** Parses one line of a tlog JSON-lines file. */
export function parseMessageLine(line: string): ParseResult<TlogMessage> {
  let json: unknown;
  try {
    json = JSON.parse(line);
  } catch {
    return { ok: false, error: 'line is not valid JSON' };
  }
  return validateMessage(json);
}
