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
import { queryRows, rowBool, rowInstant } from '../../infra/database/sql';
import { LIVE_STATUSES } from '../api/bookings.dto';

const HOUR_MS = 3_600_000;
const DAY_MS = 24 * HOUR_MS;
const LIVE: readonly string[] = LIVE_STATUSES;

/** Reads the availability inputs with plain SQL (a QueryBuilder costs ~0.4 ms to build, more than the query): a location-day or a month is about six indexed queries. */
@Injectable()
export class AvailabilityReaderService extends AvailabilityReader {
  constructor(@InjectDataSource() private readonly ds: DataSource) {
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
    const head = await this.locationAndSettings(locationId);
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
      for (const offer of await this.offers(locationId, undefined, specialistId))
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
    const head = await this.locationAndSettings(locationId);
    if (!head) return null;
    const [service] = await this.rows<{
      id: number;
      name: string;
      active: unknown;
      duration_min: number;
      price: number;
    }>(`SELECT id, name, active, duration_min, price FROM services WHERE id = :serviceId`, { serviceId });
    return {
      ...head,
      service: service
        ? {
            id: Number(service.id),
            name: service.name,
            active: rowBool(service.active),
            durationMin: Number(service.duration_min),
            price: Number(service.price),
          }
        : null,
      offers: service ? await this.offers(locationId, serviceId) : [],
    };
  }

  async location(locationId: number): Promise<AvailabilityLocation | null> {
    return (await this.locationAndSettings(locationId))?.location ?? null;
  }

  async linkedLocationIds(locationId: number): Promise<number[]> {
    const rows = await this.rows<{ location_id: number }>(
      `SELECT DISTINCT other.location_id FROM specialist_locations sl
         JOIN specialist_locations other ON other.specialist_id = sl.specialist_id
        WHERE sl.location_id = :locationId`,
      { locationId },
    );
    return [...new Set([locationId, ...rows.map((r) => Number(r.location_id))])];
  }

  private async locationAndSettings(
    locationId: number,
  ): Promise<{ location: AvailabilityLocation; settings: AvailabilitySettings } | null> {
    const [row] = await this.rows<{
      id: number;
      time_zone: string;
      active: unknown;
      min_notice_min: number | null;
      horizon_days: number | null;
    }>(
      `SELECT l.id, l.time_zone, l.active, b.min_notice_min, b.horizon_days
         FROM locations l LEFT JOIN business_settings b ON b.id = 1
        WHERE l.id = :locationId`,
      { locationId },
    );
    if (!row) return null;
    return {
      location: { id: Number(row.id), timeZone: row.time_zone, active: rowBool(row.active) },
      // The migration seeds row 1; the defaults only matter if someone deleted it.
      settings: {
        minNoticeMin: Number(row.min_notice_min ?? 60),
        horizonDays: Number(row.horizon_days ?? 60),
      },
    };
  }

  /** Offers by active specialists linked to the location, of one service or of all, by one specialist or by all. */
  private async offers(
    locationId: number,
    serviceId: number | undefined,
    specialistId?: number,
  ): Promise<ServiceOffer[]> {
    const rows = await this.rows<{
      specialist_id: number;
      service_id: number;
      duration_min: number;
      price: number;
      active: unknown;
    }>(
      `SELECT ss.specialist_id, ss.service_id,
              COALESCE(ss.duration_min, sv.duration_min) AS duration_min,
              COALESCE(ss.price, sv.price) AS price, sv.active
         FROM specialist_services ss
         JOIN services sv ON sv.id = ss.service_id
         JOIN specialist_locations sl ON sl.specialist_id = ss.specialist_id AND sl.location_id = :locationId
         JOIN specialists s ON s.id = ss.specialist_id AND s.active = :active
        WHERE ${serviceId === undefined ? '1 = 1' : 'ss.service_id = :serviceId'}
              ${specialistId === undefined ? '' : 'AND ss.specialist_id = :specialistId'}
        ORDER BY ss.specialist_id`,
      { locationId, active: true, serviceId, specialistId },
    );
    return rows.map((r) => ({
      specialistId: Number(r.specialist_id),
      serviceId: Number(r.service_id),
      durationMin: Number(r.duration_min),
      price: Number(r.price),
      active: rowBool(r.active),
    }));
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
