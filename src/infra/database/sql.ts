import type { DataSource, EntityManager } from 'typeorm';

/** Binds `:name` parameters natively on either driver (integers too on SQLite: see sqlite-parameters.ts). */
export async function queryRows<T = Record<string, unknown>>(
  db: EntityManager | DataSource,
  sql: string,
  params: Record<string, unknown>,
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
