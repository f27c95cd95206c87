import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { AppProcess, freePort } from '../support/app-process';
import { TEST_REDIS_URL, TestApp } from '../support/test-app';
import { until } from '../support/until';

describe('/health', () => {
  it('200 with database and redis up', async () => {
    const t = await TestApp.start();
    try {
      const res = await t.request('GET', '/health');
      expect(res.status).toBe(200);
      expect(res.body).toMatchObject({
        status: 'ok',
        info: { database: { status: 'up' }, redis: { status: 'up' } },
      });
    } finally {
      await t.stop();
    }
  });

  it('503 naming redis, quickly, when Redis is unreachable; the app still boots', async () => {
    const started = Date.now();
    const t = await TestApp.start({ REDIS_URL: 'redis://127.0.0.1:1' });
    const booted = Date.now() - started;
    try {
      const before = Date.now();
      const res = await t.request('GET', '/health');
      const took = Date.now() - before;
      expect(res.status).toBe(503);
      expect(res.body).toMatchObject({
        statusCode: 503,
        code: 'service_unavailable',
        traceId: expect.any(String),
        details: {
          status: 'error',
          error: { redis: { status: 'down' } },
          info: { database: { status: 'up' } },
        },
      });
      expect(res.body.message).toMatch(/^unhealthy: redis down \(.+\)$/);
      expect(took).toBeLessThan(3000);
      expect(booted).toBeLessThan(10000);

      // Sessions live in the database: tokens are still checked, a made-up one is refused, a real one served.
      const api = await t.request('GET', '/api/v1/locations', {
        token: 'a'.repeat(43),
        headers: { 'x-request-id': 'redis-down-1' },
      });
      expect(api.status).toBe(401);
      expect(api.body).toEqual({
        statusCode: 401,
        code: 'unauthorized',
        message: 'Invalid or expired token',
        traceId: 'redis-down-1',
      });
      const { token } = await t.userWithToken('client');
      expect((await t.request('GET', '/api/v1/locations', { token })).status).toBe(200);
    } finally {
      await t.stop();
    }
  });

  it('probes of /health are not logged, every other request is, with its trace id', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'health-log-'));
    const app = await AppProcess.start(
      {
        SQLITE_PATH: join(dir, 'booking.db'),
        REDIS_URL: TEST_REDIS_URL,
        REDIS_PREFIX: `test:${randomBytes(6).toString('hex')}:`,
      },
      await freePort(),
      90_000,
    );
    try {
      for (const url of ['/health', '/health?probe=1'])
        await fetch(`${app.baseUrl}${url}`, { headers: { 'x-request-id': 'health-probe' } });
      await fetch(`${app.baseUrl}/docs/json`, { headers: { 'x-request-id': 'docs-request' } });
      // Lines leave in batches every 100 ms: the later request's line means the probes' would be there.
      await until(() => app.output.includes('"traceId":"docs-request"'), 5000, 'the docs request logged');
      expect(app.output).not.toContain('health-probe');
    } finally {
      await app.kill('SIGKILL');
      rmSync(dir, { recursive: true, force: true });
    }
  }, 120_000);
});
