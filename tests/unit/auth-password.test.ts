import { describe, expect, it } from 'vitest';
import {
  burnPasswordCheck,
  DEFAULT_COST,
  hashPassword,
  isPasswordHash,
  verifyPassword,
} from '@/lib/auth/password';

const FAST = { ln: 10, r: 8, p: 1 };

describe('password hashes', () => {
  it('verify the right password and refuse others', async () => {
    const hash = await hashPassword('correct horse battery staple', FAST);
    expect(await verifyPassword('correct horse battery staple', hash)).toBe(true);
    expect(await verifyPassword('correct horse battery stapl', hash)).toBe(false);
    expect(await verifyPassword('Correct horse battery staple', hash)).toBe(false);
    expect(await verifyPassword('', hash)).toBe(false);
  });

  it('are salted and self-describing, never the password', async () => {
    const a = await hashPassword('same password', FAST);
    const b = await hashPassword('same password', FAST);
    expect(a).not.toBe(b);
    expect(a).toMatch(/^\$scrypt\$ln=10,r=8,p=1\$[\w-]{22}\$[\w-]{43}$/);
    expect(a).not.toContain('same');
    expect(isPasswordHash(a)).toBe(true);
  });

  it('use the OWASP scrypt baseline by default', async () => {
    expect(DEFAULT_COST).toEqual({ ln: 17, r: 8, p: 1 });
    const hash = await hashPassword('x'.repeat(12));
    expect(hash.startsWith('$scrypt$ln=17,r=8,p=1$')).toBe(true);
    expect(await verifyPassword('x'.repeat(12), hash)).toBe(true);
  });

  it('treat Unicode compositions alike', async () => {
    const hash = await hashPassword('caf\u00e9 au lait', FAST);
    expect(await verifyPassword('cafe\u0301 au lait', hash)).toBe(true);
  });

  it('refuse malformed, weakened or absurd stored hashes', async () => {
    for (const stored of [
      '',
      'plaintext',
      '$scrypt$ln=4,r=8,p=1$AAAAAAAAAAAAAAAAAAAAAA$AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA',
      '$scrypt$ln=30,r=8,p=1$AAAAAAAAAAAAAAAAAAAAAA$AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA',
      '$argon2id$v=19$m=65536,t=3,p=4$abc$def',
    ]) {
      expect(isPasswordHash(stored), stored).toBe(false);
      expect(await verifyPassword('anything', stored), stored).toBe(false);
    }
  });

  it('spend a real check on users that do not exist', async () => {
    expect(await burnPasswordCheck('whatever')).toBe(false);
  });
});
