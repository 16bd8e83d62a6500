import { describe, expect, it } from 'vitest';
import { contentSecurityPolicy, makeNonce, securityHeaders } from '@/lib/auth/csp';
import { clientAddress, isCrossSite, isSecure, siteOrigin } from '@/lib/auth/request';

const directives = (csp: string) =>
  new Map(csp.split('; ').map((d) => [d.split(' ')[0], d.split(' ').slice(1)]));

describe('Content-Security-Policy', () => {
  it('allows scripts only by nonce, never eval in production', () => {
    const nonce = makeNonce();
    const csp = directives(contentSecurityPolicy(nonce, { https: false, dev: false }));
    expect(csp.get('script-src')).toEqual(["'self'", `'nonce-${nonce}'`, "'strict-dynamic'"]);
    expect(csp.get('script-src')).not.toContain("'unsafe-inline'");
    expect([...csp.values()].flat()).not.toContain("'unsafe-eval'");
    expect(csp.get('frame-ancestors')).toEqual(["'none'"]);
    expect(csp.get('connect-src')).toEqual(["'self'"]);
    expect(csp.get('object-src')).toEqual(["'none'"]);
    expect(csp.get('base-uri')).toEqual(["'none'"]);
    expect(csp.get('form-action')).toEqual(["'self'"]);
    expect(csp.has('upgrade-insecure-requests')).toBe(false);
  });

  it('keeps nonces out of style-src, where they would switch off unsafe-inline for xterm.js', () => {
    const csp = directives(contentSecurityPolicy(makeNonce(), { https: false, dev: false }));
    expect(csp.get('style-src')).toEqual(["'self'", "'unsafe-inline'"]);
  });

  it('allows eval only in development, upgrades requests only over HTTPS', () => {
    expect(contentSecurityPolicy('n', { https: false, dev: true })).toContain("'unsafe-eval'");
    expect(contentSecurityPolicy('n', { https: true, dev: false })).toContain(
      'upgrade-insecure-requests',
    );
  });

  it('makes a fresh, unguessable nonce each time', () => {
    const nonces = new Set(Array.from({ length: 1000 }, makeNonce));
    expect(nonces.size).toBe(1000);
    for (const n of nonces) expect(Buffer.from(n, 'base64')).toHaveLength(16);
  });
});

describe('security headers', () => {
  it('set nosniff, no-referrer and frame denial, HSTS only over HTTPS', () => {
    const plain = securityHeaders(false);
    expect(plain['x-content-type-options']).toBe('nosniff');
    expect(plain['referrer-policy']).toBe('no-referrer');
    expect(plain['x-frame-options']).toBe('DENY');
    expect(plain['strict-transport-security']).toBeUndefined();
    expect(securityHeaders(true)['strict-transport-security']).toMatch(/^max-age=\d{8}/);
  });
});

describe('requests', () => {
  const h = (init: Record<string, string>) => new Headers(init);
  const ORIGIN = 'http://127.0.0.1:3230';

  it('refuses state-changing requests from other sites', () => {
    expect(isCrossSite('POST', h({ origin: 'https://evil.example' }), ORIGIN)).toBe(true);
    expect(isCrossSite('POST', h({ 'sec-fetch-site': 'cross-site', origin: ORIGIN }), ORIGIN)).toBe(
      true,
    );
    expect(isCrossSite('POST', h({ 'sec-fetch-site': 'same-site' }), ORIGIN)).toBe(true);
    expect(isCrossSite('POST', h({ origin: 'null' }), ORIGIN)).toBe(true);
    expect(isCrossSite('DELETE', h({ origin: 'http://127.0.0.1:3231' }), ORIGIN)).toBe(true);
  });

  it('accepts same-origin and non-browser requests, and never judges reads', () => {
    expect(
      isCrossSite('POST', h({ origin: ORIGIN, 'sec-fetch-site': 'same-origin' }), ORIGIN),
    ).toBe(false);
    // Chromium's same-origin form POST under Referrer-Policy: no-referrer.
    expect(
      isCrossSite('POST', h({ origin: 'null', 'sec-fetch-site': 'same-origin' }), ORIGIN),
    ).toBe(false);
    expect(isCrossSite('POST', h({ origin: ORIGIN }), ORIGIN)).toBe(false);
    expect(isCrossSite('POST', h({}), ORIGIN)).toBe(false);
    expect(
      isCrossSite(
        'GET',
        h({ origin: 'https://evil.example', 'sec-fetch-site': 'cross-site' }),
        ORIGIN,
      ),
    ).toBe(false);
  });

  it('knows its origin and whether it is served over HTTPS', () => {
    expect(siteOrigin(h({ host: '127.0.0.1:3230' }), null)).toBe(ORIGIN);
    expect(
      siteOrigin(
        h({ host: 'x', 'x-forwarded-proto': 'https', 'x-forwarded-host': 'auditty.example' }),
        null,
      ),
    ).toBe('https://auditty.example');
    expect(siteOrigin(h({ host: 'evil.example' }), new URL('https://auditty.example/'))).toBe(
      'https://auditty.example',
    );
    expect(isSecure(h({ 'x-forwarded-proto': 'https' }), null)).toBe(true);
    expect(isSecure(h({ 'x-forwarded-proto': 'https' }), new URL('http://127.0.0.1:3000'))).toBe(
      false,
    );
  });

  it('takes the client address nearest to auditty', () => {
    expect(clientAddress(h({ 'x-forwarded-for': '127.0.0.1' }))).toBe('127.0.0.1');
    expect(clientAddress(h({ 'x-forwarded-for': '203.0.113.9, 10.0.0.2' }))).toBe('10.0.0.2');
    expect(clientAddress(h({ 'x-forwarded-for': '::ffff:192.0.2.1' }))).toBe('192.0.2.1');
    expect(clientAddress(h({}))).toBe('unknown');
  });
});
