import { TestApp } from '../support/test-app';

describe('smoke', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await TestApp.start();
  });
  afterAll(() => t.stop());

  it('health, docs, auth and a location', async () => {
    expect((await t.request('GET', '/health')).status).toBe(200);
    const docs = await t.request('GET', '/docs/json');
    expect(docs.status).toBe(200);
    expect(Object.keys(docs.body.paths)).toContain('/api/v1/locations');
    expect((await t.request('GET', '/api/v1/locations')).status).toBe(401);
    const admin = await t.userWithToken('admin');
    const created = await t.request('POST', '/api/v1/locations', {
      token: admin.token,
      body: { name: 'Mitte', timeZone: 'Europe/Berlin' },
    });
    expect(created.status).toBe(201);
    const bad = await t.request('POST', '/api/v1/locations', {
      token: admin.token,
      body: { name: 'X', timeZone: 'Mars/Base' },
    });
    expect(bad.status).toBe(400);
    expect(bad.body).toMatchObject({ code: 'validation_failed' });
    expect(bad.body.message).toContain('timeZone');
    const broken = await t.request('POST', '/api/v1/locations', {
      token: admin.token,
      payload: '{"name":',
      headers: { 'content-type': 'application/json' },
    });
    expect(broken.status).toBe(400);
    expect(broken.body.code).toBe('validation_failed');
  });
});
