#!/usr/bin/env node
// The `auditty` command. The CLI is TypeScript that shares lib/ with the
// server, so it runs through tsx, with the `react-server` condition that lets
// server-only modules load outside Next.
import { spawnSync } from 'node:child_process';
import { createRequire } from 'node:module';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const tsx = createRequire(import.meta.url).resolve('tsx');
const result = spawnSync(
  process.execPath,
  [
    '--conditions=react-server',
    '--import',
    tsx,
    path.join(root, 'scripts', 'cli', 'main.ts'),
    ...process.argv.slice(2),
  ],
  {
    stdio: 'inherit',
    env: { ...process.env, TSX_TSCONFIG_PATH: path.join(root, 'tsconfig.json') },
  },
);
process.exit(result.status ?? 1);
