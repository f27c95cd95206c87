import { DateTime } from 'luxon';

/** The UTC instants a local calendar date spans in a zone (23 or 25 hours on clock-change days). */
export function dayBounds(date: string, timeZone: string): { from: string; to: string } {
  const start = DateTime.fromISO(date, { zone: timeZone }).startOf('day');
  return { from: start.toUTC().toISO()!, to: start.plus({ days: 1 }).toUTC().toISO()! };
}
