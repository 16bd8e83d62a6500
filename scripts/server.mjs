// auditty's HTTP server: Next.js behind a plain Node server that tells the
// app who is on the other end of each connection. Next.js gives route code
// no peer address (it fills X-Forwarded-For from the socket only when the
// client sent none, so a client can claim any address), and open access
// must know the peer is this machine (docs/architecture.md, "Access").
//
// Started by scripts/start.ts (npm start, npm run dev), which checks the
// configuration first: run that, not this file.
//
//   HOST, PORT       where to listen (the launcher has checked them)
//   AUDITTY_DEV=1    Next.js in development mode
import { createServer } from 'node:http';
import next from 'next';
import nextConfig from '../next.config.js';
import { staticFiles } from './static-files.mjs';

const hostname = process.env.HOST || '127.0.0.1';
const port = Number(process.env.PORT || '3000');
const dev = process.env.AUDITTY_DEV === '1';

/** The headers auditty's own code sets; a client's are dropped (proxy.ts drops them too). */
const OWN = /^x-auditty-/i;
// proxy.ts trusts x-auditty-peer only in the process that set this: a `next
// start` that inherited the variable is another process.
process.env.AUDITTY_LAUNCHER = String(process.pid);

const dir = new URL('..', import.meta.url).pathname;
const app = next({ dev, dir, hostname, port });
const handle = app.getRequestHandler();
await app.prepare();
// The build's static files from memory, compressed once (static-files.mjs), with
// the headers next.config.js gives every answer. In development Next.js serves them.
const everywhere = (await nextConfig.headers()).find((rule) => rule.source === '/:path*');
const files = dev
  ? null
  : staticFiles(dir, Object.fromEntries((everywhere?.headers ?? []).map((h) => [h.key, h.value])));
const server = createServer((req, res) => {
  for (const name of Object.keys(req.headers)) if (OWN.test(name)) delete req.headers[name];
  req.headers['x-auditty-peer'] = req.socket.remoteAddress ?? '';
  if (!files) return void handle(req, res);
  files.serve(req, res).then(
    (served) => served || handle(req, res),
    () => handle(req, res),
  );
});
if (dev) server.on('upgrade', app.getUpgradeHandler());
server.listen(port, hostname, () => {
  void files?.warm();
  console.log(
    `auditty: listening on http://${hostname.includes(':') ? `[${hostname}]` : hostname}:${port}`,
  );
});
for (const signal of ['SIGINT', 'SIGTERM']) {
  process.on(signal, () => {
    server.close();
    void app.close?.();
    process.exit(0);
  });
}
