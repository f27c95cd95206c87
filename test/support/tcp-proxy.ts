import { createServer, Server, Socket } from 'node:net';

/** A TCP proxy in front of Redis that a test can cut (connections refused) or freeze (bytes held back). */
export class TcpProxy {
  private server: Server | undefined;
  private readonly sockets = new Set<Socket>();
  private frozen = false;
  private readonly held: (() => void)[] = [];

  private constructor(
    readonly port: number,
    private readonly target: { host: string; port: number },
  ) {}

  static async start(target: { host: string; port: number }, port = 0): Promise<TcpProxy> {
    const proxy = new TcpProxy(port, target);
    await proxy.listen(port);
    return proxy;
  }

  private listen(port: number): Promise<void> {
    this.server = createServer((client) => {
      const upstream = new Socket();
      upstream.connect(this.target.port, this.target.host);
      this.sockets.add(client).add(upstream);
      client.on('data', (chunk) => {
        if (this.frozen) this.held.push(() => upstream.write(chunk));
        else upstream.write(chunk);
      });
      upstream.on('data', (chunk) => client.write(chunk));
      const close = () => {
        client.destroy();
        upstream.destroy();
        this.sockets.delete(client);
        this.sockets.delete(upstream);
      };
      client.on('close', close).on('error', close);
      upstream.on('close', close).on('error', close);
    });
    return new Promise((resolve, reject) => {
      this.server!.once('error', reject);
      this.server!.listen(port, '127.0.0.1', () => {
        (this as { port: number }).port = (this.server!.address() as { port: number }).port;
        resolve();
      });
    });
  }

  get url(): string {
    return `redis://127.0.0.1:${this.port}`;
  }

  /** Closes every connection and refuses new ones. */
  async cut(): Promise<void> {
    if (!this.server?.listening) return;
    await new Promise<void>((resolve) => {
      this.server!.close(() => resolve());
      this.sockets.forEach((s) => s.destroy());
    });
  }

  async restore(): Promise<void> {
    if (this.server?.listening) return;
    await this.listen(this.port);
  }

  /** Connections stay open but nothing reaches Redis until thaw(). */
  freeze(): void {
    this.frozen = true;
  }

  thaw(): void {
    this.frozen = false;
    this.held.splice(0).forEach((flush) => flush());
  }

  async stop(): Promise<void> {
    this.thaw();
    await this.cut();
  }
}
