import { createRequire } from 'node:module';

/** The parts of node-postgres (it ships no types here) that decide how `timestamp` values travel. */
interface NodePostgres {
  defaults: { parseInputDatesAsUTC: boolean };
  types: { getTypeParser(oid: number, format?: string): (text: string) => unknown };
}

/** `timestamp` (without time zone), the type of every time column on PostgreSQL (see the migrations). */
const TIMESTAMP_OID = 1114;

const parseUtc = (text: string): Date => new Date(`${text.replace(' ', 'T')}Z`);

/**
 * Pool settings that make PostgreSQL's `timestamp` columns hold UTC, as SQLite's do, whatever the process's
 * time zone. By default node-postgres writes a Date as the process's wall clock (the column drops the offset)
 * and reads it back as such, while CURRENT_TIMESTAMP defaults follow the server's TimeZone: off by hours when
 * the two differ, and two instants of the hour a DST change repeats collapse into one.
 * Dates are sent as UTC (a driver-wide switch, as TypeORM's parseInt8 is), sessions run in UTC, and
 * `timestamp` values are parsed as UTC.
 */
export function utcTimestampsExtra(): Record<string, unknown> {
  const pg = createRequire(__filename)('pg') as NodePostgres;
  pg.defaults.parseInputDatesAsUTC = true;
  return {
    options: '-c TimeZone=UTC',
    types: {
      getTypeParser: (oid: number, format?: string) =>
        oid === TIMESTAMP_OID && format !== 'binary' ? parseUtc : pg.types.getTypeParser(oid, format),
    },
  };
}
