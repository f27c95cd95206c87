import { DataSource } from 'typeorm';
import { SessionsApi } from '../../src/gateway/api';
import { Clock } from '../../src/infra/clock/clock';
import { RedisService } from '../../src/infra/redis/redis.service';
import { seedSalon, setBusinessSettings } from '../support/booking-fixtures';
import { TcpProxy } from '../support/tcp-proxy';
import { TEST_REDIS_URL, TestApp } from '../support/test-app';
import { sql } from '../support/test-database';
import { until } from '../support/until';

const NOW = new Date('2026-03-20T09:00:00Z');
const AT_10 = '2026-03-23T09:00:00.000Z';

describe('sessions: bearer tokens are checked without Redis', () => {
  let proxy: TcpProxy;
  let t: TestApp;

  beforeAll(async () => {
    const target = new URL(TEST_REDIS_URL);
    proxy = await TcpProxy.start({ host: target.hostname, port: Number(target.port || 6379) });
    t = await TestApp.start({ REDIS_URL: proxy.url });
    jest.spyOn(t.get(Clock), 'now').mockImplementation(() => NOW);
  });
  afterAll(async () => {
    await proxy.restore();
    await t.stop();
    await proxy.stop();
  });

  it('a token issued before Redis went down still reads and books over REST during the outage', async () => {
    await setBusinessSettings(t, { autoConfirm: true, minNoticeMin: 60, horizonDays: 60 });
    const salon = await seedSalon(t, { specialists: 1 });
    const client = await t.userWithToken('client');
    const admin = await t.userWithToken('admin');

    await proxy.cut();
    const me = await t.request('GET', '/api/v1/users/me', { token: client.token });
    expect(me.status).toBe(200);
    expect(me.body).toMatchObject({ id: client.id, role: 'client' });
    const booked = await t.request('POST', '/api/v1/bookings', {
      token: client.token,
      body: {
        locationId: salon.locationId,
        serviceId: salon.serviceId,
        specialistId: salon.specialists[0].id,
        startAt: AT_10,
      },
    });
    expect(booked.status).toBe(201);
    expect(booked.body).toMatchObject({ clientId: client.id, status: 'confirmed', startAt: AT_10 });
    const cancelled = await t.request('POST', `/api/v1/bookings/${booked.body.id}/cancel`, {
      token: admin.token,
      body: { reason: 'test' },
    });
    expect(cancelled.status).toBe(200);
    // Still refused: no token, a made-up token.
    expect((await t.request('GET', '/api/v1/users/me')).status).toBe(401);
    const forged = await t.request('GET', '/api/v1/users/me', { token: 'x'.repeat(43) });
    expect(forged.status).toBe(401);
    expect(forged.body).toMatchObject({ code: 'unauthorized', message: 'Invalid or expired token' });
    await proxy.restore();
  });

  it('the queue dashboard answers 503 in the API error shape at once while Redis is down', async () => {
    const admin = await t.userWithToken('admin');
    const api = () => t.request('GET', '/admin/queues/api/queues', { token: admin.token });
    // The test before restored Redis: the shared client may still be reconnecting.
    await until(async () => (await api()).status === 200, 10_000, 'the dashboard up');

    await proxy.cut();
    await until(() => t.get(RedisService).client.status !== 'ready', 8000, 'Redis seen as down');
    // Bull Board itself waited out 20 retries (about 8 s) and answered 500 with ioredis's words.
    const started = Date.now();
    const down = await api();
    expect(Date.now() - started).toBeLessThan(1000);
    expect(down.status).toBe(503);
    expect(down.body).toEqual({
      statusCode: 503,
      code: 'service_unavailable',
      message: 'Redis is unavailable; try again shortly',
      traceId: expect.any(String),
    });
    await proxy.restore();
    await until(async () => (await api()).status === 200, 10_000, 'the dashboard back');
  });

  it('stores only a sha256 of each token; an expired or revoked session is refused', async () => {
    const user = await t.userWithToken('client');
    const db = t.get(DataSource);
    const stored: { token_hash: string }[] = await sql(
      db,
      'SELECT token_hash FROM sessions WHERE user_id = ?',
      [user.id],
    );
    expect(stored).toHaveLength(1);
    expect(stored[0].token_hash).not.toContain(user.token);
    expect(stored[0].token_hash).toMatch(/^[A-Za-z0-9_-]{43}$/);

    await sql(db, `UPDATE sessions SET expires_at = ? WHERE user_id = ?`, [
      '2020-01-01 00:00:00.000',
      user.id,
    ]);
    expect((await t.request('GET', '/api/v1/users/me', { token: user.token })).status).toBe(401);

    const other = await t.userWithToken('client');
    expect((await t.request('GET', '/api/v1/users/me', { token: other.token })).status).toBe(200);
    await t.get(SessionsApi).revoke(other.token);
    expect((await t.request('GET', '/api/v1/users/me', { token: other.token })).status).toBe(401);
  });
});
