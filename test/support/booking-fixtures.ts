import { randomBytes } from 'node:crypto';
import { DataSource, EntityManager } from 'typeorm';
import { UsersApi } from '../../src/booking/api';
import { SYSTEM_ACTOR } from '../../src/common/actor';
import { SessionsApi } from '../../src/gateway/api';
import { CatalogCache } from '../../src/booking/catalog/catalog-cache';
import { UnitOfWork } from '../../src/infra/database/unit-of-work';
import { DomainEvents } from '../../src/infra/events/domain-events';
import type { TestApp } from './test-app';
import { sql } from './test-database';

export interface SalonFixture {
  locationId: number;
  timeZone: string;
  serviceId: number;
  durationMin: number;
  price: number;
  specialists: { id: number; userId: number; token: string }[];
}

export interface SalonOptions {
  timeZone?: string;
  specialists?: number;
  durationMin?: number;
  price?: number;
  /** Weekly hours in local minutes after midnight, every weekday; default 08:00-20:00. */
  hours?: [number, number];
  /** Issue bearer tokens for the specialists; default true. */
  tokens?: boolean;
}

/** Runs fixture SQL in one UnitOfWork transaction (as every write must), then tells the catalog and slots caches. */
async function write<T>(
  t: TestApp,
  work: (ds: EntityManager) => Promise<T>,
  locationIds?: number[],
): Promise<T> {
  const result = await t.get(UnitOfWork).run(work);
  await t.get(CatalogCache).changed();
  const ids =
    locationIds ??
    (await sql(t.get(DataSource), 'SELECT id FROM locations')).map((r: { id: number }) => Number(r.id));
  for (const locationId of ids)
    await t.get(DomainEvents).emit('location.availability_changed', { locationId });
  return result;
}

/** Catalog rows straight through SQL: the catalog REST belongs to another module's tests. */
export async function seedSalon(t: TestApp, options: SalonOptions = {}): Promise<SalonFixture> {
  const users: { id: number; token: string }[] = [];
  for (let i = 0; i < (options.specialists ?? 2); i++) {
    users.push(
      options.tokens === false
        ? {
            id: (await t.get(UsersApi).create(SYSTEM_ACTOR, { name: `specialist ${i}`, role: 'specialist' }))
              .id,
            token: '',
          }
        : await t.userWithToken('specialist'),
    );
  }
  let locationId = 0;
  const salon = await write(
    t,
    async (ds) => {
      const timeZone = options.timeZone ?? 'Europe/Berlin';
      const durationMin = options.durationMin ?? 60;
      const price = options.price ?? 5000;
      const [startMin, endMin] = options.hours ?? [8 * 60, 20 * 60];
      const location = await sql(
        ds,
        `INSERT INTO locations (name, address, time_zone) VALUES (?, '', ?) RETURNING id`,
        [`Salon ${randomBytes(2).toString('hex')}`, timeZone],
      );
      locationId = Number(location[0].id);
      const service = await sql(
        ds,
        `INSERT INTO services (name, duration_min, price) VALUES (?, ?, ?) RETURNING id`,
        [`Cut ${durationMin}`, durationMin, price],
      );
      const serviceId = Number(service[0].id);
      const specialists: SalonFixture['specialists'] = [];
      for (const user of users) {
        const row = await sql(ds, `INSERT INTO specialists (user_id) VALUES (?) RETURNING id`, [user.id]);
        const id = Number(row[0].id);
        await sql(ds, `INSERT INTO specialist_locations (specialist_id, location_id) VALUES (?, ?)`, [
          id,
          locationId,
        ]);
        await sql(ds, `INSERT INTO specialist_services (specialist_id, service_id) VALUES (?, ?)`, [
          id,
          serviceId,
        ]);
        for (let weekday = 1; weekday <= 7; weekday++) {
          await sql(
            ds,
            `INSERT INTO work_intervals (specialist_id, location_id, weekday, start_min, end_min) VALUES (?, ?, ?, ?, ?)`,
            [id, locationId, weekday, startMin, endMin],
          );
        }
        specialists.push({ id, userId: user.id, token: user.token });
      }
      return { locationId, timeZone, serviceId, durationMin, price, specialists };
    },
    [],
  );
  await t.get(DomainEvents).emit('location.availability_changed', { locationId });
  return salon;
}

/** Another service at the salon, offered by all its specialists. */
export async function addService(
  t: TestApp,
  salon: SalonFixture,
  durationMin: number,
  price = 3000,
): Promise<number> {
  return write(
    t,
    async (ds) => {
      const row = await sql(
        ds,
        `INSERT INTO services (name, duration_min, price) VALUES (?, ?, ?) RETURNING id`,
        [`Svc ${durationMin}`, durationMin, price],
      );
      const serviceId = Number(row[0].id);
      for (const s of salon.specialists) {
        await sql(ds, `INSERT INTO specialist_services (specialist_id, service_id) VALUES (?, ?)`, [
          s.id,
          serviceId,
        ]);
      }
      return serviceId;
    },
    [salon.locationId],
  );
}

export async function setBusinessSettings(
  t: TestApp,
  settings: Partial<{
    minNoticeMin: number;
    horizonDays: number;
    cancellationCutoffMin: number;
    autoConfirm: boolean;
  }>,
): Promise<void> {
  const columns = {
    minNoticeMin: 'min_notice_min',
    horizonDays: 'horizon_days',
    cancellationCutoffMin: 'cancellation_cutoff_min',
    autoConfirm: 'auto_confirm',
  };
  await write(t, async (ds) => {
    for (const [key, value] of Object.entries(settings)) {
      await sql(ds, `UPDATE business_settings SET ${columns[key as keyof typeof columns]} = ? WHERE id = 1`, [
        typeof value === 'boolean' ? Number(value) : value,
      ]);
    }
  });
}

/** A client with a bearer token for the public web client. */
export async function clientWithToken(t: TestApp): Promise<{ id: number; token: string }> {
  return t.userWithToken('client');
}

export async function tokenFor(t: TestApp, userId: number): Promise<string> {
  return (await t.get(SessionsApi).issue(userId, 'api')).token;
}

export async function rows<T = any>(t: TestApp, text: string, params: unknown[] = []): Promise<T[]> {
  return sql(t.get(DataSource), text, params);
}

/** POST /api/v1/bookings at the salon's service with one of its specialists (the first by default). */
export function bookOver(t: TestApp, salon: SalonFixture, token: string, startAt: string, specialist = 0) {
  return t.request('POST', '/api/v1/bookings', {
    token,
    body: {
      locationId: salon.locationId,
      serviceId: salon.serviceId,
      specialistId: salon.specialists[specialist].id,
      startAt,
    },
  });
}
