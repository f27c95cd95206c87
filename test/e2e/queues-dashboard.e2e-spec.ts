import { TestApp } from '../support/test-app';

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
    expect(api.body.queues.map((q: { name: string }) => q.name).sort()).toEqual(['broadcast', 'broadcast-dead', 'p2p', 'p2p-dead']);
  });

  it('a link with ?token= sets an HttpOnly cookie for the dashboard and drops the token from the address', async () => {
    const link = await t.request('GET', `/admin/queues?token=${admin.token}`);
    expect(link.status).toBe(303);
    expect(link.headers.location).toBe('/admin/queues');
    const setCookie = String(link.headers['set-cookie']);
    expect(setCookie).toMatch(/^queues_token=[\w-]+; Path=\/admin\/queues; HttpOnly; SameSite=Strict$/);

    const cookie = setCookie.split(';')[0];
    const api = await t.request('GET', QUEUES_API, { headers: { cookie } });
    expect(api.status).toBe(200);
    expect((await t.request('GET', `/admin/queues?token=${client.token}`)).status).toBe(403);
  });

  it('the rest of the app is untouched by the dashboard guard', async () => {
    expect((await t.request('GET', '/health')).status).toBe(200);
    expect((await t.request('GET', '/admin/queuesX')).status).toBe(404);
  });
});
