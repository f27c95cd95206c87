import { TestApp } from '../support/test-app';

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
});
