// Starts the built app (scripts/server.mjs, as npm start serves it) on a free port, serving one directory
// of recordings with the files source.

import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync } from 'node:fs';
import { createServer } from 'node:net';
import path from 'node:path';

export const ROOT = path.resolve(import.meta.dirname, '../..');

export interface AppServer {
  origin: string;
  stop: () => void;
}

async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const probe = createServer();
    probe.once('error', reject);
    probe.listen(0, '127.0.0.1', () => {
      const address = probe.address();
      probe.close(() =>
        typeof address === 'object' && address
          ? resolve(address.port)
          : reject(new Error('no port')),
      );
    });
  });
}

export async function startApp(
  recordingsDir: string,
  env: Record<string, string> = {},
): Promise<AppServer> {
  if (!existsSync(path.join(ROOT, '.next/BUILD_ID'))) {
    throw new Error(
      'No build: run `npx next build` first (the benchmark measures the production build).',
    );
  }
  const port = await freePort();
  const origin = `http://127.0.0.1:${port}`;
  const child: ChildProcess = spawn(
    process.execPath,
    // As `npm start` serves it: bare `next start` cannot tell open access the peer is local.
    ['scripts/server.mjs'],
    {
      cwd: ROOT,
      env: {
        ...process.env,
        RECORDINGS_DIR: recordingsDir,
        ES_URL: '',
        HOST: '127.0.0.1',
        PORT: String(port),
        NODE_OPTIONS: '--max-old-space-size=4096',
        ...env,
      },
      stdio: ['ignore', 'ignore', 'inherit'],
    },
  );
  // A benchmark server: nothing to shut down gracefully, and the server may take minutes to.
  const stop = () => {
    if (child.exitCode === null) child.kill('SIGKILL');
  };
  process.on('exit', stop);
  for (let i = 0; i < 300; i++) {
    const ok = await fetch(`${origin}/api/health`).then(
      (r) => r.ok,
      () => false,
    );
    if (ok) return { origin, stop };
    if (child.exitCode !== null) throw new Error(`the server exited with ${child.exitCode}`);
    await new Promise((r) => setTimeout(r, 200));
  }
  stop();
  throw new Error('the app did not start');
}
