import { compose, type Message } from './compose';
import { createRng, type Rng } from '../prng';

// A generated fleet for the recordings browser (issue 5): many hosts, users
// and recordings, made by transforming the real fixtures in
// tests/fixtures/recordings. Each recording chains a few whole fixtures and,
// for bulk, a slice of big.tlog (seq output), with fresh rec/host/user/session
// and times; ids, pos and time continue across the pieces (each piece's
// shifted past the last one's), so every recording is valid tlog. Text is changed only
// by swapping a word for another of the same length (the timing script counts
// characters, so it stays right): `burst` (gap) and `hello` (input) become the
// recording's needle word, which the text-search tests look for.
// Deterministic: the same spec gives byte-identical messages.

export interface FleetSpec {
  seed: number;
  hosts: number;
  users: number;
  recordings: number;
  /** Total messages, exactly. */
  messages: number;
  /** Unix ms: recordings start within `days` before it. */
  anchorMs: number;
  days: number;
}

/** Bump when the generated messages change: cached indices are named after it. */
export const FLEET_VERSION = 1;

export const FLEET: FleetSpec = {
  seed: 5,
  hosts: 60,
  users: 200,
  recordings: 5000,
  messages: 500_000,
  anchorMs: Date.UTC(2026, 10, 20),
  days: 30,
};

/** A small fleet of the same shape, for smoke runs. */
export const SMALL_FLEET: FleetSpec = {
  ...FLEET,
  hosts: 8,
  users: 20,
  recordings: 200,
  messages: 10_000,
};

/** What the generator knows of each recording: the oracle the tests check against. */
export interface FleetRecording {
  rec: string;
  host: string;
  user: string;
  session: number;
  startMs: number;
  /** Time of the last message's first event, from the start (its `pos`). */
  lastPos: number;
  durationMs: number;
  messages: number;
  gaps: number;
  hasInput: boolean;
  needle: string | null;
  /** Tracked words (TRACKED and the needle) and when each is first printed, in ms from the start. */
  found: Record<string, number>;
  /** Each message's pos, in id order (its time is startMs + pos). */
  times: number[];
  pieces: string[];
}

export { TRACKED } from './compose';

export const NO_SESSION = 4294967295;
const CONSONANTS = 'bdfgjklmnprstvz';
const VOWELS = 'aeiou';

/** 5-letter made-up words: the same length as `burst` and `hello`, found in no fixture. */
export function needleWords(count = 40): string[] {
  const rng = createRng(4242);
  const words = new Set<string>();
  while (words.size < count) {
    let w = '';
    for (let i = 0; i < 5; i++)
      w += i % 2 === 0 ? rng.pick([...CONSONANTS]) : rng.pick([...VOWELS]);
    words.add(w);
  }
  return [...words];
}

const FIRST = ['alice', 'bob', 'carol', 'dave', 'erin', 'frank', 'grace', 'heidi', 'ivan', 'judy'];
export function userName(i: number): string {
  return i < FIRST.length
    ? (FIRST[i] ?? 'x')
    : `${FIRST[i % FIRST.length]}${Math.floor(i / FIRST.length)}`;
}
const ROLES = ['web', 'db', 'cache', 'queue', 'build', 'bastion'];
export function hostName(i: number): string {
  return `${ROLES[i % ROLES.length]}-${Math.floor(i / ROLES.length) + 1}.prod.example.com`;
}

function hex(rng: Rng, digits: number): string {
  let s = '';
  for (let i = 0; i < digits; i++) s += '0123456789abcdef'[rng.int(0, 15)];
  return s;
}

/** Message counts per recording: skewed, at least 3 each, summing exactly to spec.messages. */
function lengths(spec: FleetSpec, rng: Rng): number[] {
  const raw = Array.from({ length: spec.recordings }, () => Math.exp(8 * rng.next() ** 2));
  const sum = raw.reduce((a, b) => a + b, 0);
  const target = spec.messages - 3 * spec.recordings;
  const out = raw.map((w) => 3 + Math.min(11_000, Math.floor((w / sum) * target)));
  let rest = spec.messages - out.reduce((a, b) => a + b, 0);
  for (let i = 0; rest > 0; i = (i + 1) % out.length) {
    if ((out[i] ?? 0) < 11_000) {
      out[i] = (out[i] ?? 0) + 1;
      rest -= 1;
    }
  }
  return out;
}

/** Skewed choice: index i with weight 1/(i+1), so facets have clear leaders. */
function zipf(rng: Rng, n: number): number {
  const h = Math.log(n + 1);
  return Math.min(n - 1, Math.floor(Math.exp(rng.next() * h) - 1));
}

export interface FleetItem {
  meta: FleetRecording;
  messages: Message[];
}

export interface Identity {
  rec: string;
  host: string;
  user: string;
  session: number;
  startMs: number;
  needle: string | null;
}

/** The recordings one by one (the whole fleet never sits in memory). */
export function* fleet(spec: FleetSpec = FLEET): Generator<FleetItem> {
  const rng = createRng(spec.seed);
  const sizes = lengths(spec, rng);
  const needles = needleWords();
  const boot = Array.from({ length: spec.hosts }, () => hex(rng, 32));
  const span = spec.days * 86_400_000;
  for (let r = 0; r < spec.recordings; r++) {
    // Every user and host appears at least once; then a skewed spread.
    const userIndex = r < spec.users ? r : zipf(rng, spec.users);
    // Users mostly work on a few hosts of their own.
    const ownHost = rng.chance(0.8)
      ? (userIndex * 7 + rng.int(0, 2)) % spec.hosts
      : zipf(rng, spec.hosts);
    const hostIndex = r < spec.hosts ? r : ownHost;
    const host = hostName(hostIndex);
    const user = userName(userIndex);
    const rec = `${boot[hostIndex]}-${hex(rng, 4)}-${(r + 0x10000).toString(16)}`;
    const session = rng.chance(0.15) ? NO_SESSION : rng.int(1, 50_000);
    const startMs = spec.anchorMs - span + Math.floor(rng.next() * span);
    const needle = rng.chance(0.5) ? (needles[r % needles.length] ?? null) : null;
    yield compose(rng, sizes[r] ?? 3, { rec, host, user, session, startMs, needle });
  }
}

/** Only the oracle (cheap: no documents kept). */
export function fleetOracle(spec: FleetSpec = FLEET): FleetRecording[] {
  const metas: FleetRecording[] = [];
  for (const item of fleet(spec)) metas.push(item.meta);
  return metas;
}
