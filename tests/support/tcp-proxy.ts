import net from 'node:net';

/**
 * A TCP proxy on 127.0.0.1 in front of a real server, to make real network
 * failures: refuse connections (server down), cut open connections (down
 * mid-stream), or hold responses back (slow).
 */
export class TcpProxy {
  private server: net.Server | null = null;
  private readonly sockets = new Set<net.Socket>();
  private mode: 'pass' | 'refuse' = 'pass';
  /** ms each chunk from the server is held back. */
  delayMs = 0;
  port = 0;

  constructor(
    private readonly targetPort: number,
    /** The target's scheme: TLS passes through the proxy untouched. */
    private readonly scheme: 'http' | 'https' = 'http',
  ) {}

  async start(): Promise<this> {
    this.server = net.createServer((client) => {
      if (this.mode === 'refuse') {
        client.destroy();
        return;
      }
      const upstream = net.connect(this.targetPort, '127.0.0.1');
      for (const s of [client, upstream]) {
        this.sockets.add(s);
        s.on('close', () => this.sockets.delete(s));
        s.on('error', () => s.destroy());
      }
      client.pipe(upstream);
      upstream.on('data', (chunk: Buffer) => {
        const send = () => client.write(chunk);
        if (this.delayMs > 0) setTimeout(send, this.delayMs);
        else send();
      });
      upstream.on('close', () => setTimeout(() => client.end(), this.delayMs));
      client.on('close', () => upstream.destroy());
    });
    await new Promise<void>((resolve) => this.server?.listen(0, '127.0.0.1', resolve));
    const address = this.server.address();
    if (address === null || typeof address === 'string') throw new Error('proxy has no port');
    this.port = address.port;
    return this;
  }

  get url(): string {
    return `${this.scheme}://127.0.0.1:${this.port}`;
  }

  /** The server "goes down": open connections are cut, new ones refused. */
  cut(): void {
    this.mode = 'refuse';
    for (const s of this.sockets) s.destroy();
    this.sockets.clear();
  }

  /** The server is back. */
  restore(): void {
    this.mode = 'pass';
  }

  async stop(): Promise<void> {
    this.cut();
    await new Promise<void>((resolve) => this.server?.close(() => resolve()) ?? resolve());
  }
}
