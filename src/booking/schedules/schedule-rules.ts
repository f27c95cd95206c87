/** The pure rules of weekly schedules and date exceptions; the service loads rows and turns verdicts into errors. */

const WEEKDAYS = ['', 'Mon', 'Tue', 'Wed', 'Thu', 'Fri', 'Sat', 'Sun'];

interface Span {
  startMin: number;
  endMin: number;
}

interface WeeklySpan extends Span {
  weekday: number;
}

/** Minutes after midnight as `HH:MM`. */
export function hhmm(min: number): string {
  return `${String(Math.floor(min / 60)).padStart(2, '0')}:${String(min % 60).padStart(2, '0')}`;
}

/** `Tue 09:00-12:00 at location 3` (the location only when given). */
export function describe(i: WeeklySpan & { locationId?: number }): string {
  const at = i.locationId === undefined ? '' : ` at location ${i.locationId}`;
  return `${WEEKDAYS[i.weekday]} ${hhmm(i.startMin)}-${hhmm(i.endMin)}${at}`;
}

/** Half-open spans overlap when each starts before the other ends; touching spans do not. */
export function overlaps(a: Span, b: Span): boolean {
  return a.startMin < b.endMin && b.startMin < a.endMin;
}

/** Order of a week: weekday, then start, then location. */
export function byWeekdayAndStart(
  a: WeeklySpan & { locationId?: number },
  b: WeeklySpan & { locationId?: number },
): number {
  return a.weekday - b.weekday || a.startMin - b.startMin || (a.locationId ?? 0) - (b.locationId ?? 0);
}

/** The first two intervals of one weekday that overlap, in a week sorted byWeekdayAndStart; null if none. */
export function firstOverlap<T extends WeeklySpan>(sorted: readonly T[]): [T, T] | null {
  for (let i = 1; i < sorted.length; i++) {
    if (sorted[i].weekday === sorted[i - 1].weekday && overlaps(sorted[i], sorted[i - 1])) {
      return [sorted[i - 1], sorted[i]];
    }
  }
  return null;
}

interface ExceptionShape {
  locationId: number;
  kind: string;
  startMin?: number | null;
  endMin?: number | null;
}

/**
 * Whether a wanted exception clashes with an existing one of the same person (or location) and date: a day off
 * shares its date at one location with nothing ('day_off'); custom hours must not overlap other custom hours,
 * at any location ('hours'); else null.
 */
export function exceptionClash(existing: ExceptionShape, wanted: ExceptionShape): 'day_off' | 'hours' | null {
  if (existing.locationId === wanted.locationId && (existing.kind === 'day_off' || wanted.kind === 'day_off'))
    return 'day_off';
  if (
    existing.kind === 'custom_hours' &&
    wanted.kind === 'custom_hours' &&
    overlaps(existing as Span, wanted as Span)
  )
    return 'hours';
  return null;
}
