/**
 * The port through which the slots engine reads the salon data: everything that decides whether a
 * specialist is free, for one location and a range of local dates, in a handful of indexed queries.
 * The slots engine declares it; BookingModule, which owns those tables, implements it and hands the
 * implementation over with `SlotsModule.withAvailability(...)`. No access control here: it is an internal
 * read model, the caller (SlotsApi) decides who may see what.
 */
export interface AvailabilityLocation {
  id: number;
  timeZone: string;
  active: boolean;
}

export interface AvailabilitySettings {
  minNoticeMin: number;
  horizonDays: number;
}

/** A service as a specialist offers it: their own duration and price where set, else the service's. */
export interface ServiceOffer {
  serviceId: number;
  specialistId: number;
  durationMin: number;
  price: number;
  /** The service's own active flag. */
  active: boolean;
}

export interface AvailabilitySpecialist {
  id: number;
  userId: number;
  name: string;
  /** Weekly intervals at this location, minutes after local midnight, end exclusive. */
  intervals: { weekday: number; startMin: number; endMin: number }[];
  services: ServiceOffer[];
}

export interface AvailabilityException {
  /** null: the whole location (a holiday or a short day). */
  specialistId: number | null;
  /** Local date YYYY-MM-DD. */
  date: string;
  kind: 'day_off' | 'custom_hours';
  startMin: number | null;
  endMin: number | null;
}

/** A pending or confirmed booking of one of the specialists, at any location. */
export interface LiveBooking {
  id: number;
  specialistId: number;
  startAt: Date;
  endAt: Date;
}

export interface AvailabilitySnapshot {
  location: AvailabilityLocation;
  settings: AvailabilitySettings;
  /** Active specialists linked to the location, by id. */
  specialists: AvailabilitySpecialist[];
  /** Exceptions at this location dated within the range. */
  exceptions: AvailabilityException[];
  /** Live bookings of those specialists overlapping the range (padded by a day each side for time zones). */
  bookings: LiveBooking[];
}

export interface ServiceAvailability {
  location: AvailabilityLocation;
  settings: AvailabilitySettings;
  service: { id: number; name: string; active: boolean; durationMin: number; price: number } | null;
  /** Offers of the service by active specialists linked to the location. */
  offers: ServiceOffer[];
}

export abstract class AvailabilityReader {
  /**
   * Everything for the local dates fromDate..toDate (inclusive); null when the location does not exist.
   * `specialistId` narrows it to that one specialist (none if not active and linked here): their hours, their
   * own and the location-wide exceptions, their offers and bookings; what a check of one start needs.
   */
  abstract read(
    locationId: number,
    fromDate: string,
    toDate: string,
    options?: { excludeBookingId?: number; specialistId?: number },
  ): Promise<AvailabilitySnapshot | null>;

  /** The location, the settings and who offers the service there; null when the location does not exist. */
  abstract serviceAt(locationId: number, serviceId: number): Promise<ServiceAvailability | null>;

  /** The location alone (time zone, active); null when it does not exist. */
  abstract location(locationId: number): Promise<AvailabilityLocation | null>;

  /** The location and every other location sharing a specialist with it (a booking anywhere blocks that specialist everywhere). */
  abstract linkedLocationIds(locationId: number): Promise<number[]>;
}
