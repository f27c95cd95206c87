import type { DataSource, ObjectLiteral } from 'typeorm';

type Escape = (
  sql: string,
  parameters: ObjectLiteral,
  nativeParameters: ObjectLiteral,
) => [string, unknown[]];

/**
 * TypeORM's SQLite drivers write every number parameter into the SQL text (`WHERE "id" = 42`), because
 * better-sqlite3 binds a JS number as REAL, and a REAL stored in a TEXT column reads back as '7.0'.
 * The price is that a query by id has new SQL text for every id: it misses the statement cache, is
 * prepared again, and leaves a native statement for the garbage collector. Finalizing thousands of those
 * in one major GC paused the process for 26-51 ms (bench/webhook, measured with perf).
 *
 * Integers are bound as BigInt instead, which SQLite receives as INTEGER: what the inlined literal was,
 * so stored and compared values are unchanged, while the SQL text stays the same for every id.
 * Fractional numbers are left to TypeORM (inlined, as before). PostgreSQL binds numbers natively already.
 */
export function bindIntegerParameters<T extends DataSource>(dataSource: T): T {
  if (dataSource.options.type !== 'better-sqlite3') return dataSource;
  const driver = dataSource.driver as unknown as { escapeQueryWithParameters: Escape };
  const escape = driver.escapeQueryWithParameters.bind(driver);
  driver.escapeQueryWithParameters = (sql, parameters, nativeParameters) =>
    escape(sql, asIntegers(parameters), asIntegers(nativeParameters));
  return dataSource;
}

const integer = (value: unknown): unknown =>
  typeof value === 'number' && Number.isSafeInteger(value) ? BigInt(value) : value;

function asIntegers(parameters: ObjectLiteral | undefined): ObjectLiteral {
  if (!parameters) return {};
  const out: ObjectLiteral = {};
  for (const key of Object.keys(parameters)) {
    const value: unknown = parameters[key];
    out[key] = Array.isArray(value) ? value.map(integer) : integer(value);
  }
  return out;
}
