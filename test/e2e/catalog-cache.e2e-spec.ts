import { mkdtempSync, rmSync } from 'node:fs';
import { randomBytes } from 'node:crypto';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { LocationsApi } from '../../src/booking/api';
import { CatalogCache } from '../../src/booking/catalog/catalog-cache';
import type { Actor } from '../../src/common/actor';
import { LocationEntity } from '../../src/booking/entities/location.entity';
import { UnitOfWork } from '../../src/infra/database/unit-of-work';
import { rows } from '../support/booking-fixtures';
import { TcpProxy } from '../support/tcp-proxy';
import { TEST_REDIS_URL, TestApp } from '../support/test-app';
import { until } from '../support/until';

/**
 * The catalog is read from each process's memory (CatalogCache): two instances on one database and Redis,
 * changes made through the API only. The instance that writes sees the change at once; the other on receipt
 * of the change announcement.
 */
describe('catalog read cache', () => {
  const dir = mkdtempSync(join(tmpdir(), 'salon-catalog-cache-'));
  const env = {
    SQLITE_PATH: join(dir, 'booking.db'),
    REDIS_PREFIX: `test:${randomBytes(6).toString('hex')}:`,
  };
  let a: TestApp;
  let b: TestApp;
  let admin: { id: number; token: string };
  let client: { id: number; token: string };

  const call = (t: TestApp, method: 'GET' | 'POST' | 'PATCH' | 'DELETE', url: string, body?: unknown) =>
    t.request(method, `/api/v1${url}`, { token: method === 'GET' ? client.token : admin.token, body });
  const read = async (t: TestApp, url: string) => {
    const res = await call(t, 'GET', url);
    return res.status === 200 ? res.body : res.status;
  };

  beforeAll(async () => {
    a = await TestApp.start(env);
    b = await TestApp.start(env);
    admin = await a.userWithToken('admin');
    client = await a.userWithToken('client');
  });
  afterAll(async () => {
    await b.stop({ keepRedis: true });
    await a.stop();
    rmSync(dir, { recursive: true, force: true });
  });

  it('a location, a service and the settings changed through the API are read anew at once, and by the other instance on receipt', async () => {
    const location = (await call(a, 'POST', '/locations', { name: 'Mitte', timeZone: 'Europe/Berlin' })).body;
    const service = (await call(a, 'POST', '/services', { name: 'Cut', durationMin: 60, price: 3000 })).body;
    // Both instances hold the catalog now.
    for (const t of [a, b]) {
      expect(await read(t, `/locations/${location.id}`)).toMatchObject({ name: 'Mitte' });
      expect(await read(t, `/services/${service.id}`)).toMatchObject({ price: 3000 });
      expect((await read(t, '/settings')).currency).toBe('EUR');
    }

    await call(a, 'PATCH', `/locations/${location.id}`, { name: 'Kreuzberg' });
    await call(a, 'PATCH', `/services/${service.id}`, { price: 4200 });
    await call(a, 'PATCH', '/settings', { currency: 'USD' });
    expect(await read(a, `/locations/${location.id}`)).toMatchObject({ name: 'Kreuzberg' });
    expect(await read(a, `/services/${service.id}`)).toMatchObject({ price: 4200 });
    expect((await read(a, '/settings')).currency).toBe('USD');
    await until(
      async () =>
        (await read(b, `/locations/${location.id}`)).name === 'Kreuzberg' &&
        (await read(b, `/services/${service.id}`)).price === 4200 &&
        (await read(b, '/settings')).currency === 'USD',
      5000,
      'the other instance reads the changes',
    );

    // Deactivated: hidden from a client at once on either instance (access is checked after the cache), kept for staff.
    await call(b, 'DELETE', `/services/${service.id}`);
    expect(await read(b, `/services/${service.id}`)).toBe(404);
    await until(async () => (await read(a, `/services/${service.id}`)) === 404, 5000, 'a hides it too');
    const staffView = await a.request('GET', `/api/v1/services/${service.id}`, { token: admin.token });
    expect(staffView.body).toMatchObject({ active: false, price: 4200 });
  });

  it('a specialist: links and deactivation through the catalog, the name always the user row of now', async () => {
    const location = (await call(a, 'POST', '/locations', { name: 'Nord', timeZone: 'Europe/Berlin' })).body;
    const cut = (await call(a, 'POST', '/services', { name: 'Cut', durationMin: 60, price: 3000 })).body;
    const color = (await call(a, 'POST', '/services', { name: 'Color', durationMin: 90, price: 6000 })).body;
    const specialist = (
      await call(a, 'POST', '/specialists', {
        user: { name: 'Anna' },
        locationIds: [location.id],
        services: [{ serviceId: cut.id }],
      })
    ).body;
    const offered = async (t: TestApp) =>
      ((await read(t, `/services?locationId=${location.id}`)).items as { name: string }[]).map((s) => s.name);
    expect(await read(a, `/specialists/${specialist.id}`)).toMatchObject({
      name: 'Anna',
      services: [{ name: 'Cut' }],
    });
    expect(await offered(a)).toEqual(['Cut']);
    await until(
      async () =>
        (await read(b, `/specialists/${specialist.id}`)).name === 'Anna' && (await offered(b)).length === 1,
      5000,
      'b reads the new specialist',
    );

    await call(a, 'PATCH', `/specialists/${specialist.id}`, {
      services: [{ serviceId: cut.id }, { serviceId: color.id, price: 5500 }],
    });
    expect((await read(a, `/specialists/${specialist.id}`)).services).toMatchObject([
      { name: 'Cut', price: 3000, customPrice: null },
      { name: 'Color', price: 5500, customPrice: 5500 },
    ]);
    expect(await offered(a)).toEqual(['Cut', 'Color']);
    await until(async () => (await offered(b)).length === 2, 5000, 'b lists the new offer');

    // The name and the block belong to the user row, read with every specialist read: no announcement needed.
    await call(b, 'PATCH', `/users/${specialist.userId}`, { name: 'Anna K.' });
    for (const t of [a, b]) expect((await read(t, `/specialists/${specialist.id}`)).name).toBe('Anna K.');
    await call(b, 'PATCH', `/users/${specialist.userId}`, { blocked: true });
    for (const t of [a, b]) {
      expect(await read(t, `/specialists/${specialist.id}`)).toBe(404);
      expect((await read(t, `/specialists?locationId=${location.id}`)).items).toEqual([]);
    }
    await call(b, 'PATCH', `/users/${specialist.userId}`, { blocked: false });

    await call(b, 'DELETE', `/specialists/${specialist.id}`);
    expect(await read(b, `/specialists/${specialist.id}`)).toBe(404);
    expect(await offered(b)).toEqual([]);
    await until(async () => (await offered(a)).length === 0, 5000, 'a drops the offers');
  });

  it('a write that rolls back leaves no trace, even when the catalog was read while it was open', async () => {
    const location = (await call(a, 'POST', '/locations', { name: 'Süd', timeZone: 'Europe/Berlin' })).body;
    await until(async () => (await read(b, `/locations/${location.id}`)).name === 'Süd', 5000, 'b reads it');
    const locations = a.get(LocationsApi);
    const asClient = { userId: client.id, role: 'client' as const, clientType: 'api' as const };
    await expect(
      a.get(UnitOfWork).run(async (em) => {
        await em.update(LocationEntity, { id: location.id }, { name: 'Ghost' });
        // Read while the write is open (on SQLite through the shared connection, which can see it).
        await locations.get(asClient, location.id);
        throw new Error('rolled back');
      }),
    ).rejects.toThrow('rolled back');
    expect((await locations.get(asClient, location.id)).name).toBe('Süd');
    for (const t of [a, b]) expect(await read(t, `/locations/${location.id}`)).toMatchObject({ name: 'Süd' });
  });
});

describe('catalog read cache while its change announcements cannot arrive', () => {
  let proxy: TcpProxy;
  let t: TestApp;
  const asClient: Actor = { userId: 1, role: 'client', clientType: 'api' };

  beforeAll(async () => {
    const target = new URL(TEST_REDIS_URL);
    proxy = await TcpProxy.start({ host: target.hostname, port: Number(target.port || 6379) });
    t = await TestApp.start({ REDIS_URL: proxy.url });
  });
  afterAll(async () => {
    await proxy.restore();
    await t.stop();
    await proxy.stop();
  });

  it('serves nothing from memory while the subscription is down, and keeps the catalog again once it is back', async () => {
    const id = (
      await t.get(LocationsApi).create(
        { userId: 0, role: 'system', clientType: 'system' },
        {
          name: 'Held',
          timeZone: 'Europe/Berlin',
        },
      )
    ).id;
    const name = async () => (await t.get(LocationsApi).get(asClient, id)).name;
    // Renamed behind the writer's back (no announcement): only a copy held in memory still says 'Held'.
    const behind = (to: string) => rows(t, 'UPDATE locations SET name = ? WHERE id = ?', [to, id]);
    // Whether a copy is held: from a known start (the database says 'Held', announced), a read is kept only
    // while the subscription is up, and then a rename behind its back is not seen.
    const held = async () => {
      await t.get(CatalogCache).changed();
      await name();
      await behind('Behind');
      const seen = await name();
      await behind('Held');
      return seen === 'Held';
    };
    await until(held, 5000, 'the catalog is held in memory');

    await behind('Behind');
    expect(await name()).toBe('Held');
    await proxy.cut();
    await until(async () => (await name()) === 'Behind', 5000, 'the database read while Redis is away');
    await behind('Held');
    expect(await name()).toBe('Held');

    await proxy.restore();
    await until(held, 10000, 'held again after the reconnect');
  });
});
