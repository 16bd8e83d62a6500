import { randomBytes, scrypt, timingSafeEqual, type ScryptOptions } from 'node:crypto';

// Local account passwords, stored only as scrypt hashes in a self-describing
// string: `$scrypt$ln=17,r=8,p=1$SALT$HASH` (base64url). The cost travels
// with the hash, so it can be raised later without breaking old entries.

export interface ScryptCost {
  /** log2 of N, the CPU/memory cost. */
  ln: number;
  r: number;
  p: number;
}

/** OWASP's scrypt baseline (N=2^17, r=8, p=1): about 128 MiB and a few hundred ms a hash. */
export const DEFAULT_COST: ScryptCost = { ln: 17, r: 8, p: 1 };
const KEY_LENGTH = 32;
const FORMAT =
  /^\$scrypt\$ln=(\d{1,2}),r=(\d{1,2}),p=(\d{1,2})\$([A-Za-z0-9_-]{16,})\$([A-Za-z0-9_-]{32,})$/;
export const PASSWORD_MIN = 8;
export const PASSWORD_MAX = 1024;

function derive(password: string, salt: Buffer, cost: ScryptCost, length: number): Promise<Buffer> {
  const N = 2 ** cost.ln;
  const options: ScryptOptions = { N, r: cost.r, p: cost.p, maxmem: 256 * N * cost.r };
  return new Promise((resolve, reject) => {
    scrypt(password.normalize('NFC'), salt, length, options, (err, key) =>
      err ? reject(err) : resolve(key),
    );
  });
}

export async function hashPassword(
  password: string,
  cost: ScryptCost = DEFAULT_COST,
): Promise<string> {
  const salt = randomBytes(16);
  const key = await derive(password, salt, cost, KEY_LENGTH);
  return `$scrypt$ln=${cost.ln},r=${cost.r},p=${cost.p}$${salt.toString('base64url')}$${key.toString('base64url')}`;
}

/** Whether a stored string is a hash this module can check. */
export function isPasswordHash(stored: string): boolean {
  const m = FORMAT.exec(stored);
  if (!m) return false;
  const [ln, r, p] = [Number(m[1]), Number(m[2]), Number(m[3])];
  return ln >= 10 && ln <= 20 && r >= 1 && r <= 32 && p >= 1 && p <= 16;
}

export async function verifyPassword(password: string, stored: string): Promise<boolean> {
  const m = FORMAT.exec(stored);
  if (!m || !isPasswordHash(stored) || password.length > PASSWORD_MAX) return false;
  const cost = { ln: Number(m[1]), r: Number(m[2]), p: Number(m[3]) };
  const salt = Buffer.from(m[4] ?? '', 'base64url');
  const expected = Buffer.from(m[5] ?? '', 'base64url');
  const actual = await derive(password, salt, cost, expected.length);
  return timingSafeEqual(actual, expected);
}

let dummy: Promise<string> | undefined;

/**
 * Spends the time of a real check for a user that does not exist, so that
 * response times do not tell which usernames are real.
 */
export async function burnPasswordCheck(password: string): Promise<false> {
  dummy ??= hashPassword('auditty-no-such-user');
  await verifyPassword(password, await dummy);
  return false;
}
