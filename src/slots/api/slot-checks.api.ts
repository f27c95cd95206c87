/** What the booking lifecycle asks of the slots engine: is this start bookable, drop cached grids, and the lock. */
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
  | {
      ok: false;
      reason: 'closed' | 'booked' | 'too_soon' | 'beyond_horizon' | 'not_offered' | 'misaligned';
    };

export abstract class SlotChecks {
  /** Whether this exact start is bookable now (schedule, exceptions, live bookings, notice, horizon, DST); always read from the database, never from the cache. */
  abstract checkStart(check: StartCheck): Promise<StartCheckResult>;
  /** The location's local calendar date of an instant (the `localDate` of BookingLock.withLock); null for an unknown location. */
  abstract localDateOf(locationId: number, instant: Date): Promise<string | null>;
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
  /**
   * Runs fn under the lock. With `invalidates`, once fn has resolved (its write committed) the cached grids of
   * those locations are dropped (as by SlotChecks.invalidateLocation) before the lock is released, in the same
   * Redis round trip as the release; a failure there is logged, never thrown, since the write is committed.
   */
  abstract withLock<T>(
    locationId: number,
    localDate: string,
    fn: () => Promise<T>,
    options?: { invalidates?: number[] },
  ): Promise<T>;
}

/** Tunables of the booking lock; injectable and mutable so tests can force a tiny TTL or wait. */
export class BookingLockOptions {
  /** Lock lifetime: 30 s, long enough for any booking transaction, short enough that a crashed holder frees the day soon. */
  ttlMs = 30_000;
  /** How long a second request waits for the lock before running without it. */
  waitMs = 3_000;
  /** Base poll interval while waiting (plus up to as much jitter). */
  retryMs = 10;

  constructor(init: Partial<BookingLockOptions> = {}) {
    Object.assign(this, init);
  }
}
