import { DateTime } from 'luxon';

/** The local calendar date (YYYY-MM-DD) of an instant in an IANA zone; the UTC date if the zone is unknown. */
export function localDateOf(instant: Date | number | string, zone: string): string {
  const ms = typeof instant === 'number' ? instant : new Date(instant).getTime();
  return DateTime.fromMillis(ms, { zone }).toISODate() ?? new Date(ms).toISOString().slice(0, 10);
}
