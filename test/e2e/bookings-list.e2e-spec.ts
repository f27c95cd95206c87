import { Clock } from '../../src/infra/clock/clock';
import { clientWithToken, seedSalon, setBusinessSettings } from '../support/booking-fixtures';
import { TestApp } from '../support/test-app';

describe('bookings: read and list', () => {
  let t: TestApp;
  let admin: { token: string };
  let alice: { id: number; token: string };
  let bob: { id: number; token: string };
  const ids: Record<string, number> = {};
  let specA: { id: number; token: string };
  let specB: { id: number; token: string };
  let loc1: number;
  let loc2: number;

  beforeAll(async () => {
    t = await TestApp.start();
    jest.spyOn(t.get(Clock), 'now').mockReturnValue(new Date('2026-04-01T06:00:00Z'));
    await setBusinessSettings(t, { autoConfirm: true });
    admin = await t.userWithToken('admin');
    [alice, bob] = [await clientWithToken(t), await clientWithToken(t)];
    const s1 = await seedSalon(t, { specialists: 2 });
    const s2 = await seedSalon(t, { specialists: 1, timeZone: 'America/New_York' });
    [specA, specB] = s1.specialists;
    [loc1, loc2] = [s1.locationId, s2.locationId];
    const book = async (
      name: string,
      token: string,
      salon: typeof s1,
      specialistId: number,
      startAt: string,
    ) => {
      const res = await t.request('POST', '/api/v1/bookings', {
        token,
        body: { locationId: salon.locationId, serviceId: salon.serviceId, specialistId, startAt },
      });
      expect(res.status).toBe(201);
      ids[name] = res.body.id;
    };
    await book('a1', alice.token, s1, specA.id, '2026-04-06T08:00:00Z');
    await book('a2', alice.token, s1, specB.id, '2026-04-07T08:00:00Z');
    await book('a3', alice.token, s2, s2.specialists[0].id, '2026-04-08T14:00:00Z');
    await book('b1', bob.token, s1, specA.id, '2026-04-06T10:00:00Z');
    await book('b2', bob.token, s1, specB.id, '2026-04-09T08:00:00Z');
    expect(
      (await t.request('POST', `/api/v1/bookings/${ids.b2}/cancel`, { token: bob.token, body: {} })).status,
    ).toBe(200);
  });
  afterAll(() => t.stop());

  const list = async (token: string, query = '') => {
    const res = await t.request('GET', `/api/v1/bookings${query}`, { token });
    expect(res.status).toBe(200);
    return res.body as { items: { id: number }[]; total: number; limit: number; offset: number };
  };
  const idsOf = (page: { items: { id: number }[] }) => page.items.map((b) => b.id);

  it('an admin sees everything, ordered by start', async () => {
    expect(idsOf(await list(admin.token))).toEqual([ids.a1, ids.b1, ids.a2, ids.a3, ids.b2]);
  });

  it('filters by date range, location, specialist, client and status', async () => {
    expect(idsOf(await list(admin.token, '?from=2026-04-06T09:00:00Z&to=2026-04-08T14:00:00Z'))).toEqual([
      ids.b1,
      ids.a2,
    ]);
    expect(idsOf(await list(admin.token, `?locationId=${loc2}`))).toEqual([ids.a3]);
    expect(idsOf(await list(admin.token, `?locationId=${loc1}&specialistId=${specA.id}`))).toEqual([
      ids.a1,
      ids.b1,
    ]);
    expect(idsOf(await list(admin.token, `?clientId=${bob.id}`))).toEqual([ids.b1, ids.b2]);
    expect(idsOf(await list(admin.token, '?status=cancelled'))).toEqual([ids.b2]);
    expect(idsOf(await list(admin.token, `?clientId=${bob.id}&status=pending,cancelled`))).toEqual([ids.b2]);
    expect(idsOf(await list(admin.token, `?clientId=${bob.id}&status=confirmed,cancelled`))).toEqual([
      ids.b1,
      ids.b2,
    ]);
    expect(idsOf(await list(admin.token, `?clientId=${bob.id}&status=confirmed`))).toEqual([ids.b1]);
  });

  it('paginates with a total', async () => {
    const first = await list(admin.token, '?limit=2&offset=0');
    const second = await list(admin.token, '?limit=2&offset=2');
    const third = await list(admin.token, '?limit=2&offset=4');
    expect(first).toMatchObject({ total: 5, limit: 2, offset: 0 });
    expect([...idsOf(first), ...idsOf(second), ...idsOf(third)]).toEqual([
      ids.a1,
      ids.b1,
      ids.a2,
      ids.a3,
      ids.b2,
    ]);
  });

  it('a client sees only their own bookings, whatever the filters say', async () => {
    expect(idsOf(await list(alice.token))).toEqual([ids.a1, ids.a2, ids.a3]);
    expect(idsOf(await list(alice.token, `?clientId=${bob.id}`))).toEqual([]);
    expect((await t.request('GET', `/api/v1/bookings/${ids.a1}`, { token: alice.token })).body.id).toBe(
      ids.a1,
    );
    const foreign = await t.request('GET', `/api/v1/bookings/${ids.b1}`, { token: alice.token });
    expect(foreign.status).toBe(404);
    expect(foreign.body.code).toBe('not_found');
  });

  it('a specialist sees only the bookings with them', async () => {
    expect(idsOf(await list(specA.token))).toEqual([ids.a1, ids.b1]);
    expect(idsOf(await list(specA.token, `?specialistId=${specB.id}`))).toEqual([]);
    expect((await t.request('GET', `/api/v1/bookings/${ids.a2}`, { token: specA.token })).status).toBe(404);
    expect((await t.request('GET', `/api/v1/bookings/${ids.a1}`, { token: specA.token })).status).toBe(200);
  });

  it('is documented in the OpenAPI document', async () => {
    const docs = await t.request('GET', '/docs/json');
    for (const path of [
      '/api/v1/bookings',
      '/api/v1/bookings/{id}',
      '/api/v1/bookings/{id}/cancel',
      '/api/v1/bookings/{id}/no-show',
    ]) {
      expect(Object.keys(docs.body.paths)).toContain(path);
    }
    expect(docs.body.components.schemas.BookingDto.properties).toHaveProperty('startAt');
    expect(docs.body.components.schemas.CreateBookingDto.required).toEqual(
      expect.arrayContaining(['locationId', 'serviceId', 'specialistId', 'startAt']),
    );
  });

  it('rejects bad filters with 400 naming the field, and unknown ids with 404', async () => {
    for (const [query, field] of [
      ['?status=lost', 'status'],
      ['?status=confirmed,lost', 'status'],
      ['?from=yesterday', 'from'],
      ['?limit=0', 'limit'],
      ['?locationId=abc', 'locationId'],
      ['?colour=red', 'colour'],
    ]) {
      const res = await t.request('GET', `/api/v1/bookings${query}`, { token: admin.token });
      expect(res.status).toBe(400);
      expect(res.body.message).toContain(field);
    }
    expect((await t.request('GET', '/api/v1/bookings/999999', { token: admin.token })).status).toBe(404);
    expect((await t.request('GET', '/api/v1/bookings/abc', { token: admin.token })).status).toBe(400);
    expect((await t.request('GET', '/api/v1/bookings')).status).toBe(401);
  });
});
