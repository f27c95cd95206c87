import { UsersApi } from '../../src/booking/api';
import { actors, auditRows, recordEvents } from '../support/catalog';
import { TestApp } from '../support/test-app';

describe('catalog: locations and users', () => {
  let t: TestApp;
  let who: Awaited<ReturnType<typeof actors>>;
  let availability: ReturnType<typeof recordEvents<'location.availability_changed'>>;
  let authChanged: ReturnType<typeof recordEvents<'user.auth_changed'>>;

  beforeAll(async () => {
    t = await TestApp.start();
    who = await actors(t);
    availability = recordEvents(t, 'location.availability_changed');
    authChanged = recordEvents(t, 'user.auth_changed');
  });
  afterAll(() => t.stop());

  describe('locations', () => {
    it('admin creates, reads, lists, updates and deactivates a location, each write audited', async () => {
      const { admin, client } = who;
      const created = await t.request('POST', '/api/v1/locations', {
        token: admin.token,
        body: { name: '  Mitte ', address: 'Torstr. 1', timeZone: 'Europe/Berlin' },
      });
      expect(created.status).toBe(201);
      expect(created.body).toEqual({
        id: expect.any(Number),
        name: 'Mitte',
        address: 'Torstr. 1',
        timeZone: 'Europe/Berlin',
        active: true,
      });
      const id = created.body.id;

      expect((await t.request('GET', `/api/v1/locations/${id}`, { token: client.token })).body.name).toBe(
        'Mitte',
      );

      const renamed = await t.request('PATCH', `/api/v1/locations/${id}`, {
        token: admin.token,
        body: { name: 'Mitte II', timeZone: 'Europe/Moscow' },
      });
      expect(renamed.status).toBe(200);
      expect(renamed.body).toMatchObject({
        name: 'Mitte II',
        address: 'Torstr. 1',
        timeZone: 'Europe/Moscow',
      });
      expect(availability.take()).toEqual([{ locationId: id }]);

      const removed = await t.request('DELETE', `/api/v1/locations/${id}`, { token: admin.token });
      expect(removed.status).toBe(200);
      expect(removed.body.active).toBe(false);
      expect(availability.take()).toEqual([{ locationId: id }]);

      // Deactivated: gone from the client's catalog, still visible to the admin.
      expect((await t.request('GET', `/api/v1/locations/${id}`, { token: client.token })).status).toBe(404);
      const clientList = await t.request('GET', '/api/v1/locations?active=false', { token: client.token });
      expect(clientList.body.items.map((l: { id: number }) => l.id)).not.toContain(id);
      const adminList = await t.request('GET', '/api/v1/locations?active=false', { token: admin.token });
      expect(adminList.body.items.map((l: { id: number }) => l.id)).toContain(id);
      expect((await t.request('GET', `/api/v1/locations/${id}`, { token: admin.token })).body.active).toBe(
        false,
      );

      const audit = await auditRows(t, 'location', id);
      expect(audit.map((a) => a.action)).toEqual(['location.create', 'location.update', 'location.update']);
      expect(audit[0]).toMatchObject({ userId: admin.id, role: 'admin', clientType: 'api' });
      expect(audit[0].changes).toMatchObject({ name: 'Mitte', timeZone: 'Europe/Berlin' });
      expect(audit[2].changes).toEqual({ active: false });
      expect(audit.every((a) => typeof a.traceId === 'string' && a.traceId.length > 0)).toBe(true);
    });

    it('lists paginate', async () => {
      for (const name of ['P1', 'P2', 'P3']) {
        await t.request('POST', '/api/v1/locations', {
          token: who.admin.token,
          body: { name, timeZone: 'Asia/Kolkata' },
        });
      }
      const page = await t.request('GET', '/api/v1/locations?limit=2&offset=1', { token: who.admin.token });
      expect(page.status).toBe(200);
      expect(page.body.items).toHaveLength(2);
      expect(page.body).toMatchObject({ limit: 2, offset: 1 });
      expect(page.body.total).toBeGreaterThanOrEqual(3);
      const bad = await t.request('GET', '/api/v1/locations?limit=500', { token: who.admin.token });
      expect(bad.status).toBe(400);
      expect(bad.body.message).toContain('limit');
    });

    it('validation errors name the field', async () => {
      const cases: [unknown, string][] = [
        [{ timeZone: 'Europe/Berlin' }, 'name'],
        [{ name: '', timeZone: 'Europe/Berlin' }, 'name'],
        [{ name: 'X', timeZone: 'UTC+3' }, 'timeZone'],
        [{ name: 'X', timeZone: 'Europe/Berlin', color: 'red' }, 'color'],
        [{ name: 'X', timeZone: 'Europe/Berlin', address: 5 }, 'address'],
      ];
      for (const [body, field] of cases) {
        const res = await t.request('POST', '/api/v1/locations', { token: who.admin.token, body });
        expect({ field, status: res.status, code: res.body.code }).toEqual({
          field,
          status: 400,
          code: 'validation_failed',
        });
        expect(res.body.message).toContain(field);
        expect(res.body.traceId).toEqual(expect.any(String));
      }
      const patch = await t.request('PATCH', '/api/v1/locations/1', {
        token: who.admin.token,
        body: { active: 'yes' },
      });
      expect(patch.status).toBe(400);
      expect(patch.body.message).toContain('active');
    });

    it('a malformed path id is a 400 naming it', async () => {
      for (const url of [
        '/api/v1/locations/abc',
        '/api/v1/users/0',
        '/api/v1/services/-3',
        '/api/v1/specialists/1.5',
      ]) {
        const res = await t.request('GET', url, { token: who.admin.token });
        expect({ url, status: res.status }).toEqual({ url, status: 400 });
        expect(res.body.message).toContain('id in the path must be a positive integer');
      }
      const huge = await t.request('DELETE', '/api/v1/schedules/intervals/99999999999999999999', {
        token: who.admin.token,
      });
      expect(huge.status).toBe(400);
    });

    it('unknown ids are 404 naming the location', async () => {
      for (const [method, body] of [['GET'], ['PATCH', { name: 'Y' }], ['DELETE']] as const) {
        const res = await t.request(method, '/api/v1/locations/987654', { token: who.admin.token, body });
        expect(res.status).toBe(404);
        expect(res.body).toMatchObject({ code: 'not_found', message: 'location 987654 not found' });
      }
    });

    it('clients and specialists may read but not write locations (403)', async () => {
      const { admin, client, specialistUser } = who;
      const { body: loc } = await t.request('POST', '/api/v1/locations', {
        token: admin.token,
        body: { name: 'Ro', timeZone: 'Europe/Berlin' },
      });
      for (const token of [client.token, specialistUser.token]) {
        expect((await t.request('GET', `/api/v1/locations/${loc.id}`, { token })).status).toBe(200);
        const writes = [
          await t.request('POST', '/api/v1/locations', {
            token,
            body: { name: 'Mine', timeZone: 'Europe/Berlin' },
          }),
          await t.request('PATCH', `/api/v1/locations/${loc.id}`, { token, body: { name: 'Mine' } }),
          await t.request('DELETE', `/api/v1/locations/${loc.id}`, { token }),
        ];
        expect(writes.map((w) => w.status)).toEqual([403, 403, 403]);
        expect(writes[0].body.code).toBe('forbidden');
      }
      expect(
        (await t.request('GET', `/api/v1/locations/${loc.id}`, { token: admin.token })).body,
      ).toMatchObject({
        name: 'Ro',
        active: true,
      });
      expect((await auditRows(t, 'location', loc.id)).map((a) => a.action)).toEqual(['location.create']);
    });

    it('401 without a token and with a bad token', async () => {
      for (const [method, url] of [
        ['GET', '/api/v1/locations'],
        ['POST', '/api/v1/locations'],
        ['GET', '/api/v1/users'],
        ['GET', '/api/v1/users/me'],
      ] as const) {
        const none = await t.request(method, url);
        expect(none.status).toBe(401);
        expect(none.body.code).toBe('unauthorized');
        const bad = await t.request(method, url, { token: 'not-a-real-token' });
        expect(bad.status).toBe(401);
        const malformed = await t.request(method, url, { headers: { authorization: 'Basic abc' } });
        expect(malformed.status).toBe(401);
      }
    });
  });

  describe('users', () => {
    it('Telegram ids beyond 32 bits are taken (new accounts have them), beyond 2^53 refused', async () => {
      const { admin } = who;
      // Telegram ids have up to 52 significant bits; ids over 2^31 have been handed out for years.
      const user = await t.request('POST', '/api/v1/users', {
        token: admin.token,
        body: { name: 'Wide', tgId: 7_123_456_789 },
      });
      expect([user.status, user.body.tgId]).toEqual([201, 7_123_456_789]);
      const found = await t.request('GET', '/api/v1/users?tgId=7123456789', { token: admin.token });
      expect(found.body.items.map((u: { id: number }) => u.id)).toEqual([user.body.id]);
      const specialist = await t.request('POST', '/api/v1/specialists', {
        token: admin.token,
        body: { user: { name: 'Wide Stylist', tgId: 6_987_654_321 } },
      });
      expect(specialist.status).toBe(201);

      for (const tgId of [1e308, 2 ** 53, 0, 1.5]) {
        const refused = await t.request('POST', '/api/v1/users', {
          token: admin.token,
          body: { name: 'Huge', tgId },
        });
        expect([tgId, refused.status, refused.body.details?.fields?.tgId]).toEqual([
          tgId,
          400,
          [expect.stringMatching(/^tgId must be a Telegram user id/)],
        ]);
      }
      const query = await t.request('GET', '/api/v1/users?tgId=99999999999999999999', { token: admin.token });
      expect(query.status).toBe(400);
    });

    it('admin creates, reads, lists, updates and blocks a user, each write audited', async () => {
      const { admin } = who;
      const created = await t.request('POST', '/api/v1/users', {
        token: admin.token,
        body: { name: 'Olga', phone: '+49 (170) 111-2233', tgId: 5550001, language: 'en' },
      });
      expect(created.status).toBe(201);
      expect(created.body).toMatchObject({
        name: 'Olga',
        phone: '+491701112233',
        tgId: 5550001,
        language: 'en',
        role: 'client',
        blocked: false,
      });
      const id = created.body.id;

      expect((await t.request('GET', `/api/v1/users/${id}`, { token: admin.token })).body.name).toBe('Olga');
      const search = await t.request('GET', '/api/v1/users?search=olg&role=client', { token: admin.token });
      expect(search.body.items.map((u: { id: number }) => u.id)).toEqual([id]);
      const byTg = await t.request('GET', '/api/v1/users?tgId=5550001', { token: admin.token });
      expect(byTg.body.items.map((u: { id: number }) => u.id)).toEqual([id]);

      const promoted = await t.request('PATCH', `/api/v1/users/${id}`, {
        token: admin.token,
        body: { name: 'Olga K', role: 'admin' },
      });
      expect(promoted.status).toBe(200);
      expect(promoted.body).toMatchObject({ name: 'Olga K', role: 'admin' });
      expect(authChanged.take()).toEqual([{ userId: id, tgId: 5550001 }]);

      const blocked = await t.request('DELETE', `/api/v1/users/${id}`, { token: admin.token });
      expect(blocked.status).toBe(200);
      expect(blocked.body.blocked).toBe(true);

      const audit = await auditRows(t, 'user', id);
      expect(audit.map((a) => a.action)).toEqual(['user.create', 'user.update', 'user.update']);
      expect(audit[1].changes).toEqual({ name: 'Olga K', role: 'admin' });
      expect(audit[2].changes).toEqual({ blocked: true });
      expect(audit.every((a) => a.userId === admin.id)).toBe(true);
    });

    it('a blocked user is logged out at once', async () => {
      const victim = await t.userWithToken('client');
      expect((await t.request('GET', '/api/v1/users/me', { token: victim.token })).status).toBe(200);
      await t.request('DELETE', `/api/v1/users/${victim.id}`, { token: who.admin.token });
      expect((await t.request('GET', '/api/v1/users/me', { token: victim.token })).status).toBe(401);
    });

    it('a duplicate Telegram id or phone is 409, on create and on update', async () => {
      const { admin } = who;
      const first = await t.request('POST', '/api/v1/users', {
        token: admin.token,
        body: { name: 'A', phone: '+79001234567', tgId: 7770001 },
      });
      expect(first.status).toBe(201);
      const second = await t.request('POST', '/api/v1/users', {
        token: admin.token,
        body: { name: 'B', phone: '+79007654321' },
      });
      expect(second.status).toBe(201);

      const dupTg = await t.request('POST', '/api/v1/users', {
        token: admin.token,
        body: { name: 'C', tgId: 7770001 },
      });
      expect(dupTg.status).toBe(409);
      // Phones are unique once proven (an admin's entry is not a proof: see accounts-phone-proof).
      await t.get(UsersApi).attachVerifiedPhone(first.body.id, '+79001234567');
      expect(dupTg.body).toMatchObject({
        code: 'already_exists',
        message: 'A user with this Telegram id or phone already exists',
      });
      // The same number written differently is still the same phone.
      const dupPhone = await t.request('POST', '/api/v1/users', {
        token: admin.token,
        body: { name: 'C', phone: '+7 900 123-45-67' },
      });
      expect(dupPhone.status).toBe(409);
      expect(dupPhone.body.code).toBe('already_exists');
      const dupOnUpdate = await t.request('PATCH', `/api/v1/users/${second.body.id}`, {
        token: admin.token,
        body: { phone: '+79001234567' },
      });
      expect(dupOnUpdate.status).toBe(409);
      expect(
        (await t.request('GET', `/api/v1/users/${second.body.id}`, { token: admin.token })).body.phone,
      ).toBe('+79007654321');
      const users = await t.request('GET', '/api/v1/users?search=%2B7900', { token: admin.token });
      expect(users.body.total).toBe(2);
    });

    it('search ignores case in any alphabet and takes % _ \\ literally, on SQLite and PostgreSQL alike', async () => {
      const { admin } = who;
      const create = async (name: string) =>
        (await t.request('POST', '/api/v1/users', { token: admin.token, body: { name } })).body.id as number;
      const anna = await create('Анна Öztürk');
      const percent = await create('Zed 100% Zed');
      const underscore = await create('Zed a_b Zed');
      const backslash = await create('Zed c\\d Zed');
      const found = async (search: string) => {
        const res = await t.request('GET', `/api/v1/users?search=${encodeURIComponent(search)}`, {
          token: admin.token,
        });
        expect(res.status).toBe(200);
        return res.body.items.map((u: { id: number }) => u.id);
      };
      expect(await found('АННА')).toEqual([anna]);
      expect(await found('анна öz')).toEqual([anna]);
      expect(await found('ÖZTÜRK')).toEqual([anna]);
      expect(await found('%')).toEqual([percent]);
      expect(await found('0% z')).toEqual([percent]);
      expect(await found('_')).toEqual([underscore]);
      expect(await found('\\')).toEqual([backslash]);
      expect(await found('zed c\\')).toEqual([backslash]);
      expect(await found('zed ')).toEqual([percent, underscore, backslash]);
    });

    it('validation errors name the field', async () => {
      const cases: [unknown, string][] = [
        [{}, 'name'],
        [{ name: 'X', phone: '12345' }, 'phone'],
        [{ name: 'X', tgId: 'abc' }, 'tgId'],
        [{ name: 'X', tgId: -5 }, 'tgId'],
        [{ name: 'X', language: 'de' }, 'language'],
        [{ name: 'X', role: 'root' }, 'role'],
        [{ name: 'X', password: 'p' }, 'password'],
      ];
      for (const [body, field] of cases) {
        const res = await t.request('POST', '/api/v1/users', { token: who.admin.token, body });
        expect({ field, status: res.status }).toEqual({ field, status: 400 });
        expect(res.body.message).toContain(field);
      }
    });

    it('unknown ids are 404 for the admin', async () => {
      for (const [method, body] of [['GET'], ['PATCH', { name: 'Y' }], ['DELETE']] as const) {
        const res = await t.request(method, '/api/v1/users/987654', { token: who.admin.token, body });
        expect(res.status).toBe(404);
        expect(res.body.message).toBe('user 987654 not found');
      }
    });

    it("a client sees and changes only themselves: another user's id is 404, existing or not", async () => {
      const { client, otherClient, specialistUser } = who;
      const me = await t.request('GET', '/api/v1/users/me', { token: client.token });
      expect(me.body).toMatchObject({ id: client.id, role: 'client' });
      const list = await t.request('GET', '/api/v1/users', { token: client.token });
      expect(list.body.items.map((u: { id: number }) => u.id)).toEqual([client.id]);

      for (const target of [otherClient.id, specialistUser.id, 987654]) {
        const read = await t.request('GET', `/api/v1/users/${target}`, { token: client.token });
        const write = await t.request('PATCH', `/api/v1/users/${target}`, {
          token: client.token,
          body: { name: 'Hacked' },
        });
        const del = await t.request('DELETE', `/api/v1/users/${target}`, { token: client.token });
        expect([read.status, write.status, del.status]).toEqual([404, 404, 404]);
        expect(read.body.message).toBe(`user ${target} not found`);
      }
      expect(
        (await t.request('GET', `/api/v1/users/${otherClient.id}`, { token: who.admin.token })).body.name,
      ).not.toBe('Hacked');
      expect(
        (await t.request('GET', `/api/v1/users/${otherClient.id}`, { token: who.admin.token })).body.blocked,
      ).toBe(false);

      // A specialist is no different for other people's profiles.
      const bySpecialist = await t.request('PATCH', `/api/v1/users/${client.id}`, {
        token: specialistUser.token,
        body: { name: 'X' },
      });
      expect(bySpecialist.status).toBe(404);
    });

    it('a client edits their own name and language, but not their role or block flag, and creates no users', async () => {
      const self = await t.userWithToken('client');
      authChanged.take();
      const ok = await t.request('PATCH', `/api/v1/users/${self.id}`, {
        token: self.token,
        body: { name: 'New Me', language: 'en' },
      });
      expect(ok.status).toBe(200);
      expect(ok.body).toMatchObject({ name: 'New Me', language: 'en' });
      expect(authChanged.take()).toEqual([{ userId: self.id, tgId: expect.any(Number) }]);
      for (const body of [{ role: 'admin' }, { blocked: false }]) {
        const res = await t.request('PATCH', `/api/v1/users/${self.id}`, { token: self.token, body });
        expect(res.status).toBe(403);
      }
      expect((await t.request('GET', '/api/v1/users/me', { token: self.token })).body.role).toBe('client');
      const create = await t.request('POST', '/api/v1/users', {
        token: self.token,
        body: { name: 'Friend' },
      });
      expect(create.status).toBe(403);
      const audit = await auditRows(t, 'user', self.id);
      expect(audit.map((a) => [a.action, a.userId])).toEqual([
        ['user.create', null],
        ['user.update', self.id],
      ]);
    });
  });
});
