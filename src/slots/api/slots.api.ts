/**
 * What the booking lifecycle asks of the slots engine. The REST-facing methods (grid of a
 * location-day, available starts, available days of a month) are added beside these by the
 * SlotsModule and mirror /api/v1/slots/*.
 */
export interface StartCheck {
  locationId: number;
  serviceId: number;
  specialistId: number;
  startAt: Date;
  /** When moving a booking, its own cells do not count as taken. */
  ignoreBookingId?: number;
}

export type StartCheckResult =
  | { ok: true; durationMin: number; price: number }
  | { ok: false; reason: 'closed' | 'booked' | 'too_soon' | 'beyond_horizon' | 'not_offered' | 'misaligned' };

export abstract class SlotsApi {
  /** Whether this exact start is bookable now (schedule, exceptions, live bookings, notice, horizon, DST). */
  abstract checkStart(check: StartCheck): Promise<StartCheckResult>;
  /** Drop every cached grid of the location (bumps slots:location:version:{id}); callers await it before returning. */
  abstract invalidateLocation(locationId: number): Promise<void>;
}

/**
 * Best-effort mutual exclusion around creating or moving a booking on one location-day
 * (`slots:lock:{locationId}:{date}`, 30 s TTL, owner token, compare-and-delete release).
 * It only reduces contention: when Redis is down or slow, `fn` still runs, and the database
 * transaction remains the guarantee against double booking.
 */
export abstract class BookingLock {
  abstract withLock<T>(locationId: number, localDate: string, fn: () => Promise<T>): Promise<T>;
}
