import { isIP } from 'node:net';

// What counts as "this machine only", wherever auditty decides by it: the
// launcher's listen address, an OpenID provider allowed over plain http, and
// the requests open access serves (docs/architecture.md, "Access").

/**
 * A host name or address that reaches only this machine: `localhost`, an
 * address in 127.0.0.0/8, or ::1 (bracketed or not, as URLs and Host headers
 * write it; IPv4-mapped ::ffff:127.x too).
 */
export function isLoopback(host: string): boolean {
  const name = host.trim().toLowerCase().replace(/\.$/, '');
  if (name === 'localhost') return true;
  const address = name.replace(/^\[(.*)\]$/, '$1').replace(/^::ffff:(?=\d+\.\d+\.\d+\.\d+$)/, '');
  if (isIP(address) === 4) return address.startsWith('127.');
  if (isIP(address) === 6) return /^(0{0,4}:){2,7}0{0,3}1$/.test(address) || address === '::1';
  return false;
}
