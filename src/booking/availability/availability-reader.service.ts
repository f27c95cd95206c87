import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import {
  AvailabilityException,
  AvailabilityLocation,
  AvailabilityReader,
  AvailabilitySettings,
  AvailabilitySnapshot,
  AvailabilitySpecialist,
  LiveBooking,
  ServiceAvailability,
  ServiceOffer,
} from '../../slots/api';
import { queryRows, rowInstant } from '../../infra/database/sql';
import { LIVE_STATUSES } from '../api/bookings.dto';
import { CatalogCache, CatalogSnapshot } from '../catalog/catalog-cache';

const HOUR_MS = 3_600_000;
const DAY_MS = 24 * HOUR_MS;
const LIVE: readonly string[] = LIVE_STATUSES;

/**
 * Reads the availability inputs: the catalog part (location, settings, offers) from the CatalogCache, the rest
 * with plain SQL (a QueryBuilder costs ~0.4 ms to build, more than the query): a location-day or a month is
 * four indexed queries.
 */
@Injectable()
export class AvailabilityReaderService extends AvailabilityReader {
  constructor(
    @InjectDataSource() private readonly ds: DataSource,
    private readonly catalog: CatalogCache,
  ) {
    super();
  }

  private rows<T>(sql: string, params: Record<string, unknown>): Promise<T[]> {
    return queryRows<T>(this.ds, sql, params);
  }

  async read(
    locationId: number,
    fromDate: string,
    toDate: string,
    options: { excludeBookingId?: number; specialistId?: number } = {},
  ): Promise<AvailabilitySnapshot | null> {
    const catalog = await this.catalog.snapshot();
    const head = locationAndSettings(catalog, locationId);
    if (!head) return null;
    const { specialistId } = options;
    const onlyOne = specialistId === undefined ? '' : 'AND s.id = :specialistId';

    const specialistRows = await this.rows<{ id: number; user_id: number; name: string }>(
      `SELECT s.id, s.user_id, u.name FROM specialist_locations sl
         JOIN specialists s ON s.id = sl.specialist_id
         JOIN users u ON u.id = s.user_id
        WHERE sl.location_id = :locationId AND s.active = :active ${onlyOne}
        ORDER BY s.id`,
      { locationId, active: true, specialistId },
    );
    const specialists = new Map<number, AvailabilitySpecialist>(
      specialistRows.map((r) => [
        Number(r.id),
        { id: Number(r.id), userId: Number(r.user_id), name: r.name, intervals: [], services: [] },
      ]),
    );

    const intervals = await this.rows<{
      specialist_id: number;
      weekday: number;
      start_min: number;
      end_min: number;
    }>(
      `SELECT specialist_id, weekday, start_min, end_min FROM work_intervals
        WHERE location_id = :locationId ${specialistId === undefined ? '' : 'AND specialist_id = :specialistId'}`,
      { locationId, specialistId },
    );
    for (const i of intervals) {
      specialists.get(Number(i.specialist_id))?.intervals.push({
        weekday: Number(i.weekday),
        startMin: Number(i.start_min),
        endMin: Number(i.end_min),
      });
    }

    const exceptions = (
      await this.rows<{
        specialist_id: number | null;
        date: string;
        kind: 'day_off' | 'custom_hours';
        start_min: number | null;
        end_min: number | null;
      }>(
        `SELECT specialist_id, date, kind, start_min, end_min FROM schedule_exceptions
          WHERE location_id = :locationId AND date >= :fromDate AND date <= :toDate
            ${specialistId === undefined ? '' : 'AND (specialist_id IS NULL OR specialist_id = :specialistId)'}`,
        { locationId, fromDate, toDate, specialistId },
      )
    ).map((e): AvailabilityException => ({
      specialistId: e.specialist_id === null ? null : Number(e.specialist_id),
      date: e.date,
      kind: e.kind,
      startMin: e.start_min === null ? null : Number(e.start_min),
      endMin: e.end_min === null ? null : Number(e.end_min),
    }));

    const ids = [...specialists.keys()];
    if (ids.length > 0) {
      for (const offer of offers(catalog, locationId, undefined, specialistId))
        specialists.get(offer.specialistId)?.services.push(offer);
    }
    const bookings =
      ids.length > 0 ? await this.liveBookings(ids, fromDate, toDate, options.excludeBookingId) : [];

    return {
      location: head.location,
      settings: head.settings,
      specialists: [...specialists.values()],
      exceptions,
      bookings,
    };
  }

  async serviceAt(locationId: number, serviceId: number): Promise<ServiceAvailability | null> {
    const catalog = await this.catalog.snapshot();
    const head = locationAndSettings(catalog, locationId);
    if (!head) return null;
    const service = catalog.services.get(serviceId);
    return {
      ...head,
      service: service
        ? {
            id: service.id,
            name: service.name,
            active: service.active,
            durationMin: service.durationMin,
            price: service.price,
          }
        : null,
      offers: service ? offers(catalog, locationId, serviceId) : [],
    };
  }

  async location(locationId: number): Promise<AvailabilityLocation | null> {
    return locationAndSettings(await this.catalog.snapshot(), locationId)?.location ?? null;
  }

  async linkedLocationIds(locationId: number): Promise<number[]> {
    const linked = new Set([locationId]);
    for (const specialist of (await this.catalog.snapshot()).specialists.values()) {
      if (specialist.locationIds.includes(locationId))
        for (const id of specialist.locationIds) linked.add(id);
    }
    return [...linked];
  }

  private async liveBookings(
    specialistIds: number[],
    fromDate: string,
    toDate: string,
    excludeBookingId: number | undefined,
  ): Promise<LiveBooking[]> {
    // A local day lies within [UTC midnight - 14 h, UTC midnight + 36 h) in every zone (offsets run from -12 h to +14 h).
    const from = new Date(Date.parse(`${fromDate}T00:00:00Z`) - 14 * HOUR_MS);
    const to = new Date(Date.parse(`${toDate}T00:00:00Z`) + 36 * HOUR_MS);
    // No booking is longer than a day, so the lower bound on start_at bounds the scan. Status and end are filtered here:
    // in SQL they tempt SQLite into the (status, end_at) index, which scans every future booking.
    const rows = await this.rows<{
      id: number;
      specialist_id: number;
      start_at: unknown;
      end_at: unknown;
      status: string;
    }>(
      `SELECT id, specialist_id, start_at, end_at, status FROM bookings
        WHERE specialist_id IN (:...specialistIds) AND start_at >= :earliest AND start_at < :to`,
      { specialistIds, earliest: new Date(from.getTime() - DAY_MS), to },
    );
    const live: LiveBooking[] = [];
    for (const r of rows) {
      if (!LIVE.includes(r.status) || Number(r.id) === excludeBookingId) continue;
      const endAt = rowInstant(r.end_at);
      if (endAt <= from) continue;
      live.push({
        id: Number(r.id),
        specialistId: Number(r.specialist_id),
        startAt: rowInstant(r.start_at),
        endAt,
      });
    }
    return live;
  }
}

function locationAndSettings(
  catalog: CatalogSnapshot,
  locationId: number,
): { location: AvailabilityLocation; settings: AvailabilitySettings } | null {
  const location = catalog.locations.get(locationId);
  if (!location) return null;
  return {
    location: { id: location.id, timeZone: location.timeZone, active: location.active },
    // The migration seeds the settings row; the defaults only matter if someone deleted it.
    settings: {
      minNoticeMin: catalog.settings?.minNoticeMin ?? 60,
      horizonDays: catalog.settings?.horizonDays ?? 60,
    },
  };
}

/** Offers by active specialists linked to the location, of one service or of all, by one specialist or by all. */
function offers(
  catalog: CatalogSnapshot,
  locationId: number,
  serviceId: number | undefined,
  specialistId?: number,
): ServiceOffer[] {
  const out: ServiceOffer[] = [];
  for (const specialist of catalog.specialists.values()) {
    if (!specialist.active || !specialist.locationIds.includes(locationId)) continue;
    if (specialistId !== undefined && specialist.id !== specialistId) continue;
    for (const link of specialist.services) {
      const service = catalog.services.get(link.serviceId);
      if (!service || (serviceId !== undefined && link.serviceId !== serviceId)) continue;
      out.push({
        specialistId: specialist.id,
        serviceId: service.id,
        durationMin: link.durationMin ?? service.durationMin,
        price: link.price ?? service.price,
        active: service.active,
      });
    }
  }
  return out;
}
