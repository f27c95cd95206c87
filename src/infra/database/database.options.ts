import { mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import type { DataSourceOptions } from 'typeorm';
import { ALL_MIGRATIONS } from '../../../migrations';
import type { DatabaseConfig } from '../../config/app-config';
import { utcTimestampsExtra } from './postgres-utc';

/** The part of better-sqlite3's connection prepareDatabase uses. */
interface SqliteConnection {
  pragma(sql: string): unknown;
  function(name: string, options: { deterministic: boolean }, fn: (value: unknown) => unknown): unknown;
}

/** Connection options shared by the app and the migration CLI; schema only ever changes through migrations. */
export function dataSourceOptions(db: DatabaseConfig): DataSourceOptions {
  const common = {
    synchronize: false,
    migrations: ALL_MIGRATIONS,
    migrationsTransactionMode: 'each' as const,
  };
  if (db.type === 'postgres') {
    // COUNT(*) and BIGINT columns (Telegram ids) come back as numbers, as on SQLite; all stay below 2^53.
    // Timestamps are UTC in the database, whatever the process's time zone (see postgres-utc.ts).
    return { type: 'postgres', url: db.url, parseInt8: true, extra: utcTimestampsExtra(), ...common };
  }
  if (db.path !== ':memory:') mkdirSync(dirname(db.path), { recursive: true });
  return {
    type: 'better-sqlite3',
    database: db.path,
    enableWAL: true,
    timeout: 5000,
    // Statements are cached per SQL text, first in first out: room for every query the app has, so a hot
    // one is not evicted and prepared again by a burst of rarer ones.
    statementCacheSize: 1000,
    prepareDatabase: (conn: SqliteConnection) => {
      conn.pragma('busy_timeout = 5000');
      conn.pragma('synchronous = NORMAL');
      conn.pragma('foreign_keys = ON');
      // SQLite's LOWER() folds ASCII only; PostgreSQL's folds every alphabet. One behaviour on both (a search
      // for "анна" finds "Анна"): LOWER() here is JavaScript's, which folds as PostgreSQL does.
      conn.function('lower', { deterministic: true }, (value: unknown) =>
        value === null ? null : String(value).toLowerCase(),
      );
    },
    ...common,
  };
}
