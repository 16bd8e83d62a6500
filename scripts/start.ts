// `npm start` (node --import tsx): checks the configuration, builds once if
// needed, then serves auditty on HOST:PORT through scripts/server.mjs.
// `--dev` runs Next.js in development mode instead (npm run dev). Refuses an
// address beyond loopback without sign-in: the server refuses requests from
// beyond loopback in open access too (proxy.ts), this says why before it starts.
import { spawnSync, spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { isLoopback } from '../lib/net/loopback';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const host = process.env.HOST || '127.0.0.1';
const port = process.env.PORT || '3000';
const next = path.join(root, 'node_modules', 'next', 'dist', 'bin', 'next');

const set = (name: string) => (process.env[name] ?? '').trim() !== '';
// Sign-in is configured by OpenID Connect (AUTH_ISSUER) or local accounts
// (AUTH_USERS_FILE); the server checks the rest of it (AUTH_SECRET, the
// policy, the accounts) as it starts, and stops with the reason if it is wrong.
const signIn = set('AUTH_ISSUER') || set('AUTH_USERS_FILE');
const open = process.env.AUTH_MODE === 'none';
if (!isLoopback(host) && !signIn && !open) {
  console.error(
    `auditty: refusing to listen on ${host} without sign-in.\n` +
      'Recordings hold everything typed into audited shells. Configure sign-in first:\n' +
      '  OpenID Connect: AUTH_ISSUER, AUTH_CLIENT_ID, AUTH_CLIENT_SECRET and AUTH_SECRET\n' +
      '  local accounts: AUTH_USERS_FILE (npx auditty user add NAME --role ROLE --password-stdin)\n' +
      '                  and AUTH_SECRET (openssl rand -base64 32)\n' +
      'with roles in AUTH_POLICY_FILE (README, "Access"). Or set AUTH_MODE=none to serve\n' +
      'every recording to anyone who can reach this address.',
  );
  process.exit(2);
}
if (signIn && !set('AUTH_SECRET')) {
  console.error(
    'auditty: sign-in needs AUTH_SECRET to seal session cookies (openssl rand -base64 32)',
  );
  process.exit(2);
}
if (open && !isLoopback(host)) {
  console.warn(`auditty: AUTH_MODE=none: every recording is open to anyone who can reach ${host}`);
}

const dev = process.argv.includes('--dev');
if (!dev && !existsSync(path.join(root, '.next', 'BUILD_ID'))) {
  console.log('auditty: first start, building (about a minute)...');
  const build = spawnSync(process.execPath, [next, 'build'], { cwd: root, stdio: 'inherit' });
  if (build.status !== 0) process.exit(build.status ?? 1);
}

const server = spawn(process.execPath, [path.join(root, 'scripts', 'server.mjs')], {
  cwd: root,
  stdio: 'inherit',
  env: {
    ...process.env,
    HOST: host,
    PORT: port,
    ...(dev ? { AUDITTY_DEV: '1' } : { NODE_ENV: 'production' }),
  },
});
for (const signal of ['SIGINT', 'SIGTERM'] as const) process.on(signal, () => server.kill(signal));
server.on('exit', (code) => process.exit(code ?? 0));
