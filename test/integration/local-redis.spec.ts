import { ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Redis from 'ioredis';
import { ensureLocalRedis, RedisBinaryMissingError } from '../../src/infra/redis/local-redis';

function freePort(): Promise<number> {
  return new Promise((resolve) => {
    const server = createServer().listen(0, '127.0.0.1', () => {
      const { port } = server.address() as { port: number };
      server.close(() => resolve(port));
    });
  });
}

describe('ensureLocalRedis (what npm start does when REDIS_URL is unset)', () => {
  let dir: string;
  let child: ChildProcess | undefined;

  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'salon-redis-'));
  });
  afterEach(() => {
    if (child && child.exitCode === null) child.kill('SIGTERM');
    child = undefined;
    rmSync(dir, { recursive: true, force: true });
  });

  it('starts redis-server when nothing answers, with its data in the given folder', async () => {
    const port = await freePort();
    child = await ensureLocalRedis({ port, dataDir: dir });
    expect(child).toBeDefined();
    const redis = new Redis({ port, host: '127.0.0.1', lazyConnect: true });
    await redis.connect();
    expect(await redis.config('GET', 'dir')).toEqual(['dir', dir]);
    expect(await redis.config('GET', 'appendonly')).toEqual(['appendonly', 'yes']);
    redis.disconnect();
  });

  it('leaves a Redis that already answers alone', async () => {
    const port = await freePort();
    child = await ensureLocalRedis({ port, dataDir: dir });
    expect(await ensureLocalRedis({ port, dataDir: dir })).toBeUndefined();
  });

  it('explains how to install Redis when there is no redis-server binary', async () => {
    const port = await freePort();
    const missing = ensureLocalRedis({ port, dataDir: dir, binary: join(dir, 'no-such-redis-server') });
    await expect(missing).rejects.toThrow(RedisBinaryMissingError);
    await expect(missing).rejects.toThrow(/apt-get install redis-server/);
  });
});
