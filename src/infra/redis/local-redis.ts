import { spawn, spawnSync, ChildProcess } from 'node:child_process';
import { mkdirSync } from 'node:fs';
import { Socket } from 'node:net';
import { resolve } from 'node:path';

function answersPing(host: string, port: number, timeoutMs = 500): Promise<boolean> {
  return new Promise((done) => {
    const socket = new Socket();
    const finish = (ok: boolean) => {
      socket.destroy();
      done(ok);
    };
    socket.setTimeout(timeoutMs, () => finish(false));
    socket.once('error', () => finish(false));
    socket.connect(port, host, () => socket.write('PING\r\n'));
    socket.once('data', (buf) => finish(buf.toString().startsWith('+PONG')));
  });
}

export class RedisBinaryMissingError extends Error {}

/**
 * Makes sure something answers on the default Redis address. If nothing does, starts
 * `redis-server` as a child (data under data/redis/, append-only so the webhook journal
 * survives a restart) and stops it when this process exits.
 */
export async function ensureLocalRedis({
  host = '127.0.0.1',
  port = 6379,
  dataDir = 'data/redis',
  binary = 'redis-server',
}: { host?: string; port?: number; dataDir?: string; binary?: string } = {}): Promise<
  ChildProcess | undefined
> {
  if (await answersPing(host, port)) return undefined;
  const probe = spawnSync(binary, ['--version'], { stdio: 'ignore' });
  if (probe.error || probe.status !== 0) {
    throw new RedisBinaryMissingError(
      `Nothing answers on redis://${host}:${port} and there is no redis-server binary: install one (Debian/Ubuntu: apt-get install redis-server; macOS: brew install redis) or set REDIS_URL`,
    );
  }
  const dir = resolve(dataDir);
  mkdirSync(dir, { recursive: true });
  const child = spawn(
    binary,
    ['--port', String(port), '--bind', host, '--dir', dir, '--appendonly', 'yes', '--save', ''],
    { stdio: 'ignore' },
  );
  const stop = () => {
    if (child.exitCode === null) child.kill('SIGTERM');
  };
  process.once('exit', stop);
  for (let i = 0; i < 50; i++) {
    if (await answersPing(host, port)) return child;
    if (child.exitCode !== null) break;
    await new Promise((r) => setTimeout(r, 100));
  }
  stop();
  throw new Error(`redis-server did not start on ${host}:${port}`);
}
