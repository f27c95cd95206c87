import { UsersApi } from '../../src/booking/api';
import { SYSTEM_ACTOR } from '../../src/common/actor';
import { RedisService } from '../../src/infra/redis/redis.service';
import { QueuesDashboardApi } from '../../src/notifications/api';
import { Response, TestApp } from '../support/test-app';

describe('Bull Board at /admin/queues: admins only, page, JSON API and assets alike', () => {
  let t: TestApp;
  let admin: { id: number; token: string };
  let client: { id: number; token: string };

  beforeAll(async () => {
    t = await TestApp.start();
    admin = await t.userWithToken('admin');
    client = await t.userWithToken('client');
  });
  afterAll(() => t.stop());

  const QUEUES_API = '/admin/queues/api/queues?activeQueue=p2p&page=1&jobsPerPage=10';

  it.each(['/admin/queues', QUEUES_API, '/admin/queues/static/images/logo.svg'])(
    '%s without a token is 401 with the usual error body',
    async (url) => {
      const res = await t.request('GET', url);
      expect(res.status).toBe(401);
      expect(res.body).toMatchObject({
        statusCode: 401,
        code: 'unauthorized',
        message: 'An admin token is required',
      });
    },
  );

  it('a client token is 403; an unknown token is 401', async () => {
    expect((await t.request('GET', QUEUES_API, { token: client.token })).status).toBe(403);
    expect((await t.request('GET', QUEUES_API, { token: 'x'.repeat(43) })).status).toBe(401);
  });

  it("an admin's bearer token opens the page and the API, which lists the notification queues", async () => {
    const page = await t.request('GET', '/admin/queues', { token: admin.token });
    expect(page.status).toBe(200);
    expect(page.headers['content-type']).toMatch(/text\/html/);

    const api = await t.request('GET', QUEUES_API, { token: admin.token });
    expect(api.status).toBe(200);
    expect(api.body.queues.map((q: { name: string }) => q.name).sort()).toEqual([
      'broadcast',
      'broadcast-dead',
      'p2p',
      'p2p-dead',
    ]);
  });

  /** Every dashboard session in this app's Redis: its key and seconds to live. */
  async function sessionsInRedis(): Promise<{ key: string; ttl: number }[]> {
    const redis = t.get(RedisService).client;
    const keys = await redis.keys(`${t.config.redisPrefix}dash:session:*`);
    const unprefixed = keys.map((k) => k.slice(t.config.redisPrefix.length));
    return Promise.all(unprefixed.map(async (key) => ({ key, ttl: await redis.ttl(key) })));
  }

  const cookieOf = (res: Response) => String(res.headers['set-cookie']).split(';')[0];

  it('?token= is exchanged for a dashboard session: the cookie holds a random id, never the API token', async () => {
    const link = await t.request('GET', `/admin/queues?token=${admin.token}`);
    expect(link.status).toBe(303);
    expect(link.headers.location).toBe('/admin/queues');
    const setCookie = String(link.headers['set-cookie']);
    expect(setCookie).toMatch(/^queues_session=[\w-]{43}; Path=\/admin\/queues; HttpOnly; SameSite=Lax$/);
    expect(setCookie).not.toContain(admin.token);

    const api = await t.request('GET', QUEUES_API, { headers: { cookie: cookieOf(link) } });
    expect(api.status).toBe(200);
    // The old cookie, which carried the API token itself, opens nothing.
    expect(
      (await t.request('GET', QUEUES_API, { headers: { cookie: `queues_token=${admin.token}` } })).status,
    ).toBe(401);
    expect((await t.request('GET', `/admin/queues?token=${client.token}`)).status).toBe(403);
  });

  it('a session lasts 15 minutes from its last use, is renewed while used, and then is refused', async () => {
    await t.get(RedisService).client.del(...(await sessionsInRedis()).map((s) => s.key), 'none');
    const cookie = cookieOf(await t.request('GET', `/admin/queues?token=${admin.token}`));
    const [session] = await sessionsInRedis();
    expect(session.ttl).toBeGreaterThan(890);
    expect(session.ttl).toBeLessThanOrEqual(900);

    await t.get(RedisService).client.expire(session.key, 5);
    expect((await t.request('GET', QUEUES_API, { headers: { cookie } })).status).toBe(200);
    expect((await sessionsInRedis())[0].ttl).toBeGreaterThan(890);

    await t.get(RedisService).client.del(session.key);
    const expired = await t.request('GET', QUEUES_API, { headers: { cookie } });
    expect(expired.status).toBe(401);
    expect(expired.body.message).toBe('The dashboard session has expired; open the dashboard again');
  });

  it('a session ends when its admin is demoted', async () => {
    const other = await t.userWithToken('admin');
    const cookie = cookieOf(await t.request('GET', `/admin/queues?token=${other.token}`));
    expect((await t.request('GET', QUEUES_API, { headers: { cookie } })).status).toBe(200);
    await t.get(UsersApi).update(SYSTEM_ACTOR, other.id, { role: 'client' });
    expect((await t.request('GET', QUEUES_API, { headers: { cookie } })).status).toBe(403);
  });

  describe('one-time login links (QueuesDashboardApi)', () => {
    it('only admins get one', async () => {
      const res = await t.request('POST', '/api/v1/queues-dashboard/login-links', { token: client.token });
      expect(res.status).toBe(403);
      expect(res.body.code).toBe('forbidden');
      await expect(
        t
          .get(QueuesDashboardApi)
          .createLoginLink({ userId: client.id, role: 'client', clientType: 'internal' }),
      ).rejects.toMatchObject({ code: 'forbidden' });
    });

    it('opens the dashboard once, within 10 minutes, into a session; a second use is a clear 401', async () => {
      const before = Date.now();
      const created = await t.request('POST', '/api/v1/queues-dashboard/login-links', { token: admin.token });
      expect(created.status).toBe(201);
      const url = new URL(created.body.url);
      expect(`${url.origin}${url.pathname}`).toBe(`http://localhost:${t.config.port}/admin/queues/login`);
      expect(url.searchParams.get('code')).toMatch(/^[\w-]{43}$/);
      const expiresIn = Date.parse(created.body.expiresAt) - before;
      expect(expiresIn).toBeGreaterThan(599_000);
      expect(expiresIn).toBeLessThan(601_000);

      const path = `${url.pathname}${url.search}`;
      const opened = await t.request('GET', path);
      expect(opened.status).toBe(303);
      expect(opened.headers.location).toBe('/admin/queues');
      expect(String(opened.headers['set-cookie'])).toMatch(
        /^queues_session=[\w-]{43}; Path=\/admin\/queues; HttpOnly; SameSite=Lax$/,
      );
      expect((await t.request('GET', QUEUES_API, { headers: { cookie: cookieOf(opened) } })).status).toBe(
        200,
      );

      const again = await t.request('GET', path);
      expect(again.status).toBe(401);
      expect(again.body).toMatchObject({
        code: 'unauthorized',
        message: 'This login link has already been used or has expired; ask for a new one',
      });
      expect(again.headers['set-cookie']).toBeUndefined();
      const inBrowser = await t.request('GET', path, {
        headers: { accept: 'text/html,application/xhtml+xml' },
      });
      expect(inBrowser.status).toBe(401);
      expect(inBrowser.headers['content-type']).toMatch(/text\/html/);
      expect(inBrowser.body).toContain(
        'This login link has already been used or has expired; ask for a new one',
      );
    });

    it('a made-up or missing code opens nothing', async () => {
      for (const path of ['/admin/queues/login?code=' + 'A'.repeat(43), '/admin/queues/login']) {
        const res = await t.request('GET', path);
        expect(res.status).toBe(401);
        expect(res.headers['set-cookie']).toBeUndefined();
      }
    });

    it('behind PUBLIC_URL the link is on it and the cookie is Secure', async () => {
      const hosted = await TestApp.start({ PUBLIC_URL: 'https://salon.example/' });
      try {
        const boss = await hosted.userWithToken('admin');
        const link = await hosted
          .get(QueuesDashboardApi)
          .createLoginLink({ userId: boss.id, role: 'admin', clientType: 'internal' });
        expect(link.url).toMatch(/^https:\/\/salon\.example\/admin\/queues\/login\?code=[\w-]{43}$/);
        const opened = await hosted.request('GET', link.url.slice('https://salon.example'.length));
        expect(opened.status).toBe(303);
        expect(String(opened.headers['set-cookie'])).toMatch(/; HttpOnly; SameSite=Lax; Secure$/);
      } finally {
        await hosted.stop();
      }
    });
  });

  it('the rest of the app is untouched by the dashboard guard', async () => {
    expect((await t.request('GET', '/health')).status).toBe(200);
    expect((await t.request('GET', '/admin/queuesX')).status).toBe(404);
  });
});
