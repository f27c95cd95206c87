import { ChildProcess, spawn } from 'node:child_process';
import { createServer } from 'node:net';
import { join } from 'node:path';

const ROOT = join(__dirname, '..', '..');

export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as { port: number };
      server.close(() => resolve(port));
    });
  });
}

/** The real app (src/main.ts) in a child process, so a test can SIGKILL it. */
export class AppProcess {
  output = '';

  private constructor(
    readonly child: ChildProcess,
    readonly baseUrl: string,
  ) {}

  static async start(env: Record<string, string>, port: number, readyTimeoutMs = 30000): Promise<AppProcess> {
    const child = spawn(
      process.execPath,
      ['-r', join(ROOT, 'scripts/swc-register.js'), join(ROOT, 'src/main.ts')],
      {
        cwd: ROOT,
        env: {
          PATH: process.env.PATH ?? '',
          NODE_ENV: 'test',
          HOST: '127.0.0.1',
          PORT: String(port),
          LOG_LEVEL: 'info',
          ...env,
        },
        stdio: ['ignore', 'pipe', 'pipe'],
      },
    );
    const app = new AppProcess(child, `http://127.0.0.1:${port}`);
    child.stdout!.on('data', (d: Buffer) => (app.output += d.toString()));
    child.stderr!.on('data', (d: Buffer) => (app.output += d.toString()));
    const deadline = Date.now() + readyTimeoutMs;
    for (;;) {
      if (child.exitCode !== null) throw new Error(`app exited with ${child.exitCode}:\n${app.output}`);
      try {
        const res = await fetch(`${app.baseUrl}/health`);
        if (res.status === 200) return app;
      } catch {
        // not listening yet
      }
      if (Date.now() > deadline) {
        child.kill('SIGKILL');
        throw new Error(`app not ready within ${readyTimeoutMs} ms:\n${app.output}`);
      }
      await new Promise((r) => setTimeout(r, 100));
    }
  }

  async kill(signal: NodeJS.Signals = 'SIGKILL'): Promise<void> {
    if (this.child.exitCode !== null || this.child.signalCode !== null) return;
    const exited = new Promise((resolve) => this.child.once('exit', resolve));
    this.child.kill(signal);
    await exited;
  }
}
