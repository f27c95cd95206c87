import { Injectable } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import { DateTime } from 'luxon';
import { In, Repository } from 'typeorm';
import { authorize } from '../../common/access-policy';
import type { Actor } from '../../common/actor';
import { DomainError } from '../../common/errors';
import { ReportsApi } from '../api/reports.api';
import type {
  BookingsReportDto,
  BookingsReportQuery,
  LocationReportDto,
  ReportFiguresDto,
  ReportPeriod,
} from '../api/reports.dto';
import { BookingEntity } from '../entities/booking.entity';
import { LocationEntity } from '../entities/location.entity';
import { SpecialistEntity } from '../entities/specialist.entity';

const empty = (): ReportFiguresDto => ({ bookings: 0, done: 0, noShows: 0, cancelled: 0, revenue: 0 });

function count(figures: ReportFiguresDto, b: Pick<BookingEntity, 'status' | 'price'>): void {
  figures.bookings++;
  if (b.status === 'done') {
    figures.done++;
    figures.revenue += b.price;
  } else if (b.status === 'no_show') figures.noShows++;
  else if (b.status === 'cancelled') figures.cancelled++;
}

function add(into: ReportFiguresDto, from: ReportFiguresDto): void {
  into.bookings += from.bookings;
  into.done += from.done;
  into.noShows += from.noShows;
  into.cancelled += from.cancelled;
  into.revenue += from.revenue;
}

/** The local dates a period covers: a day, a week from Monday, a calendar month. */
function periodOf(period: ReportPeriod, date: string): { first: DateTime; next: DateTime } {
  const unit = period === 'day' ? 'day' : period === 'week' ? 'week' : 'month';
  const first = DateTime.fromISO(date, { zone: 'UTC' }).startOf(unit);
  return { first, next: first.plus({ [`${unit}s`]: 1 }) };
}

/** Figures over the bookings table, each location's period taken in its own time zone. */
@Injectable()
export class ReportsService extends ReportsApi {
  constructor(
    @InjectRepository(BookingEntity) private readonly bookingRows: Repository<BookingEntity>,
    @InjectRepository(LocationEntity) private readonly locations: Repository<LocationEntity>,
    @InjectRepository(SpecialistEntity) private readonly specialists: Repository<SpecialistEntity>,
  ) {
    super();
  }

  async bookings(actor: Actor, query: BookingsReportQuery): Promise<BookingsReportDto> {
    if (authorize(actor, 'booking', 'read') !== 'all')
      throw DomainError.forbidden('Only an admin sees reports');
    const { first, next } = periodOf(query.period, query.date);
    const locations = await this.locations.find({
      where: query.locationId ? { id: query.locationId } : {},
      order: { id: 'ASC' },
    });
    if (query.locationId && !locations.length) throw DomainError.notFound('location', query.locationId);
    const reports: LocationReportDto[] = [];
    for (const location of locations) {
      const report = await this.locationReport(location, first, next);
      if (location.active || report.bookings > 0) reports.push(report);
    }
    const totals = empty();
    for (const report of reports) add(totals, report);
    return {
      period: query.period,
      firstDate: first.toISODate()!,
      lastDate: next.minus({ days: 1 }).toISODate()!,
      totals,
      locations: reports,
    };
  }

  private async locationReport(
    location: LocationEntity,
    first: DateTime,
    next: DateTime,
  ): Promise<LocationReportDto> {
    const local = (d: DateTime) => DateTime.fromISO(d.toISODate()!, { zone: location.timeZone });
    const from = local(first).toJSDate();
    const to = local(next).toJSDate();
    const rows = await this.bookingRows
      .createQueryBuilder('b')
      .select(['b.specialistId', 'b.status', 'b.price'])
      .where('b.location_id = :id', { id: location.id })
      .andWhere('b.start_at >= :from AND b.start_at < :to', { from, to })
      .getMany();
    const figures = empty();
    const bySpecialist = new Map<number, ReportFiguresDto>();
    for (const row of rows) {
      count(figures, row);
      if (!bySpecialist.has(row.specialistId)) bySpecialist.set(row.specialistId, empty());
      count(bySpecialist.get(row.specialistId)!, row);
    }
    const names = new Map(
      (await this.specialists.find({ where: { id: In([...bySpecialist.keys()]) } })).map((s) => [
        s.id,
        s.user.name,
      ]),
    );
    const specialists = [...bySpecialist]
      .map(([specialistId, f]) => ({ specialistId, name: names.get(specialistId) ?? '', ...f }))
      .sort((a, b) => a.name.localeCompare(b.name) || a.specialistId - b.specialistId);
    return {
      locationId: location.id,
      name: location.name,
      timeZone: location.timeZone,
      from: from.toISOString(),
      to: to.toISOString(),
      ...figures,
      specialists,
    };
  }
}
