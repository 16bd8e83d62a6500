import { mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { createServer, request, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { brotliDecompressSync, gunzipSync } from 'node:zlib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
// @ts-expect-error: a plain ES module of the launcher, without types.
import { staticFiles } from '../../scripts/static-files.mjs';

// scripts/static-files.mjs: the build's static files from memory, compressed
// once. Whatever it does not serve goes on to Next.js (here: a 404 that says so).

interface Answer {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  body: Buffer;
}

const root = mkdtempSync(path.join(tmpdir(), 'auditty-static-'));
const chunks = path.join(root, '.next/static/chunks');
const script = `console.log(${JSON.stringify('x'.repeat(5000))});\n`;
const HEADERS = { 'X-Content-Type-Options': 'nosniff', 'X-Frame-Options': 'DENY' };
let server: Server;
let port = 0;
let files: { warm: () => Promise<number> };

function get(url: string, headers: Record<string, string> = {}, method = 'GET'): Promise<Answer> {
  return new Promise((resolve, reject) => {
    const req = request({ host: '127.0.0.1', port, path: url, method, headers }, (res) => {
      const parts: Buffer[] = [];
      res.on('data', (d: Buffer) => parts.push(d));
      res.on('end', () =>
        resolve({ status: res.statusCode ?? 0, headers: res.headers, body: Buffer.concat(parts) }),
      );
    });
    req.on('error', reject);
    req.end();
  });
}

beforeAll(async () => {
  mkdirSync(chunks, { recursive: true });
  writeFileSync(path.join(chunks, 'app-1a2b.js'), script);
  writeFileSync(path.join(chunks, 'tiny.css'), 'a{}');
  writeFileSync(path.join(root, 'secret.js'), 'secret');
  symlinkSync(path.join(root, 'secret.js'), path.join(chunks, 'link.js'));
  files = staticFiles(root, HEADERS);
  const { serve } = files as unknown as {
    serve: (req: unknown, res: unknown) => Promise<boolean>;
  };
  server = createServer((req, res) => {
    void serve(req, res).then((served) => {
      if (served) return;
      res.statusCode = 404;
      res.end('next');
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  port = (server.address() as AddressInfo).port;
});

afterAll(() => {
  server.close();
  rmSync(root, { recursive: true, force: true });
});

describe('static files', () => {
  it('sends brotli, gzip or the file itself, as the client accepts, with the same ETag', async () => {
    const br = await get('/_next/static/chunks/app-1a2b.js', { 'accept-encoding': 'gzip, br' });
    expect(br.status).toBe(200);
    expect(br.headers['content-encoding']).toBe('br');
    expect(brotliDecompressSync(br.body).toString()).toBe(script);
    expect(br.body.length).toBeLessThan(script.length / 10);
    const gz = await get('/_next/static/chunks/app-1a2b.js', { 'accept-encoding': 'gzip' });
    expect(gz.headers['content-encoding']).toBe('gzip');
    expect(gunzipSync(gz.body).toString()).toBe(script);
    const plain = await get('/_next/static/chunks/app-1a2b.js');
    expect(plain.headers['content-encoding']).toBeUndefined();
    expect(plain.body.toString()).toBe(script);
    expect(Number(plain.headers['content-length'])).toBe(script.length);
    for (const answer of [br, gz, plain]) {
      expect(answer.headers['content-type']).toBe('application/javascript; charset=UTF-8');
      expect(answer.headers['cache-control']).toBe('public, max-age=31536000, immutable');
      expect(answer.headers.vary).toBe('Accept-Encoding');
      expect(answer.headers['x-content-type-options']).toBe('nosniff');
      expect(answer.headers['x-frame-options']).toBe('DENY');
      expect(answer.headers.etag).toBe(br.headers.etag);
    }
  });

  it('answers 304 to its ETag, and HEAD without a body', async () => {
    const first = await get('/_next/static/chunks/app-1a2b.js');
    const etag = String(first.headers.etag);
    const again = await get('/_next/static/chunks/app-1a2b.js', { 'if-none-match': etag });
    expect(again.status).toBe(304);
    expect(again.body.length).toBe(0);
    const other = await get('/_next/static/chunks/app-1a2b.js', { 'if-none-match': '"other"' });
    expect(other.status).toBe(200);
    const head = await get('/_next/static/chunks/app-1a2b.js', {}, 'HEAD');
    expect(head.status).toBe(200);
    expect(head.body.length).toBe(0);
    expect(Number(head.headers['content-length'])).toBe(script.length);
  });

  it('leaves small files uncompressed', async () => {
    const css = await get('/_next/static/chunks/tiny.css', { 'accept-encoding': 'br' });
    expect(css.headers['content-encoding']).toBeUndefined();
    expect(css.headers['content-type']).toBe('text/css; charset=UTF-8');
    expect(css.body.toString()).toBe('a{}');
  });

  it('leaves to Next.js what is not a file of the build: other paths, methods, escapes', async () => {
    for (const url of [
      '/_next/static/chunks/missing.js',
      '/_next/static/chunks/../../../secret.js',
      '/_next/static/chunks/%2e%2e/%2e%2e/%2e%2e/secret.js',
      '/_next/static/chunks/..%2f..%2f..%2fsecret.js',
      '/_next/static/chunks//app-1a2b.js',
      '/_next/static/chunks/link.js',
      '/_next/static/chunks/app-1a2b.js%00',
      '/_next/static/chunks/%E0%A4%A',
      '/_next/static/',
      '/other/chunks/app-1a2b.js',
    ]) {
      const answer = await get(url);
      expect(answer.status, url).toBe(404);
      expect(answer.body.toString(), url).toBe('next');
    }
    const post = await get('/_next/static/chunks/app-1a2b.js', {}, 'POST');
    expect(post.body.toString()).toBe('next');
  });

  it('finds a file that appeared after it was asked for, and warms the rest ahead', async () => {
    expect((await get('/_next/static/chunks/late.js')).status).toBe(404);
    writeFileSync(path.join(chunks, 'late.js'), script);
    expect((await get('/_next/static/chunks/late.js')).body.toString()).toBe(script);
    // app-1a2b.js, tiny.css, late.js; not the link that leads out.
    expect(await files.warm()).toBe(3);
  });
});
