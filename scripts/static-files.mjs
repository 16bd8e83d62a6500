// The build's static files (/_next/static/...), compressed once and kept in
// memory. Next.js compresses every answer again (about 12 ms of CPU for the
// player's 390 KB chunk, on the one thread that also renders pages), and a
// page asks for ten of them at once: on 2 cores that queue delayed the first
// frame by about 150 ms. These files are content-addressed and never change
// while the server runs, so each is read and compressed at its first request
// and served from memory after that (docs/architecture.md, "Static files").
//
// Anything this does not find is left to Next.js (its 404 included).
import { createHash } from 'node:crypto';
import { readdir, readFile, realpath } from 'node:fs/promises';
import path from 'node:path';
import { promisify } from 'node:util';
import { brotliCompress, constants, gzip } from 'node:zlib';

const brotli = promisify(brotliCompress);
const gzipped = promisify(gzip);

const PREFIX = '/_next/static/';
const TYPES = {
  '.js': 'application/javascript; charset=UTF-8',
  '.css': 'text/css; charset=UTF-8',
  '.json': 'application/json; charset=UTF-8',
  '.map': 'application/json; charset=UTF-8',
  '.svg': 'image/svg+xml',
  '.woff2': 'font/woff2',
  '.woff': 'font/woff',
  '.png': 'image/png',
  '.ico': 'image/x-icon',
  '.txt': 'text/plain; charset=UTF-8',
};
/** Already compressed formats: sent as they are. */
const COMPRESSED = new Set(['.woff2', '.woff', '.png', '.ico']);
/** More than the whole build's static files (about 1.5 MB); a file over it is left to Next.js. */
const MAX_FILE = 8 * 1024 * 1024;

/**
 * @param {string} root the app's directory (holding .next)
 * @param {Record<string, string>} headers sent with every file (next.config.js's)
 * @returns {{
 *   serve: (req: import('node:http').IncomingMessage, res: import('node:http').ServerResponse) => Promise<boolean>,
 *   warm: () => Promise<number>,
 * }} serve answers true when it answered; warm compresses every file ahead of its first request
 */
export function staticFiles(root, headers) {
  const dir = path.join(root, '.next', 'static');
  /** @type {Map<string, Promise<Entry | null>>} */
  const cache = new Map();

  /** @typedef {{ type: string, etag: string, identity: Buffer, gzip: Buffer | null, br: Buffer | null }} Entry */

  /** @returns {Promise<Entry | null>} */
  async function load(relative) {
    const type = TYPES[path.extname(relative)];
    if (!type) return null;
    let file;
    try {
      // Symbolic links out of the directory are not followed: the real path must be inside.
      file = await realpath(path.join(dir, relative));
      if (!file.startsWith(`${await realpath(dir)}${path.sep}`)) return null;
    } catch {
      return null;
    }
    const identity = await readFile(file).catch(() => null);
    if (!identity || identity.length > MAX_FILE) return null;
    const etag = `"${createHash('sha256').update(identity).digest('base64url').slice(0, 27)}"`;
    const compress = !COMPRESSED.has(path.extname(relative)) && identity.length > 1024;
    // In zlib's thread pool, off the thread that serves pages.
    const [gz, br] = compress
      ? await Promise.all([
          gzipped(identity, { level: 9 }),
          brotli(identity, {
            params: {
              [constants.BROTLI_PARAM_QUALITY]: 9,
              [constants.BROTLI_PARAM_SIZE_HINT]: identity.length,
            },
          }),
        ])
      : [null, null];
    return { type, etag, identity, gzip: gz, br };
  }

  /** @returns {Promise<Entry | null>} */
  function entryOf(relative) {
    let entry = cache.get(relative);
    if (!entry) {
      entry = load(relative);
      cache.set(relative, entry);
      // A file that is not there is asked again next time (a build may add it).
      void entry.then((e) => e ?? cache.delete(relative));
    }
    return entry;
  }

  async function warm() {
    const files = await readdir(dir, { recursive: true, withFileTypes: true }).catch(() => []);
    let count = 0;
    for (const file of files) {
      if (!file.isFile()) continue;
      const relative = path
        .relative(dir, path.join(file.parentPath, file.name))
        .split(path.sep)
        .join('/');
      if (await entryOf(relative)) count++;
    }
    return count;
  }

  async function serve(req, res) {
    if (req.method !== 'GET' && req.method !== 'HEAD') return false;
    const url = req.url ?? '';
    if (!url.startsWith(PREFIX)) return false;
    let relative;
    try {
      relative = decodeURIComponent(url.slice(PREFIX.length).split('?')[0] ?? '');
    } catch {
      return false;
    }
    // Plain names only: no parent steps, no absolute paths, no NUL.
    if (
      relative === '' ||
      relative.includes('\0') ||
      relative.includes('\\') ||
      relative.split('/').some((part) => part === '' || part === '.' || part === '..')
    )
      return false;
    const found = await entryOf(relative);
    if (!found) return false;

    const accepts = String(req.headers['accept-encoding'] ?? '');
    const encoding =
      found.br && /\bbr\b/.test(accepts)
        ? 'br'
        : found.gzip && /\bgzip\b/.test(accepts)
          ? 'gzip'
          : null;
    const body = encoding === 'br' ? found.br : encoding === 'gzip' ? found.gzip : found.identity;
    res.setHeader('Content-Type', found.type);
    res.setHeader('Cache-Control', 'public, max-age=31536000, immutable');
    res.setHeader('ETag', found.etag);
    res.setHeader('Vary', 'Accept-Encoding');
    for (const [name, value] of Object.entries(headers)) res.setHeader(name, value);
    if (req.headers['if-none-match'] === found.etag) {
      res.statusCode = 304;
      res.end();
      return true;
    }
    if (encoding) res.setHeader('Content-Encoding', encoding);
    res.setHeader('Content-Length', String(body?.length ?? 0));
    res.statusCode = 200;
    res.end(req.method === 'HEAD' ? undefined : body);
    return true;
  }

  return { serve, warm };
}
