import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import {
  clientAddress,
  isCrossSiteRead,
  openAccessRefusal,
  peerAddress,
  trustedProxies,
} from '@/lib/auth/request';

// Who is asking (issue 14, items 5, 8 and 11): the connection's peer as
// scripts/server.mjs reports it, reverse proxies trusted only when named,
// open access for this machine only, and reads from other sites refused.

const h = (init: Record<string, string>) => new Headers(init);

describe('the peer address', () => {
  let saved: string | undefined;
  beforeEach(() => {
    saved = process.env.AUDITTY_LAUNCHER;
    process.env.AUDITTY_LAUNCHER = String(process.pid);
  });
  afterEach(() => {
    if (saved === undefined) delete process.env.AUDITTY_LAUNCHER;
    else process.env.AUDITTY_LAUNCHER = saved;
  });

  it('is believed only from the server in this process', () => {
    expect(peerAddress(h({ 'x-auditty-peer': '::ffff:192.0.2.7' }))).toBe('192.0.2.7');
    process.env.AUDITTY_LAUNCHER = String(process.pid + 1);
    expect(peerAddress(h({ 'x-auditty-peer': '192.0.2.7' }))).toBeNull();
    delete process.env.AUDITTY_LAUNCHER;
    expect(peerAddress(h({ 'x-auditty-peer': '192.0.2.7' }))).toBeNull();
  });

  it('names the client: X-Forwarded-For only past reverse proxies named as trusted', () => {
    const forged = h({ 'x-auditty-peer': '198.51.100.4', 'x-forwarded-for': '127.0.0.1' });
    // Trusting none (the default), a client cannot claim another address.
    expect(clientAddress(forged)).toBe('198.51.100.4');
    expect(clientAddress(forged, trustedProxies('10.0.0.0/8'))).toBe('198.51.100.4');
    // Behind two trusted proxies: the right-most address that is not one of them.
    const proxied = h({
      'x-auditty-peer': '10.1.2.3',
      'x-forwarded-for': '127.0.0.1, 203.0.113.9, 10.9.9.9',
    });
    expect(clientAddress(proxied, trustedProxies('10.0.0.0/8'))).toBe('203.0.113.9');
    expect(clientAddress(proxied, trustedProxies('10.1.2.3'))).toBe('10.9.9.9');
    expect(clientAddress(proxied)).toBe('10.1.2.3');
    expect(clientAddress(h({ 'x-auditty-peer': '::1' }), trustedProxies('::1/128'))).toBe('::1');
  });

  it('lets open access serve this machine only: loopback Host and loopback peer', () => {
    expect(
      openAccessRefusal(h({ host: '127.0.0.1:3000', 'x-auditty-peer': '127.0.0.1' })),
    ).toBeNull();
    expect(openAccessRefusal(h({ host: 'localhost:3000', 'x-auditty-peer': '::1' }))).toBeNull();
    expect(
      openAccessRefusal(h({ host: '[::1]:3000', 'x-auditty-peer': '::ffff:127.0.0.1' })),
    ).toBeNull();
    // DNS rebinding: the browser sends the attacker's name.
    expect(
      openAccessRefusal(h({ host: 'rebind.evil.example:3000', 'x-auditty-peer': '127.0.0.1' })),
    ).toBe(
      'Open access serves this machine only, and "rebind.evil.example:3000" is not a loopback name',
    );
    // Another machine, with a Host it made up.
    expect(openAccessRefusal(h({ host: '127.0.0.1:3000', 'x-auditty-peer': '192.0.2.9' }))).toBe(
      'Open access serves this machine only, and 192.0.2.9 is another machine',
    );
    delete process.env.AUDITTY_LAUNCHER;
    expect(openAccessRefusal(h({ host: '127.0.0.1:3000', 'x-auditty-peer': '127.0.0.1' }))).toBe(
      'Open access serves this machine only: start auditty with npm start, which tells it who connects',
    );
  });
});

describe('reads from other sites', () => {
  const from = (site: string, mode = 'no-cors', dest = 'image') =>
    h({ 'sec-fetch-site': site, 'sec-fetch-mode': mode, 'sec-fetch-dest': dest });

  it('refuses API calls and page loads another site makes', () => {
    expect(isCrossSiteRead('/api/recordings/x/messages', from('cross-site', 'cors', 'empty'))).toBe(
      true,
    );
    expect(isCrossSiteRead('/api/recordings', from('same-site', 'no-cors', 'script'))).toBe(true);
    expect(isCrossSiteRead('/recordings/x', from('cross-site'))).toBe(true);
    expect(isCrossSiteRead('/recordings/x', from('cross-site', 'navigate', 'iframe'))).toBe(true);
    expect(isCrossSiteRead('/', from('cross-site', 'no-cors', 'image'))).toBe(true);
    // A link to an API address does not make a navigation to it safe.
    expect(
      isCrossSiteRead('/api/recordings/x/export', from('cross-site', 'navigate', 'document')),
    ).toBe(true);
  });

  it('keeps shared links, the provider callback and this site itself working', () => {
    expect(isCrossSiteRead('/recordings/x', from('cross-site', 'navigate', 'document'))).toBe(
      false,
    );
    expect(
      isCrossSiteRead('/api/auth/oidc/callback', from('cross-site', 'navigate', 'document')),
    ).toBe(false);
    expect(isCrossSiteRead('/api/recordings', from('same-origin', 'cors', 'empty'))).toBe(false);
    expect(isCrossSiteRead('/recordings/x', from('none', 'navigate', 'document'))).toBe(false);
    expect(isCrossSiteRead('/api/health', h({}))).toBe(false);
  });
});
