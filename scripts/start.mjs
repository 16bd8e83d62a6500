#!/usr/bin/env node
// `npm start`: builds once if needed, then serves auditty on HOST:PORT.
import { spawnSync, spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const host = process.env.HOST || '127.0.0.1';
const port = process.env.PORT || '3000';
const next = path.join(root, 'node_modules', 'next', 'dist', 'bin', 'next');

const LOOPBACK = /^(127\.\d+\.\d+\.\d+|localhost|::1|\[::1\])$/;
if (!LOOPBACK.test(host) && process.env.AUTH_MODE !== 'none') {
  console.error(
    `auditty: refusing to listen on ${host} without sign-in.\n` +
      'Recordings hold everything typed into audited shells. Configure sign-in, or set\n' +
      'AUTH_MODE=none to serve them to anyone who can reach this address.',
  );
  process.exit(2);
}

if (!existsSync(path.join(root, '.next', 'BUILD_ID'))) {
  console.log('auditty: first start, building (about a minute)...');
  const build = spawnSync(process.execPath, [next, 'build'], { cwd: root, stdio: 'inherit' });
  if (build.status !== 0) process.exit(build.status ?? 1);
}

const server = spawn(process.execPath, [next, 'start', '-H', host, '-p', port], {
  cwd: root,
  stdio: 'inherit',
});
for (const signal of ['SIGINT', 'SIGTERM']) process.on(signal, () => server.kill(signal));
server.on('exit', (code) => process.exit(code ?? 0));
