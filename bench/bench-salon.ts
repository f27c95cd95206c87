import type { INestApplication } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { UsersApi } from '../src/booking/api';
import { SYSTEM_ACTOR } from '../src/common/actor';

export interface BenchSalon {
  locationId: number;
  serviceId: number;
  specialistIds: number[];
}

/**
 * The in-process benches' salon: one location (Berlin), one service of `serviceMin` minutes, and
 * `specialists` specialists working there around the clock every day, written straight to the
 * database before the load starts. Bookings need no notice and may be a year ahead.
 */
export async function seedBenchSalon(
  app: INestApplication,
  options: {
    specialists: number;
    serviceMin: number;
    autoConfirm: boolean;
    specialistTgId?: (i: number) => number;
  },
): Promise<BenchSalon> {
  const ds = app.get(DataSource);
  const users = app.get(UsersApi);
  await ds.query(
    `UPDATE business_settings SET min_notice_min = 0, horizon_days = 400, auto_confirm = ? WHERE id = 1`,
    [options.autoConfirm ? 1 : 0],
  );
  const [location] = await ds.query(
    `INSERT INTO locations (name, address, time_zone) VALUES ('Bench', '', 'Europe/Berlin') RETURNING id`,
  );
  const [service] = await ds.query(
    `INSERT INTO services (name, duration_min, price) VALUES ('Cut', ?, 2500) RETURNING id`,
    [options.serviceMin],
  );
  const specialistIds: number[] = [];
  for (let i = 0; i < options.specialists; i++) {
    const user = await users.create(SYSTEM_ACTOR, {
      name: `Specialist ${i}`,
      role: 'specialist',
      ...(options.specialistTgId ? { tgId: options.specialistTgId(i) } : {}),
    });
    const [row] = await ds.query(`INSERT INTO specialists (user_id) VALUES (?) RETURNING id`, [user.id]);
    specialistIds.push(Number(row.id));
    await ds.query(`INSERT INTO specialist_locations (specialist_id, location_id) VALUES (?, ?)`, [
      row.id,
      location.id,
    ]);
    await ds.query(`INSERT INTO specialist_services (specialist_id, service_id) VALUES (?, ?)`, [
      row.id,
      service.id,
    ]);
    for (let weekday = 1; weekday <= 7; weekday++) {
      await ds.query(
        `INSERT INTO work_intervals (specialist_id, location_id, weekday, start_min, end_min) VALUES (?, ?, ?, 0, 1440)`,
        [row.id, location.id, weekday],
      );
    }
  }
  return { locationId: Number(location.id), serviceId: Number(service.id), specialistIds };
}
