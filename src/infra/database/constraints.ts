import { QueryFailedError } from 'typeorm';

/** Which kind of constraint the database enforced; every caller reads driver error codes through this one table. */
export type ConstraintKind = 'not_null' | 'unique' | 'foreign_key' | 'out_of_range';

/** PostgreSQL SQLSTATEs and better-sqlite3 codes, by kind (a PRIMARY KEY clash is a uniqueness clash). */
const KIND_BY_CODE: Readonly<Record<string, ConstraintKind>> = {
  '23502': 'not_null',
  SQLITE_CONSTRAINT_NOTNULL: 'not_null',
  '23505': 'unique',
  SQLITE_CONSTRAINT_UNIQUE: 'unique',
  SQLITE_CONSTRAINT_PRIMARYKEY: 'unique',
  '23503': 'foreign_key',
  SQLITE_CONSTRAINT_FOREIGNKEY: 'foreign_key',
  '23514': 'out_of_range',
  SQLITE_CONSTRAINT_CHECK: 'out_of_range',
  '22003': 'out_of_range',
  '22P02': 'out_of_range',
  SQLITE_MISMATCH: 'out_of_range',
};

interface DriverError {
  code?: string;
  column?: string;
  message?: string;
}

/** The driver's own error behind a failed query (code, column, message); undefined for any other error. */
export function driverErrorOf(err: unknown): DriverError | undefined {
  if (!(err instanceof QueryFailedError)) return undefined;
  return (err as QueryFailedError & { driverError?: DriverError }).driverError ?? {};
}

/** The constraint a failed query ran into, if it was one. */
export function constraintKind(err: unknown): ConstraintKind | undefined {
  const code = driverErrorOf(err)?.code;
  return code === undefined ? undefined : KIND_BY_CODE[code];
}

/** True when the database rejected a row because of a UNIQUE or PRIMARY KEY constraint. */
export const isUniqueViolation = (err: unknown): boolean => constraintKind(err) === 'unique';

/** True when a FOREIGN KEY constraint rejected the change (e.g. deleting a row still referenced). */
export const isForeignKeyViolation = (err: unknown): boolean => constraintKind(err) === 'foreign_key';
