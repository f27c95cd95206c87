import { actors, auditRows, recordEvents } from '../support/catalog';
import { TestApp } from '../support/test-app';

describe('catalog: business settings', () => {
  let t: TestApp;
  let who: Awaited<ReturnType<typeof actors>>;
  let availability: ReturnType<typeof recordEvents<'location.availability_changed'>>;

  beforeAll(async () => {
    t = await TestApp.start();
    who = await actors(t);
    availability = recordEvents(t, 'location.availability_changed');
  });
  afterAll(() => t.stop());

  it('the OpenAPI document lists the catalog endpoints', async () => {
    const docs = await t.request('GET', '/docs/json');
    expect(Object.keys(docs.body.paths)).toEqual(
      expect.arrayContaining([
        '/api/v1/services',
        '/api/v1/services/{id}',
        '/api/v1/specialists',
        '/api/v1/specialists/{id}',
        '/api/v1/specialists/{id}/schedule',
        '/api/v1/schedules/intervals',
        '/api/v1/schedules/intervals/{id}',
        '/api/v1/schedules/exceptions',
        '/api/v1/schedules/exceptions/{id}',
        '/api/v1/settings',
      ]),
    );
  });

  it('every role reads the seeded defaults', async () => {
    for (const token of [who.admin.token, who.specialistUser.token, who.client.token]) {
      const res = await t.request('GET', '/api/v1/settings', { token });
      expect(res.status).toBe(200);
      expect(res.body).toEqual({
        minNoticeMin: 60,
        horizonDays: 60,
        cancellationCutoffMin: 120,
        autoConfirm: true,
        defaultLanguage: 'ru',
        currency: 'EUR',
        updatedAt: expect.any(String),
      });
    }
  });

  it('admin updates; the change is stored, audited, and notice/horizon changes bump every location', async () => {
    const loc = (
      await t.request('POST', '/api/v1/locations', {
        token: who.admin.token,
        body: { name: 'S', timeZone: 'Europe/Berlin' },
      })
    ).body.id;
    availability.take();
    const cutoffOnly = await t.request('PATCH', '/api/v1/settings', {
      token: who.admin.token,
      body: { cancellationCutoffMin: 0, autoConfirm: false },
    });
    expect(cutoffOnly.status).toBe(200);
    expect(cutoffOnly.body).toMatchObject({
      minNoticeMin: 60,
      horizonDays: 60,
      cancellationCutoffMin: 0,
      autoConfirm: false,
    });
    expect(availability.take()).toEqual([]);

    const res = await t.request('PATCH', '/api/v1/settings', {
      token: who.admin.token,
      body: { minNoticeMin: 10080, horizonDays: 365 },
    });
    expect(res.body).toMatchObject({
      minNoticeMin: 10080,
      horizonDays: 365,
      cancellationCutoffMin: 0,
      autoConfirm: false,
    });
    expect(availability.take()).toEqual([{ locationId: loc }]);
    expect((await t.request('GET', '/api/v1/settings', { token: who.client.token })).body).toEqual(res.body);

    const audit = await auditRows(t, 'settings', 1);
    expect(audit.map((a) => [a.action, a.userId, a.changes])).toEqual([
      ['settings.update', who.admin.id, { cancellationCutoffMin: 0, autoConfirm: false }],
      ['settings.update', who.admin.id, { minNoticeMin: 10080, horizonDays: 365 }],
    ]);
  });

  it('validation errors name the field', async () => {
    const cases: [unknown, string][] = [
      [{ minNoticeMin: -1 }, 'minNoticeMin'],
      [{ minNoticeMin: 10081 }, 'minNoticeMin'],
      [{ horizonDays: 0 }, 'horizonDays'],
      [{ horizonDays: 366 }, 'horizonDays'],
      [{ horizonDays: 1.5 }, 'horizonDays'],
      [{ cancellationCutoffMin: '60' }, 'cancellationCutoffMin'],
      [{ autoConfirm: 'yes' }, 'autoConfirm'],
      [{ timezone: 'UTC' }, 'timezone'],
      [{ defaultLanguage: 'de' }, 'defaultLanguage'],
      [{ defaultLanguage: null }, 'defaultLanguage'],
      [{ currency: 'eur' }, 'currency'],
      [{ currency: 'EURO' }, 'currency'],
      [{ currency: 'XYZ' }, 'currency'],
      [{ currency: 978 }, 'currency'],
    ];
    const before = (await t.request('GET', '/api/v1/settings', { token: who.admin.token })).body;
    for (const [body, field] of cases) {
      const res = await t.request('PATCH', '/api/v1/settings', { token: who.admin.token, body });
      expect({ field, status: res.status }).toEqual({ field, status: 400 });
      expect(res.body.message).toContain(field);
    }
    expect((await t.request('GET', '/api/v1/settings', { token: who.admin.token })).body).toEqual(before);
  });

  it('clients and specialists cannot change settings (403); no token is 401', async () => {
    const before = (await t.request('GET', '/api/v1/settings', { token: who.admin.token })).body;
    for (const token of [who.client.token, who.specialistUser.token]) {
      const res = await t.request('PATCH', '/api/v1/settings', {
        token,
        body: { autoConfirm: !before.autoConfirm },
      });
      expect(res.status).toBe(403);
      expect(res.body.code).toBe('forbidden');
    }
    expect((await t.request('GET', '/api/v1/settings', { token: who.admin.token })).body).toEqual(before);
    expect((await t.request('GET', '/api/v1/settings')).status).toBe(401);
    expect(
      (await t.request('PATCH', '/api/v1/settings', { token: 'bad', body: { autoConfirm: true } })).status,
    ).toBe(401);
  });
});
