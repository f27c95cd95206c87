import { createHash } from 'node:crypto';
import { DataSource, EntityManager } from 'typeorm';
import { dataSourceOptions } from '../../src/infra/database/database.options';

/** The database the tests' apps run on: SQLite files by default, PostgreSQL with TEST_DATABASE=pg. */
export const ON_POSTGRES = process.env.TEST_DATABASE === 'pg';

const PG_SERVER = process.env.TEST_PG_URL ?? 'postgres://postgres@127.0.0.1:5432';

let admin: Promise<DataSource> | undefined;
const created = new Set<string>();

/** The maintenance database, to create and drop the throwaway ones. */
function adminConnection(): Promise<DataSource> {
  admin ??= new DataSource({
    type: 'postgres',
    url: `${PG_SERVER}/postgres`,
    connectTimeoutMS: 5000,
  }).initialize();
  return admin;
}

function databaseName(sqlitePath: string): string {
  return `salon_test_${createHash('sha256').update(sqlitePath).digest('hex').slice(0, 20)}`;
}

/**
 * The app's database settings for a test that would use the SQLite file `sqlitePath`. On PostgreSQL it is a
 * database named after that path, created on first use: apps started in a row on one path (a restart) share it.
 */
export async function databaseEnv(sqlitePath: string): Promise<Record<string, string>> {
  if (!ON_POSTGRES) return { SQLITE_PATH: sqlitePath };
  const name = databaseName(sqlitePath);
  if (!created.has(name)) {
    const ds = await adminConnection();
    await ds.query(`CREATE DATABASE ${name}`);
    // As SQLite's synchronous=NORMAL: a commit does not wait for the disk (the tests' data is thrown away).
    await ds.query(`ALTER DATABASE ${name} SET synchronous_commit = off`);
    created.add(name);
  }
  return { DATABASE_URL: `${PG_SERVER}/${name}` };
}

/** Drops the PostgreSQL database made for `sqlitePath` (connections still open, e.g. of a killed app, too). */
export async function dropDatabase(sqlitePath: string): Promise<void> {
  const name = databaseName(sqlitePath);
  if (!created.delete(name)) return;
  await (await adminConnection()).query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
}

/** Drops every database this test file made and closes the maintenance connection (run after all tests). */
export async function dropAllDatabases(): Promise<void> {
  if (!admin) return;
  const ds = await admin;
  for (const name of created) await ds.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
  created.clear();
  admin = undefined;
  await ds.destroy();
}

/** Runs SQL (with `:name` parameters) on the database an app of this test used, SQLite file or PostgreSQL. */
export async function queryDatabase<T = Record<string, unknown>>(
  sqlitePath: string,
  sql: string,
  params: Record<string, unknown> = {},
): Promise<T[]> {
  const ds = ON_POSTGRES
    ? new DataSource(
        dataSourceOptions({ type: 'postgres', url: (await databaseEnv(sqlitePath)).DATABASE_URL }),
      )
    : new DataSource({ type: 'better-sqlite3', database: sqlitePath, readonly: true });
  await ds.initialize();
  try {
    const [native, values] = ds.driver.escapeQueryWithParameters(sql, params, {});
    return await ds.query(native, values);
  } finally {
    await ds.destroy();
  }
}

/** Test SQL with `?` placeholders on either driver (PostgreSQL numbers them `$1`, `$2`, ...). */
export function sql<T = any>(
  db: DataSource | EntityManager,
  text: string,
  params: unknown[] = [],
): Promise<T[]> {
  const type = ('driver' in db ? db.driver : db.connection.driver).options.type;
  let n = 0;
  return db.query(type === 'postgres' ? text.replace(/\?/g, () => `$${++n}`) : text, params);
}
