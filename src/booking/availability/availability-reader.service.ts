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
} from '../api/availability.api';
import { BookingEntity } from '../entities/booking.entity';
import { BusinessSettingsEntity } from '../entities/business-settings.entity';
import { LocationEntity } from '../entities/location.entity';
import { ScheduleExceptionEntity, WorkIntervalEntity } from '../entities/schedule.entity';
import { ServiceEntity } from '../entities/service.entity';
import { SpecialistEntity, SpecialistLocationEntity, SpecialistServiceEntity } from '../entities/specialist.entity';
import { UserEntity } from '../entities/user.entity';

const DAY_MS = 86_400_000;
const LIVE = ['pending', 'confirmed'];

/** SQLite hands back booleans as 0/1 and datetimes as 'YYYY-MM-DD HH:MM:SS.SSS' (UTC); PostgreSQL as native values. */
const bool = (v: unknown) => v === true || v === 1 || v === '1' || v === 't';
const instant = (v: unknown) => (v instanceof Date ? v : new Date(`${String(v).replace(' ', 'T')}Z`));

/** Reads the availability inputs with raw selects (no entity hydration): a location-day or a month is about six indexed queries. */
@Injectable()
export class AvailabilityReaderService extends AvailabilityReader {
  constructor(@InjectDataSource() private readonly ds: DataSource) {
    super();
  }

  async read(
    locationId: number,
    fromDate: string,
    toDate: string,
    options: { excludeBookingId?: number } = {},
  ): Promise<AvailabilitySnapshot | null> {
    const head = await this.locationAndSettings(locationId);
    if (!head) return null;

    const specialistRows = await this.ds
      .createQueryBuilder()
      .select('s.id', 'id')
      .addSelect('s.userId', 'userId')
      .addSelect('u.name', 'name')
      .from(SpecialistLocationEntity, 'sl')
      .innerJoin(SpecialistEntity, 's', 's.id = sl.specialistId')
      .innerJoin(UserEntity, 'u', 'u.id = s.userId')
      .where('sl.locationId = :locationId', { locationId })
      .andWhere('s.active = :active', { active: true })
      .orderBy('s.id', 'ASC')
      .getRawMany<{ id: number; userId: number; name: string }>();
    const specialists = new Map<number, AvailabilitySpecialist>(
      specialistRows.map((r) => [Number(r.id), { id: Number(r.id), userId: Number(r.userId), name: r.name, intervals: [], services: [] }]),
    );

    const intervals = await this.ds
      .createQueryBuilder()
      .select('w.specialistId', 'specialistId')
      .addSelect('w.weekday', 'weekday')
      .addSelect('w.startMin', 'startMin')
      .addSelect('w.endMin', 'endMin')
      .from(WorkIntervalEntity, 'w')
      .where('w.locationId = :locationId', { locationId })
      .getRawMany<{ specialistId: number; weekday: number; startMin: number; endMin: number }>();
    for (const i of intervals) {
      specialists.get(Number(i.specialistId))?.intervals.push({
        weekday: Number(i.weekday),
        startMin: Number(i.startMin),
        endMin: Number(i.endMin),
      });
    }

    const exceptions = (
      await this.ds
        .createQueryBuilder()
        .select('e.specialistId', 'specialistId')
        .addSelect('e.date', 'date')
        .addSelect('e.kind', 'kind')
        .addSelect('e.startMin', 'startMin')
        .addSelect('e.endMin', 'endMin')
        .from(ScheduleExceptionEntity, 'e')
        .where('e.locationId = :locationId', { locationId })
        .andWhere('e.date >= :fromDate AND e.date <= :toDate', { fromDate, toDate })
        .getRawMany<AvailabilityException>()
    ).map(
      (e): AvailabilityException => ({
        specialistId: e.specialistId === null ? null : Number(e.specialistId),
        date: e.date,
        kind: e.kind,
        startMin: e.startMin === null ? null : Number(e.startMin),
        endMin: e.endMin === null ? null : Number(e.endMin),
      }),
    );

    const ids = [...specialists.keys()];
    if (ids.length > 0) {
      for (const offer of await this.offers(locationId, undefined)) specialists.get(offer.specialistId)?.services.push(offer);
    }
    const bookings = ids.length > 0 ? await this.liveBookings(ids, fromDate, toDate, options.excludeBookingId) : [];

    return { location: head.location, settings: head.settings, specialists: [...specialists.values()], exceptions, bookings };
  }

  async serviceAt(locationId: number, serviceId: number): Promise<ServiceAvailability | null> {
    const head = await this.locationAndSettings(locationId);
    if (!head) return null;
    const service = await this.ds
      .createQueryBuilder()
      .select('sv.id', 'id')
      .addSelect('sv.name', 'name')
      .addSelect('sv.active', 'active')
      .addSelect('sv.durationMin', 'durationMin')
      .addSelect('sv.price', 'price')
      .from(ServiceEntity, 'sv')
      .where('sv.id = :serviceId', { serviceId })
      .getRawOne<{ id: number; name: string; active: unknown; durationMin: number; price: number }>();
    return {
      ...head,
      service: service
        ? {
            id: Number(service.id),
            name: service.name,
            active: bool(service.active),
            durationMin: Number(service.durationMin),
            price: Number(service.price),
          }
        : null,
      offers: service ? await this.offers(locationId, serviceId) : [],
    };
  }

  async linkedLocationIds(locationId: number): Promise<number[]> {
    const rows = await this.ds
      .createQueryBuilder()
      .select('DISTINCT other.locationId', 'locationId')
      .from(SpecialistLocationEntity, 'sl')
      .innerJoin(SpecialistLocationEntity, 'other', 'other.specialistId = sl.specialistId')
      .where('sl.locationId = :locationId', { locationId })
      .getRawMany<{ locationId: number }>();
    return [...new Set([locationId, ...rows.map((r) => Number(r.locationId))])];
  }

  private async locationAndSettings(
    locationId: number,
  ): Promise<{ location: AvailabilityLocation; settings: AvailabilitySettings } | null> {
    const row = await this.ds
      .createQueryBuilder()
      .select('l.id', 'id')
      .addSelect('l.timeZone', 'timeZone')
      .addSelect('l.active', 'active')
      .addSelect('b.minNoticeMin', 'minNoticeMin')
      .addSelect('b.horizonDays', 'horizonDays')
      .from(LocationEntity, 'l')
      .leftJoin(BusinessSettingsEntity, 'b', 'b.id = 1')
      .where('l.id = :locationId', { locationId })
      .getRawOne<{ id: number; timeZone: string; active: unknown; minNoticeMin: number | null; horizonDays: number | null }>();
    if (!row) return null;
    return {
      location: { id: Number(row.id), timeZone: row.timeZone, active: bool(row.active) },
      // The migration seeds row 1; the defaults only matter if someone deleted it.
      settings: { minNoticeMin: Number(row.minNoticeMin ?? 60), horizonDays: Number(row.horizonDays ?? 60) },
    };
  }

  /** Offers by active specialists linked to the location, of one service or of all. */
  private async offers(locationId: number, serviceId: number | undefined): Promise<ServiceOffer[]> {
    const qb = this.ds
      .createQueryBuilder()
      .select('ss.specialistId', 'specialistId')
      .addSelect('ss.serviceId', 'serviceId')
      .addSelect('COALESCE(ss.durationMin, sv.durationMin)', 'durationMin')
      .addSelect('COALESCE(ss.price, sv.price)', 'price')
      .addSelect('sv.active', 'active')
      .from(SpecialistServiceEntity, 'ss')
      .innerJoin(ServiceEntity, 'sv', 'sv.id = ss.serviceId')
      .innerJoin(SpecialistLocationEntity, 'sl', 'sl.specialistId = ss.specialistId AND sl.locationId = :locationId', { locationId })
      .innerJoin(SpecialistEntity, 's', 's.id = ss.specialistId AND s.active = :active', { active: true })
      .orderBy('ss.specialistId', 'ASC');
    if (serviceId !== undefined) qb.where('ss.serviceId = :serviceId', { serviceId });
    const rows = await qb.getRawMany<{ specialistId: number; serviceId: number; durationMin: number; price: number; active: unknown }>();
    return rows.map((r) => ({
      specialistId: Number(r.specialistId),
      serviceId: Number(r.serviceId),
      durationMin: Number(r.durationMin),
      price: Number(r.price),
      active: bool(r.active),
    }));
  }

  private async liveBookings(
    specialistIds: number[],
    fromDate: string,
    toDate: string,
    excludeBookingId: number | undefined,
  ): Promise<LiveBooking[]> {
    // A local day lies within [UTC midnight - 14 h, UTC midnight + 36 h); one day of padding each side covers every zone.
    const from = new Date(Date.parse(`${fromDate}T00:00:00Z`) - DAY_MS);
    const to = new Date(Date.parse(`${toDate}T00:00:00Z`) + 2 * DAY_MS);
    // No booking is longer than a day, so the lower bound on start_at keeps the (specialist_id, start_at) index usable.
    const qb = this.ds
      .createQueryBuilder()
      .select('b.id', 'id')
      .addSelect('b.specialistId', 'specialistId')
      .addSelect('b.startAt', 'startAt')
      .addSelect('b.endAt', 'endAt')
      .from(BookingEntity, 'b')
      .where('b.specialistId IN (:...specialistIds)', { specialistIds })
      .andWhere('b.startAt >= :earliest AND b.startAt < :to', { earliest: new Date(from.getTime() - DAY_MS), to })
      .andWhere('b.endAt > :from', { from })
      .andWhere('b.status IN (:...live)', { live: LIVE });
    if (excludeBookingId !== undefined) qb.andWhere('b.id <> :excludeBookingId', { excludeBookingId });
    const rows = await qb.getRawMany<{ id: number; specialistId: number; startAt: unknown; endAt: unknown }>();
    return rows.map((r) => ({ id: Number(r.id), specialistId: Number(r.specialistId), startAt: instant(r.startAt), endAt: instant(r.endAt) }));
  }
}
