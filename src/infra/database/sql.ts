/**
 * The data-access toolkit; the rule for all database code in the app:
 * - Entities and repositories (TypeORM) for ordinary reads and writes.
 * - Raw SQL, where a query builder costs more than the query (hot paths, set-wise updates), only through
 *   `queryRows` and `insertRows` below: `:name` / `:...list` parameters bound natively by the driver, never
 *   values spliced into the text, so one SQL text is one cached statement on SQLite and on PostgreSQL.
 * - Values in raw rows read back only through `rowBool` and `rowInstant` below (SQLite answers 0/1 and
 *   'YYYY-MM-DD HH:MM:SS.SSS' text, PostgreSQL booleans and Dates); numbers through `Number()`.
 * - Constraint errors are read through constraints.ts; transactions are UnitOfWork.run (unit-of-work.ts).
 * - Domain lists stay with their module's contract (e.g. LIVE_STATUSES in booking/api/bookings.dto.ts),
 *   never a copy in SQL text: pass them as a `:...list` parameter.
 * The SQL itself stays portable between SQLite and PostgreSQL (no dialect-only functions).
 */
import type { DataSource, EntityManager } from 'typeorm';

/** Runs one statement with `:name` parameters bound natively on either driver (integers too on SQLite: see sqlite-parameters.ts). */
export async function queryRows<T = Record<string, unknown>>(
  db: EntityManager | DataSource,
  sql: string,
  params: Record<string, unknown> = {},
): Promise<T[]> {
  const driver = 'driver' in db ? db.driver : db.connection.driver;
  const [native, values] = driver.escapeQueryWithParameters(sql, params, {});
  return db.query(native, values);
}

/**
 * A multi-row INSERT with bound parameters in the driver's native form (`?` on SQLite, `$n` on
 * PostgreSQL, Dates in TypeORM's storage format). The hot booking path uses it instead of
 * em.insert(), which re-reads defaulted columns and inlines some values, defeating the statement cache.
 */
export async function insertRows(
  em: EntityManager,
  table: string,
  rows: Record<string, unknown>[],
  returning?: string,
): Promise<Record<string, unknown>[]> {
  const columns = Object.keys(rows[0]);
  const params: Record<string, unknown> = {};
  const tuples = rows.map(
    (row, r) =>
      `(${columns
        .map((column) => {
          const key = `r${r}_${column}`;
          params[key] = row[column];
          return `:${key}`;
        })
        .join(', ')})`,
  );
  const sql = `INSERT INTO ${table} (${columns.join(', ')}) VALUES ${tuples.join(', ')}${returning ? ` RETURNING ${returning}` : ''}`;
  const [native, values] = em.connection.driver.escapeQueryWithParameters(sql, params, {});
  const result = await em.query(native, values);
  return Array.isArray(result) ? result : [];
}

/** A boolean column of a raw row: SQLite answers 0/1, PostgreSQL true/false ('t'/'f' as text). */
export const rowBool = (value: unknown): boolean =>
  value === true || value === 1 || value === '1' || value === 't';

const dayStarts = new Map<string, number>();

/** 'YYYY-MM-DD HH:MM:SS[.SSS]' (UTC, how TypeORM stores a datetime in SQLite) to epoch ms. */
function sqliteUtcMs(text: string): number {
  if (text.length < 19 || text.charCodeAt(10) !== 32) {
    const iso = text.replace(' ', 'T');
    return Date.parse(/(Z|[+-]\d\d:?\d\d)$/i.test(iso) ? iso : `${iso}Z`);
  }
  // A month of bookings is thousands of these, and Date parsing dominated the read: days are cached.
  const day = text.slice(0, 10);
  let base = dayStarts.get(day);
  if (base === undefined) {
    base = Date.parse(`${day}T00:00:00Z`);
    if (dayStarts.size > 10_000) dayStarts.clear();
    dayStarts.set(day, base);
  }
  const digit = (i: number) => text.charCodeAt(i) - 48;
  const hours = digit(11) * 10 + digit(12);
  const minutes = digit(14) * 10 + digit(15);
  const seconds = digit(17) * 10 + digit(18);
  const millis = text.length >= 23 ? digit(20) * 100 + digit(21) * 10 + digit(22) : 0;
  return base + ((hours * 60 + minutes) * 60 + seconds) * 1000 + millis;
}

/** A datetime column of a raw row: SQLite answers UTC text, PostgreSQL a Date. */
export const rowInstant = (value: unknown): Date =>
  value instanceof Date ? value : new Date(sqliteUtcMs(String(value)));
