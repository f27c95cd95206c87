import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DataSource } from 'typeorm';
import { ALL_MIGRATIONS } from '../../migrations';
import type { DatabaseConfig } from '../../src/config/app-config';
import { dataSourceOptions } from '../../src/infra/database/database.options';

/** The tables of the domain model (users, locations, services, specialists, schedules, bookings, settings, outbox); later migrations may add more, never remove these. */
const DOMAIN_TABLES = [
  'users',
  'locations',
  'services',
  'specialists',
  'specialist_locations',
  'specialist_services',
  'work_intervals',
  'schedule_exceptions',
  'bookings',
  'booking_status_history',
  'booking_claims',
  'outbox_events',
  'business_settings',
  'ad_templates',
  'notification_settings',
  'push_subscriptions',
  'audit_log',
];

/** The maintenance database, to create and drop the throwaway one (pg has no bundled types here, so TypeORM connects). */
const pgAdmin = () =>
  new DataSource({
    type: 'postgres',
    host: '127.0.0.1',
    port: 5432,
    username: 'postgres',
    database: 'postgres',
    connectTimeoutMS: 2000,
  });

async function userTables(ds: DataSource): Promise<string[]> {
  const rows: { name: string }[] =
    ds.options.type === 'postgres'
      ? await ds.query(`SELECT tablename AS name FROM pg_tables WHERE schemaname = 'public'`)
      : await ds.query(`SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%'`);
  return rows.map((r) => r.name).sort();
}

/** Up, all the way down, up again; the schema must exist, vanish and come back each time. */
async function roundTrip(db: DatabaseConfig): Promise<void> {
  const ds = new DataSource({ ...dataSourceOptions(db), logging: false });
  await ds.initialize();
  try {
    expect(await userTables(ds)).toEqual([]);

    const applied = await ds.runMigrations();
    expect(applied.map((m) => m.name)).toEqual(ALL_MIGRATIONS.map((m) => m.name));
    expect(await userTables(ds)).toEqual(expect.arrayContaining([...DOMAIN_TABLES, 'migrations']));
    expect(await ds.showMigrations()).toBe(false);

    for (let i = 0; i < ALL_MIGRATIONS.length; i++) await ds.undoLastMigration();
    // Only TypeORM's bookkeeping table may remain, and it must be empty.
    expect(await userTables(ds)).toEqual(['migrations']);
    expect(await ds.query('SELECT * FROM migrations')).toEqual([]);
    expect(await ds.showMigrations()).toBe(true);

    await ds.runMigrations();
    expect(await userTables(ds)).toEqual(expect.arrayContaining([...DOMAIN_TABLES, 'migrations']));
    // The re-created schema works: a row with its foreign keys goes in.
    await ds.query(
      `INSERT INTO users (name, role, language, blocked) VALUES ('a', 'admin', 'ru', ${db.type === 'postgres' ? 'false' : '0'})`,
    );
    expect(await ds.query('SELECT name FROM users')).toEqual([{ name: 'a' }]);
  } finally {
    await ds.destroy();
  }
}

async function connectPostgres(): Promise<DataSource | undefined> {
  const admin = pgAdmin();
  try {
    await admin.initialize();
    await admin.query('SELECT 1');
    return admin;
  } catch {
    if (admin.isInitialized) await admin.destroy();
    return undefined;
  }
}

describe('migrations', () => {
  it('SQLite: all up, all down, up again on an empty file', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'salon-migrations-'));
    try {
      await roundTrip({ type: 'better-sqlite3', path: join(dir, 'empty.db') });
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('PostgreSQL: all up, all down, up again on a fresh database', async () => {
    const admin = await connectPostgres();
    if (!admin) {
      console.warn(
        'migrations: PostgreSQL does not answer on 127.0.0.1:5432 (user postgres); PostgreSQL case skipped',
      );
      return;
    }
    const name = `salon_migrations_${randomBytes(6).toString('hex')}`;
    try {
      await admin.query(`CREATE DATABASE ${name}`);
      await roundTrip({ type: 'postgres', url: `postgres://postgres@127.0.0.1:5432/${name}` });
    } finally {
      await admin.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
      await admin.destroy();
    }
  });
});
