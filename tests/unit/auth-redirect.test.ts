import { describe, expect, it } from 'vitest';
import { safeNext, signInPath } from '@/lib/auth/redirect';

describe('safeNext', () => {
  it.each([
    ['/recordings/abc?t=0:05', '/recordings/abc?t=0:05'],
    ['/?user=alice&host=db-1', '/?user=alice&host=db-1'],
    ['/recordings/a%2Fb?t=1:02:03#x', '/recordings/a%2Fb?t=1:02:03#x'],
    ['/access-log', '/access-log'],
  ])('keeps the same-origin path %s', (next, expected) => {
    expect(safeNext(next)).toBe(expected);
  });

  it.each([
    null,
    undefined,
    '',
    'https://evil.example/',
    '//evil.example/path',
    '///evil.example',
    '/\\evil.example',
    '\\\\evil.example',
    '/\t/evil.example',
    '/\n/evil.example',
    '/.//evil.example',
    '/..//evil.example',
    'javascript:alert(1)',
    'recordings/abc',
    ' /recordings',
    '/signin',
    '/signin?next=/x',
    '/api/auth/signout',
    `/${'a'.repeat(3000)}`,
  ])('refuses %j and goes home', (next) => {
    expect(safeNext(next)).toBe('/');
  });

  it('never yields something a browser would read as another origin', () => {
    const tricky = [
      '/%2F%2Fevil.example',
      '/%5Cevil.example',
      '/./evil',
      '/a/../../evil',
      '/@evil.example',
    ];
    for (const next of tricky) {
      const out = safeNext(next);
      expect(new URL(out, 'https://auditty.example').origin, next).toBe('https://auditty.example');
      expect(out.startsWith('//')).toBe(false);
    }
  });
});

describe('signInPath', () => {
  it('carries the destination and the error', () => {
    expect(signInPath('/recordings/x?t=0:05')).toBe('/signin?next=%2Frecordings%2Fx%3Ft%3D0%3A05');
    expect(signInPath('/', 'credentials')).toBe('/signin?error=credentials');
    expect(signInPath('https://evil.example')).toBe('/signin');
  });
});
