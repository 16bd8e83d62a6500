import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';

export const ROOT = path.resolve(import.meta.dirname, '../..');

/** Starts (or reuses) a bench Elasticsearch through scripts/es.sh; returns its URL. */
export function startElasticsearch(port: number, version = '8.19.9'): string {
  const result = spawnSync('bash', [path.join(ROOT, 'scripts/es.sh'), 'start'], {
    env: {
      ...process.env,
      ES_PORT: String(port),
      ES_VERSION: version,
      ES_HEAP: process.env.ES_HEAP ?? '1g',
    },
    stdio: 'inherit',
  });
  if (result.status !== 0) throw new Error(`Elasticsearch ${version} did not start on ${port}`);
  return `http://127.0.0.1:${port}`;
}

/** The cluster's version, for a results file ('unknown' if it does not say). */
export async function elasticsearchVersion(url: string): Promise<string> {
  return fetch(url)
    .then((r) => r.json() as Promise<{ version?: { number?: string } }>)
    .then(
      (b) => b.version?.number ?? 'unknown',
      () => 'unknown',
    );
}

/** Builds the app unless a build is there: the benchmarks measure the production build. */
export function ensureBuild(): void {
  if (existsSync(path.join(ROOT, '.next/BUILD_ID'))) return;
  const build = spawnSync(
    process.execPath,
    [path.join(ROOT, 'node_modules/next/dist/bin/next'), 'build'],
    { cwd: ROOT, stdio: 'inherit' },
  );
  if (build.status !== 0) throw new Error('next build failed');
}

export function stopElasticsearch(port: number): void {
  spawnSync('bash', [path.join(ROOT, 'scripts/es.sh'), 'stop'], {
    env: { ...process.env, ES_PORT: String(port) },
    stdio: 'inherit',
  });
}

export function importFile(esUrl: string, index: string, file: string): void {
  const result = spawnSync(
    process.execPath,
    [path.join(ROOT, 'bin/auditty.mjs'), 'import', '--index', index, file],
    {
      env: { ...process.env, ES_URL: esUrl },
      stdio: 'inherit',
    },
  );
  if (result.status !== 0) throw new Error(`import of ${file} failed`);
}

/**
 * The production server on 127.0.0.1:port (needs `next build` first), through
 * scripts/server.mjs as `npm start` serves it: open access answers only when
 * the server can tell the peer is this machine, which bare `next start` cannot.
 */
export async function startApp(port: number, env: Record<string, string>): Promise<ChildProcess> {
  const child = spawn(process.execPath, [path.join(ROOT, 'scripts/server.mjs')], {
    cwd: ROOT,
    env: { ...process.env, ...env, HOST: '127.0.0.1', PORT: String(port) },
    stdio: ['ignore', 'ignore', 'inherit'],
  });
  const deadline = Date.now() + 60_000;
  while (Date.now() < deadline) {
    const ok = await fetch(`http://127.0.0.1:${port}/api/health`).then(
      (r) => r.ok,
      () => false,
    );
    if (ok) return child;
    await new Promise((r) => setTimeout(r, 250));
  }
  child.kill();
  throw new Error('auditty did not start');
}

/** Resident memory of a process and all its descendants, in bytes. */
export function treeRss(pid: number): number {
  const children = new Map<number, number[]>();
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      const stat = readFileSync(`/proc/${entry}/stat`, 'utf8');
      const ppid = Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]);
      children.set(ppid, [...(children.get(ppid) ?? []), Number(entry)]);
    } catch {
      // gone
    }
  }
  let total = 0;
  const stack = [pid];
  while (stack.length > 0) {
    const p = stack.pop() ?? 0;
    try {
      const status = readFileSync(`/proc/${p}/status`, 'utf8');
      const kb = Number(/VmRSS:\s+(\d+)/.exec(status)?.[1] ?? 0);
      total += kb * 1024;
    } catch {
      // gone
    }
    stack.push(...(children.get(p) ?? []));
  }
  return total;
}
