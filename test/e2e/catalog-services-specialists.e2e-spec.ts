import { UsersApi } from '../../src/booking/api';
import { actors, auditRows, recordEvents } from '../support/catalog';
import { TestApp } from '../support/test-app';

describe('catalog: services and specialists', () => {
  let t: TestApp;
  let who: Awaited<ReturnType<typeof actors>>;
  let availability: ReturnType<typeof recordEvents<'location.availability_changed'>>;
  let authChanged: ReturnType<typeof recordEvents<'user.auth_changed'>>;

  const post = (url: string, body: unknown, token = who.admin.token) =>
    t.request('POST', url, { token, body });
  const location = async (name: string) =>
    (await post('/api/v1/locations', { name, timeZone: 'Europe/Berlin' })).body.id as number;
  const service = async (name: string, durationMin = 60, price = 3000) =>
    (await post('/api/v1/services', { name, durationMin, price })).body.id as number;
  const ids = (page: { items: { id: number }[] }) => page.items.map((i) => i.id);

  beforeAll(async () => {
    t = await TestApp.start();
    who = await actors(t);
    availability = recordEvents(t, 'location.availability_changed');
    authChanged = recordEvents(t, 'user.auth_changed');
  });
  afterAll(() => t.stop());

  describe('services', () => {
    it('admin creates, reads, lists, updates and deactivates a service, each write audited', async () => {
      const { admin, client, specialistUser } = who;
      const created = await post('/api/v1/services', {
        name: ' Haircut ',
        description: 'Wash and cut',
        durationMin: 45,
        price: 2500,
      });
      expect(created.status).toBe(201);
      expect(created.body).toEqual({
        id: expect.any(Number),
        name: 'Haircut',
        description: 'Wash and cut',
        durationMin: 45,
        price: 2500,
        active: true,
      });
      const id = created.body.id;
      expect((await t.request('GET', `/api/v1/services/${id}`, { token: client.token })).body.name).toBe(
        'Haircut',
      );

      const patched = await t.request('PATCH', `/api/v1/services/${id}`, {
        token: admin.token,
        body: { durationMin: 60, price: 0, description: '' },
      });
      expect(patched.status).toBe(200);
      expect(patched.body).toMatchObject({ durationMin: 60, price: 0, description: '', name: 'Haircut' });

      const removed = await t.request('DELETE', `/api/v1/services/${id}`, { token: admin.token });
      expect(removed.body.active).toBe(false);
      for (const token of [client.token, specialistUser.token]) {
        expect((await t.request('GET', `/api/v1/services/${id}`, { token })).status).toBe(404);
        expect(ids((await t.request('GET', '/api/v1/services?active=false', { token })).body)).not.toContain(
          id,
        );
      }
      expect(
        ids((await t.request('GET', '/api/v1/services?active=false', { token: admin.token })).body),
      ).toContain(id);
      expect(
        ids((await t.request('GET', '/api/v1/services?active=true', { token: admin.token })).body),
      ).not.toContain(id);
      const reactivated = await t.request('PATCH', `/api/v1/services/${id}`, {
        token: admin.token,
        body: { active: true },
      });
      expect(reactivated.body.active).toBe(true);
      expect((await t.request('GET', `/api/v1/services/${id}`, { token: client.token })).status).toBe(200);

      const audit = await auditRows(t, 'service', id);
      expect(audit.map((a) => a.action)).toEqual([
        'service.create',
        'service.update',
        'service.update',
        'service.update',
      ]);
      expect(audit[1].changes).toEqual({ durationMin: 60, price: 0, description: '' });
      expect(audit[2].changes).toEqual({ active: false });
      expect(audit.every((a) => a.userId === admin.id && a.role === 'admin')).toBe(true);
    });

    it('validation errors name the field', async () => {
      const cases: [unknown, string][] = [
        [{ durationMin: 60, price: 100 }, 'name'],
        [{ name: 'X', durationMin: 50, price: 100 }, 'durationMin'],
        [{ name: 'X', durationMin: 0, price: 100 }, 'durationMin'],
        [{ name: 'X', durationMin: 735, price: 100 }, 'durationMin'],
        [{ name: 'X', durationMin: '60', price: 100 }, 'durationMin'],
        [{ name: 'X', durationMin: 60, price: -1 }, 'price'],
        [{ name: 'X', durationMin: 60, price: 10.5 }, 'price'],
        [{ name: 'X', durationMin: 60 }, 'price'],
        [{ name: 'X', durationMin: 60, price: 1, active: 'no' }, 'active'],
        [{ name: 'X', durationMin: 60, price: 1, currency: 'EUR' }, 'currency'],
      ];
      for (const [body, field] of cases) {
        const res = await post('/api/v1/services', body);
        expect({ field, status: res.status }).toEqual({ field, status: 400 });
        expect(res.body.message).toContain(field);
      }
      const okEdge = await post('/api/v1/services', { name: 'Long', durationMin: 720, price: 0 });
      expect(okEdge.status).toBe(201);
      const patch = await t.request('PATCH', `/api/v1/services/${okEdge.body.id}`, {
        token: who.admin.token,
        body: { durationMin: 20 },
      });
      expect(patch.status).toBe(400);
      expect(patch.body.message).toBe('durationMin must be divisible by 15');
    });

    it('unknown ids are 404; clients and specialists cannot write (403)', async () => {
      for (const [method, body] of [['GET'], ['PATCH', { name: 'Y' }], ['DELETE']] as const) {
        const res = await t.request(method, '/api/v1/services/987654', { token: who.admin.token, body });
        expect(res.status).toBe(404);
        expect(res.body.message).toBe('service 987654 not found');
      }
      const id = await service('Guarded');
      for (const token of [who.client.token, who.specialistUser.token]) {
        const writes = [
          await post('/api/v1/services', { name: 'Mine', durationMin: 15, price: 1 }, token),
          await t.request('PATCH', `/api/v1/services/${id}`, { token, body: { price: 1 } }),
          await t.request('DELETE', `/api/v1/services/${id}`, { token }),
        ];
        expect(writes.map((w) => w.status)).toEqual([403, 403, 403]);
      }
      expect(
        (await t.request('GET', `/api/v1/services/${id}`, { token: who.admin.token })).body,
      ).toMatchObject({
        price: 3000,
        active: true,
      });
      expect((await t.request('GET', '/api/v1/services')).status).toBe(401);
      expect((await t.request('GET', '/api/v1/services', { token: 'bogus' })).status).toBe(401);
    });
  });

  describe('specialists', () => {
    it('created from an existing client: role becomes specialist, links stored, events after commit, audited', async () => {
      const { admin, client } = who;
      const person = await t.userWithToken('client', 'Maria');
      const [mitte, kreuzberg] = [await location('Mitte'), await location('Kreuzberg')];
      const [cut, color] = [await service('Cut', 60, 3000), await service('Color', 90, 8000)];
      availability.take();
      authChanged.take();

      const created = await post('/api/v1/specialists', {
        userId: person.id,
        bio: 'Colorist',
        locationIds: [kreuzberg, mitte],
        services: [{ serviceId: cut }, { serviceId: color, durationMin: 120, price: 9900 }],
      });
      expect(created.status).toBe(201);
      expect(created.body).toEqual({
        id: expect.any(Number),
        userId: person.id,
        name: 'Maria',
        bio: 'Colorist',
        active: true,
        locations: [
          { id: mitte, name: 'Mitte', timeZone: 'Europe/Berlin', active: true },
          { id: kreuzberg, name: 'Kreuzberg', timeZone: 'Europe/Berlin', active: true },
        ],
        services: [
          {
            serviceId: cut,
            name: 'Cut',
            durationMin: 60,
            price: 3000,
            customDurationMin: null,
            customPrice: null,
            active: true,
          },
          {
            serviceId: color,
            name: 'Color',
            durationMin: 120,
            price: 9900,
            customDurationMin: 120,
            customPrice: 9900,
            active: true,
          },
        ],
      });
      const id = created.body.id;
      expect((await t.request('GET', `/api/v1/users/${person.id}`, { token: admin.token })).body.role).toBe(
        'specialist',
      );
      expect(authChanged.take()).toEqual([{ userId: person.id, tgId: expect.any(Number) }]);
      expect(
        availability
          .take()
          .map((e) => e.locationId)
          .sort(),
      ).toEqual([mitte, kreuzberg].sort());
      // The new role applies to the existing token at once.
      expect((await t.request('GET', '/api/v1/specialists/me', { token: person.token })).body.id).toBe(id);

      expect((await t.request('GET', `/api/v1/specialists/${id}`, { token: client.token })).body).toEqual(
        created.body,
      );

      expect((await auditRows(t, 'specialist', id)).map((a) => [a.action, a.userId])).toEqual([
        ['specialist.create', admin.id],
      ]);
      expect((await auditRows(t, 'user', person.id)).map((a) => [a.action, a.changes])).toEqual([
        ['user.create', expect.anything()],
        ['user.update', { role: 'specialist' }],
      ]);

      // The same user twice: 409 naming the existing profile.
      const again = await post('/api/v1/specialists', { userId: person.id });
      expect(again.status).toBe(409);
      expect(again.body).toMatchObject({
        code: 'already_exists',
        message: `User ${person.id} is already specialist ${id}`,
      });
    });

    it('created with a new user; duplicate tgId/phone of that user is 409', async () => {
      const res = await post('/api/v1/specialists', {
        user: { name: 'Ivan', phone: '+7 901 000-00-01', tgId: 880001 },
      });
      expect(res.status).toBe(201);
      expect(res.body).toMatchObject({ name: 'Ivan', bio: '', locations: [], services: [] });
      const user = await t.request('GET', `/api/v1/users/${res.body.userId}`, { token: who.admin.token });
      expect(user.body).toMatchObject({
        name: 'Ivan',
        phone: '+79010000001',
        tgId: 880001,
        role: 'specialist',
      });

      // A phone is unique once proven (an admin's entry is not a proof: see accounts-phone-proof).
      await t.get(UsersApi).attachVerifiedPhone(res.body.userId, '+79010000001');
      // The same answers as POST /users: every path that creates a user goes through UserRegistry.
      for (const [dup, message] of [
        [{ name: 'Other', tgId: 880001 }, 'Telegram id or phone already exists'],
        [{ name: 'Other', phone: '+79010000001' }, 'Another user has verified this phone'],
      ] as const) {
        const conflict = await post('/api/v1/specialists', { user: dup });
        expect(conflict.status).toBe(409);
        expect(conflict.body.message).toContain(message);
      }
      expect((await auditRows(t, 'user', res.body.userId)).map((a) => [a.action, a.changes])).toEqual([
        ['user.create', { name: 'Ivan', phone: '+79010000001', tgId: 880001, role: 'specialist' }],
        ['user.phone_verified', { phone: '+79010000001', mergedUserIds: [], droppedFromUserIds: [] }],
      ]);
      const named = await t.request('GET', '/api/v1/users?search=Other', { token: who.admin.token });
      expect(named.body.total).toBe(0);
    });

    it('an admin made a specialist keeps admin rights', async () => {
      const boss = await t.userWithToken('admin');
      const res = await post('/api/v1/specialists', { userId: boss.id });
      expect(res.status).toBe(201);
      expect((await t.request('GET', '/api/v1/users/me', { token: boss.token })).body.role).toBe('admin');
    });

    it('unknown user, location or service ids are 404 naming them, and nothing is stored', async () => {
      const loc = await location('Known');
      const svc = await service('Known');
      const person = await t.userWithToken('client');
      const cases: [unknown, string][] = [
        [{ userId: 987654 }, 'user 987654 not found'],
        [{ userId: person.id, locationIds: [loc, 987654] }, 'location 987654 not found'],
        [{ userId: person.id, locationIds: [987654, 987655] }, 'locations 987654, 987655 not found'],
        [
          { userId: person.id, services: [{ serviceId: svc }, { serviceId: 987654 }] },
          'service 987654 not found',
        ],
      ];
      for (const [body, message] of cases) {
        const res = await post('/api/v1/specialists', body);
        expect({ status: res.status, message: res.body.message }).toEqual({ status: 404, message });
      }
      expect(
        (await t.request('GET', `/api/v1/users/${person.id}`, { token: who.admin.token })).body.role,
      ).toBe('client');
      for (const [method, body] of [['GET'], ['PATCH', { bio: 'x' }], ['DELETE']] as const) {
        const res = await t.request(method, '/api/v1/specialists/987654', { token: who.admin.token, body });
        expect({ status: res.status, message: res.body.message }).toEqual({
          status: 404,
          message: 'specialist 987654 not found',
        });
      }
    });

    it('validation errors name the field', async () => {
      const person = await t.userWithToken('client');
      const cases: [unknown, string][] = [
        [{}, 'userId'],
        [{ userId: person.id, user: { name: 'Both' } }, 'userId'],
        [{ user: { phone: '+491701234567' } }, 'user.name'],
        [{ user: { name: 'X', phone: 'call me' } }, 'user.phone'],
        [{ userId: 'me' }, 'userId'],
        [{ userId: person.id, locationIds: 'all' }, 'locationIds'],
        [{ userId: person.id, locationIds: [1, 1] }, 'locationIds'],
        [{ userId: person.id, locationIds: [0] }, 'locationIds'],
        [{ userId: person.id, services: [{ serviceId: 1, durationMin: 40 }] }, 'services.0.durationMin'],
        [
          { userId: person.id, services: [{ serviceId: 1 }, { serviceId: 2, price: -5 }] },
          'services.1.price',
        ],
        [{ userId: person.id, services: [{}] }, 'services.0.serviceId'],
        [{ userId: person.id, services: [{ serviceId: 1 }, { serviceId: 1 }] }, 'services'],
        [{ userId: person.id, services: [{ serviceId: 1, extra: true }] }, 'services.0.extra'],
        [{ userId: person.id, bio: 42 }, 'bio'],
      ];
      for (const [body, field] of cases) {
        const res = await post('/api/v1/specialists', body);
        expect({ field, status: res.status }).toEqual({ field, status: 400 });
        expect(res.body.message).toContain(field);
      }
    });

    it('PATCH replaces locations and services; dropping a location drops its schedule; DELETE deactivates', async () => {
      const { admin, client } = who;
      const [a, b, c] = [await location('A'), await location('B'), await location('C')];
      const [s1, s2] = [await service('S1', 30, 1000), await service('S2', 45, 2000)];
      const { body: sp } = await post('/api/v1/specialists', {
        user: { name: 'Petra' },
        locationIds: [a, b],
        services: [{ serviceId: s1, price: 1500 }],
      });
      const week = await t.request('PUT', `/api/v1/specialists/${sp.id}/schedule?locationId=${b}`, {
        token: admin.token,
        body: [{ weekday: 1, startMin: 540, endMin: 1020 }],
      });
      expect(week.status).toBe(200);
      const off = await post('/api/v1/schedules/exceptions', {
        locationId: b,
        specialistId: sp.id,
        date: '2026-12-24',
        kind: 'day_off',
      });
      expect(off.status).toBe(201);
      availability.take();

      const patched = await t.request('PATCH', `/api/v1/specialists/${sp.id}`, {
        token: admin.token,
        body: { bio: 'Nails', locationIds: [a, c], services: [{ serviceId: s2, durationMin: 60 }] },
      });
      expect(patched.status).toBe(200);
      expect(patched.body.bio).toBe('Nails');
      expect(patched.body.locations.map((l: { id: number }) => l.id)).toEqual([a, c]);
      expect(patched.body.services).toEqual([
        {
          serviceId: s2,
          name: 'S2',
          durationMin: 60,
          price: 2000,
          customDurationMin: 60,
          customPrice: null,
          active: true,
        },
      ]);
      expect(
        availability
          .take()
          .map((e) => e.locationId)
          .sort(),
      ).toEqual([a, b, c].sort());
      const left = await t.request('GET', `/api/v1/schedules/intervals?specialistId=${sp.id}`, {
        token: admin.token,
      });
      expect(left.body.items).toEqual([]);
      const exc = await t.request('GET', `/api/v1/schedules/exceptions?specialistId=${sp.id}`, {
        token: admin.token,
      });
      expect(exc.body.items).toEqual([]);

      // Bio only: no availability change.
      await t.request('PATCH', `/api/v1/specialists/${sp.id}`, {
        token: admin.token,
        body: { bio: 'Nails & more' },
      });
      expect(availability.take()).toEqual([]);

      const removed = await t.request('DELETE', `/api/v1/specialists/${sp.id}`, { token: admin.token });
      expect(removed.status).toBe(200);
      expect(removed.body.active).toBe(false);
      expect(
        availability
          .take()
          .map((e) => e.locationId)
          .sort(),
      ).toEqual([a, c].sort());
      expect((await t.request('GET', `/api/v1/specialists/${sp.id}`, { token: client.token })).status).toBe(
        404,
      );
      expect(
        (await t.request('GET', `/api/v1/specialists/${sp.id}`, { token: admin.token })).body.active,
      ).toBe(false);

      const audit = await auditRows(t, 'specialist', sp.id);
      expect(audit.map((x) => x.action)).toEqual([
        'specialist.create',
        'schedule.week.replace',
        'specialist.update',
        'specialist.update',
        'specialist.update',
      ]);
      expect(audit[2].changes).toEqual({
        bio: 'Nails',
        locationIds: [a, c],
        services: [{ serviceId: s2, durationMin: 60 }],
      });
      expect(audit[4].changes).toEqual({ active: false });

      const unknown = await t.request('PATCH', `/api/v1/specialists/${sp.id}`, {
        token: admin.token,
        body: { services: [{ serviceId: 987654 }] },
      });
      expect(unknown.status).toBe(404);
      expect(unknown.body.message).toBe('service 987654 not found');
      expect(
        (await t.request('GET', `/api/v1/specialists/${sp.id}`, { token: admin.token })).body.services,
      ).toHaveLength(1);
    });

    it('lists filter by location, service and active; clients see only bookable specialists, services and locations', async () => {
      const { admin, client } = who;
      const [x, y] = [await location('X'), await location('Y')];
      const [s1, s2] = [await service('F1'), await service('F2')];
      const one = (
        await post('/api/v1/specialists', {
          user: { name: 'One' },
          locationIds: [x],
          services: [{ serviceId: s1 }],
        })
      ).body;
      const two = (
        await post('/api/v1/specialists', {
          user: { name: 'Two' },
          locationIds: [x, y],
          services: [{ serviceId: s1 }, { serviceId: s2 }],
        })
      ).body;
      const three = (
        await post('/api/v1/specialists', {
          user: { name: 'Three' },
          locationIds: [y],
          services: [{ serviceId: s2 }],
        })
      ).body;
      await t.request('DELETE', `/api/v1/specialists/${three.id}`, { token: admin.token });

      const get = async (query: string, token = admin.token) =>
        ids((await t.request('GET', `/api/v1/specialists?${query}`, { token })).body);
      expect(await get(`locationId=${x}`)).toEqual([one.id, two.id]);
      expect(await get(`locationId=${y}`)).toEqual([two.id, three.id]);
      expect(await get(`locationId=${y}&active=true`)).toEqual([two.id]);
      expect(await get(`locationId=${y}&active=false`)).toEqual([three.id]);
      expect(await get(`serviceId=${s2}`)).toEqual([two.id, three.id]);
      expect(await get(`serviceId=${s1}&locationId=${y}`)).toEqual([two.id]);
      expect(await get(`locationId=${y}&active=false`, client.token)).toEqual([two.id]);

      // Services offered at a location by an active specialist.
      const offered = await t.request('GET', `/api/v1/services?locationId=${y}`, { token: client.token });
      expect(ids(offered.body)).toEqual([s1, s2]);
      const offeredX = await t.request('GET', `/api/v1/services?locationId=${x}`, { token: client.token });
      expect(ids(offeredX.body)).toEqual([s1, s2]);

      // An inactive service or location disappears from the client's view of a specialist, not the admin's.
      await t.request('DELETE', `/api/v1/services/${s2}`, { token: admin.token });
      await t.request('DELETE', `/api/v1/locations/${y}`, { token: admin.token });
      const seen = (await t.request('GET', `/api/v1/specialists/${two.id}`, { token: client.token })).body;
      expect(seen.services.map((s: { serviceId: number }) => s.serviceId)).toEqual([s1]);
      expect(seen.locations.map((l: { id: number }) => l.id)).toEqual([x]);
      const full = (await t.request('GET', `/api/v1/specialists/${two.id}`, { token: admin.token })).body;
      expect(
        full.services.map((s: { serviceId: number; active: boolean }) => [s.serviceId, s.active]),
      ).toEqual([
        [s1, true],
        [s2, false],
      ]);

      // A blocked user is not bookable even with an active profile.
      await t.request('DELETE', `/api/v1/users/${one.userId}`, { token: admin.token });
      expect(await get(`locationId=${x}`, client.token)).toEqual([two.id]);
      expect((await t.request('GET', `/api/v1/specialists/${one.id}`, { token: client.token })).status).toBe(
        404,
      );

      const bad = await t.request('GET', '/api/v1/specialists?locationId=abc', { token: admin.token });
      expect(bad.status).toBe(400);
      expect(bad.body.message).toContain('locationId');
    });

    it('clients and specialists cannot write specialists (403); /me is 404 without a profile', async () => {
      const loc = await location('Z');
      const sp = (await post('/api/v1/specialists', { user: { name: 'Guarded' }, locationIds: [loc] })).body;
      for (const token of [who.client.token, who.specialistUser.token]) {
        const writes = [
          await post('/api/v1/specialists', { user: { name: 'Me' } }, token),
          await t.request('PATCH', `/api/v1/specialists/${sp.id}`, { token, body: { bio: 'x' } }),
          await t.request('DELETE', `/api/v1/specialists/${sp.id}`, { token }),
        ];
        expect(writes.map((w) => w.status)).toEqual([403, 403, 403]);
      }
      expect(
        (await t.request('GET', `/api/v1/specialists/${sp.id}`, { token: who.admin.token })).body,
      ).toMatchObject({ bio: '', active: true });
      const me = await t.request('GET', '/api/v1/specialists/me', { token: who.client.token });
      expect(me.status).toBe(404);
      expect(me.body.message).toBe('Specialist profile of the current user not found');
    });
  });
});
