import { decodeTiming, validateMessage } from '@/lib/tlog';
import { fixtureLines } from '../fixtures';
import type { Rng } from '../prng';
import type { FleetItem, Identity } from './index';

// One recording of the generated fleet (tests/support/fleet/index.ts says what the
// fleet is): a few whole fixtures and maybe a slice of big.tlog, chained with
// ids, pos and time continued, and `burst`/`hello` swapped for the
// recording's needle word (same length, so the timing script stays right).

export type Message = Record<string, unknown> & {
  id: number;
  pos: number;
  out_txt: string;
  in_txt: string;
};

/** Words the tests search for, besides the needles. */
export const TRACKED = ['burst', 'hello', 'quick', 'stty'] as const;

const SMALL = [
  'colors',
  'fullscreen',
  'gap',
  'input',
  'invalid-bytes',
  'resize',
  'utf8-emoji',
] as const;
const WEIGHTS = [3, 2, 2, 2, 1, 3, 1];

let fixtureCache: Map<string, Message[]> | undefined;
function pieces(): Map<string, Message[]> {
  if (fixtureCache) return fixtureCache;
  fixtureCache = new Map();
  for (const name of [...SMALL, 'big']) {
    fixtureCache.set(
      name,
      fixtureLines(name).map((l) => JSON.parse(l) as Message),
    );
  }
  return fixtureCache;
}

export function compose(rng: Rng, size: number, who: Identity): FleetItem {
  const all = pieces();
  const chosen: string[] = [];
  const smallCount = rng.int(1, 3);
  for (let i = 0; i < smallCount; i++) {
    let k = rng.int(0, WEIGHTS.reduce((a, b) => a + b, 0) - 1);
    let j = 0;
    while (k >= (WEIGHTS[j] ?? 0)) k -= WEIGHTS[j++] ?? 0;
    chosen.push(SMALL[j] ?? 'resize');
  }
  const smallTotal = chosen.reduce((n, name) => n + (all.get(name)?.length ?? 0), 0);
  // Bulk: a slice of big.tlog after the first command, as if it printed a lot.
  const plan: { name: string; list: Message[] }[] = chosen.map((name) => ({
    name,
    list: all.get(name) ?? [],
  }));
  if (size > smallTotal) {
    const big = all.get('big') ?? [];
    const length = size - smallTotal;
    const from = rng.int(1, big.length - length);
    plan.splice(1, 0, { name: `big[${from}+${length}]`, list: big.slice(from, from + length) });
  }
  const messages: Message[] = [];
  let idBase = 0;
  let posBase = 0;
  const found: Record<string, number> = {};
  const tracked = [...TRACKED, ...(who.needle ? [who.needle] : [])];
  let hasInput = false;
  outer: for (const piece of plan) {
    const first = piece.list[0];
    if (!first) continue;
    const firstId = first.id;
    const firstPos = first.pos;
    let maxId = idBase;
    let lastPos = posBase;
    for (const source of piece.list) {
      if (messages.length >= size) break outer;
      const id = idBase + (source.id - firstId) + 1;
      const pos = posBase + source.pos - firstPos;
      let out = source.out_txt;
      let input = source.in_txt;
      if (who.needle) {
        out = out.replaceAll('burst', who.needle).replaceAll('hello', who.needle);
        input = input.replaceAll('hello', who.needle);
      }
      const message: Message = {
        ver: source.ver,
        host: who.host,
        rec: who.rec,
        user: who.user,
        term: source.term,
        session: who.session,
        id,
        pos,
        time: Math.round(who.startMs + pos) / 1000,
        timing: source.timing,
        in_txt: input,
        in_bin: source.in_bin,
        out_txt: out,
        out_bin: source.out_bin,
      };
      for (const word of tracked) {
        if (found[word] === undefined && out.includes(word)) found[word] = momentOf(message, word);
      }
      if (input !== '' || (Array.isArray(source.in_bin) && source.in_bin.length > 0))
        hasInput = true;
      messages.push(message);
      maxId = id;
      lastPos = pos;
    }
    idBase = maxId;
    const end = decodeTiming(validated(messages[messages.length - 1])).end;
    posBase = Math.max(lastPos, end) + rng.int(500, 20_000);
  }
  const last = messages[messages.length - 1];
  const lastId = last?.id ?? 0;
  return {
    meta: {
      ...who,
      needle: who.needle !== null && found[who.needle] !== undefined ? who.needle : null,
      lastPos: last?.pos ?? 0,
      durationMs: decodeTiming(validated(last)).end,
      messages: messages.length,
      gaps: lastId - messages.length,
      hasInput,
      found,
      times: messages.map((m) => m.pos),
      pieces: plan.map((p) => p.name),
    },
    messages,
  };
}

function validated(message: Message | undefined) {
  const result = validateMessage(message);
  if (!result.ok) throw new Error(`fleet made an invalid message: ${result.error}`);
  return result.value;
}

/** When `word` is first printed: the time of the output record that prints its last character. */
function momentOf(message: Message, word: string): number {
  const before = message.out_txt.slice(0, message.out_txt.indexOf(word));
  const at = Array.from(before).length + Array.from(word).length;
  let t = message.pos;
  let printed = 0;
  for (const [, op, n] of String(message.timing).matchAll(/([+<>\][=])(\d+)/g)) {
    if (op === '+') t += Number(n);
    if (op === '>' || op === ']') printed += Number(n);
    if (printed >= at) return t;
  }
  return t;
}
