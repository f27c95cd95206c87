import { Injectable } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import { Brackets, EntityManager, IsNull, Repository } from 'typeorm';
import { authorize } from '../../common/access-policy';
import { Actor } from '../../common/actor';
import { DomainError, ErrorCode } from '../../common/errors';
import { Page, pageOf } from '../../common/pagination';
import { AuditTrail } from '../../infra/audit/audit-trail';
import { UnitOfWork } from '../../infra/database/unit-of-work';
import { DomainEvents } from '../../infra/events/domain-events';
import { SchedulesApi } from '../api/schedules.api';
import {
  CreateScheduleExceptionDto,
  CreateWorkIntervalDto,
  ListExceptionsQuery,
  ListIntervalsQuery,
  ScheduleExceptionDto,
  WeeklyIntervalInput,
  WorkIntervalDto,
} from '../api/schedules.dto';
import { LocationEntity } from '../entities/location.entity';
import { ScheduleExceptionEntity, WorkIntervalEntity } from '../entities/schedule.entity';
import { SpecialistEntity, SpecialistLocationEntity } from '../entities/specialist.entity';

import { byWeekdayAndStart, describe, exceptionClash, firstOverlap, hhmm, overlaps } from './schedule-rules';
/** Seven days of 96 quarter-hours: more intervals than that cannot be disjoint. */
const MAX_WEEK_INTERVALS = 7 * 96;

function toIntervalDto(i: WorkIntervalEntity): WorkIntervalDto {
  return {
    id: i.id,
    specialistId: i.specialistId,
    locationId: i.locationId,
    weekday: i.weekday,
    startMin: i.startMin,
    endMin: i.endMin,
  };
}

function toExceptionDto(e: ScheduleExceptionEntity): ScheduleExceptionDto {
  return {
    id: e.id,
    locationId: e.locationId,
    specialistId: e.specialistId,
    date: e.date,
    kind: e.kind,
    startMin: e.startMin,
    endMin: e.endMin,
    reason: e.reason,
  };
}

/** What a specialist may read: their own rows and location-wide exceptions of their locations. */
interface ReadScope {
  specialistId: number | null;
  locationIds: number[];
}

@Injectable()
export class SchedulesService extends SchedulesApi {
  constructor(
    @InjectRepository(WorkIntervalEntity) private readonly intervals: Repository<WorkIntervalEntity>,
    @InjectRepository(ScheduleExceptionEntity)
    private readonly exceptions: Repository<ScheduleExceptionEntity>,
    @InjectRepository(SpecialistEntity) private readonly specialists: Repository<SpecialistEntity>,
    @InjectRepository(SpecialistLocationEntity) private readonly links: Repository<SpecialistLocationEntity>,
    @InjectRepository(LocationEntity) private readonly locations: Repository<LocationEntity>,
    private readonly uow: UnitOfWork,
    private readonly audit: AuditTrail,
    private readonly events: DomainEvents,
  ) {
    super();
  }

  async listIntervals(actor: Actor, query: ListIntervalsQuery): Promise<Page<WorkIntervalDto>> {
    const { take, skip } = pageOf(query);
    const specialistId = await this.readableSpecialist(actor, query.specialistId);
    if (query.locationId !== undefined) await this.requireLocation(this.locations.manager, query.locationId);
    const own = authorize(actor, 'schedule', 'read') === 'own';
    if (own && specialistId === null) return { items: [], total: 0, limit: take, offset: skip };
    const [rows, total] = await this.intervals.findAndCount({
      where: {
        specialistId: specialistId ?? undefined,
        locationId: query.locationId,
        weekday: query.weekday,
      },
      order: { specialistId: 'ASC', locationId: 'ASC', weekday: 'ASC', startMin: 'ASC' },
      take,
      skip,
    });
    return { items: rows.map(toIntervalDto), total, limit: take, offset: skip };
  }

  async getWeek(actor: Actor, specialistId: number, locationId: number): Promise<WorkIntervalDto[]> {
    const id = await this.readableSpecialist(actor, specialistId);
    await this.requireLocation(this.locations.manager, locationId);
    const rows = await this.intervals.findBy({ specialistId: id!, locationId });
    return rows.sort(byWeekdayAndStart).map(toIntervalDto);
  }

  async createInterval(actor: Actor, dto: CreateWorkIntervalDto): Promise<WorkIntervalDto> {
    authorize(actor, 'schedule', 'write');
    this.checkOrder([dto]);
    const interval = await this.uow.run(async (em) => {
      await this.requireLink(em, dto.specialistId, dto.locationId);
      const sameDay = await em.findBy(WorkIntervalEntity, {
        specialistId: dto.specialistId,
        weekday: dto.weekday,
      });
      const clash = sameDay.find((i) => overlaps(i, dto));
      if (clash) {
        throw DomainError.conflict(
          ErrorCode.Conflict,
          `${describe(dto)} overlaps specialist ${dto.specialistId}'s interval ${describe(clash)} (id ${clash.id})`,
        );
      }
      const { specialistId, locationId, weekday, startMin, endMin } = dto;
      const saved = await em.save(
        WorkIntervalEntity,
        em.create(WorkIntervalEntity, { specialistId, locationId, weekday, startMin, endMin }),
      );
      await this.audit.record(em, actor, {
        action: 'schedule.interval.create',
        entity: 'work_interval',
        entityId: saved.id,
        changes: dto,
      });
      return saved;
    });
    await this.events.emit('location.availability_changed', { locationId: interval.locationId });
    return toIntervalDto(interval);
  }

  async removeInterval(actor: Actor, id: number): Promise<WorkIntervalDto> {
    authorize(actor, 'schedule', 'write');
    const interval = await this.uow.run(async (em) => {
      const interval = await em.findOneBy(WorkIntervalEntity, { id });
      if (!interval) throw DomainError.notFound('work interval', id);
      await em.delete(WorkIntervalEntity, { id });
      await this.audit.record(em, actor, {
        action: 'schedule.interval.delete',
        entity: 'work_interval',
        entityId: id,
        changes: toIntervalDto(interval),
      });
      return interval;
    });
    await this.events.emit('location.availability_changed', { locationId: interval.locationId });
    return toIntervalDto(interval);
  }

  async replaceWeek(
    actor: Actor,
    specialistId: number,
    locationId: number,
    intervals: WeeklyIntervalInput[],
  ): Promise<WorkIntervalDto[]> {
    authorize(actor, 'schedule', 'write');
    if (intervals.length > MAX_WEEK_INTERVALS) {
      throw DomainError.invalid(`A week holds at most ${MAX_WEEK_INTERVALS} intervals`);
    }
    this.checkOrder(intervals);
    const sorted = [...intervals].sort(byWeekdayAndStart);
    const inner = firstOverlap(sorted);
    if (inner) {
      throw DomainError.conflict(ErrorCode.Conflict, `${describe(inner[0])} overlaps ${describe(inner[1])}`);
    }
    const saved = await this.uow.run(async (em) => {
      await this.requireLink(em, specialistId, locationId);
      // A person is in one place at a time: the week must not overlap their weeks at other locations.
      const elsewhere = (await em.findBy(WorkIntervalEntity, { specialistId })).filter(
        (i) => i.locationId !== locationId,
      );
      for (const wanted of sorted) {
        const clash = elsewhere.find((i) => i.weekday === wanted.weekday && overlaps(i, wanted));
        if (clash) {
          throw DomainError.conflict(
            ErrorCode.Conflict,
            `${describe(wanted)} overlaps specialist ${specialistId}'s interval ${describe(clash)} (id ${clash.id})`,
          );
        }
      }
      await em.delete(WorkIntervalEntity, { specialistId, locationId });
      const rows = sorted.map((i) =>
        em.create(WorkIntervalEntity, {
          specialistId,
          locationId,
          weekday: i.weekday,
          startMin: i.startMin,
          endMin: i.endMin,
        }),
      );
      const result = rows.length ? await em.save(WorkIntervalEntity, rows) : [];
      await this.audit.record(em, actor, {
        action: 'schedule.week.replace',
        entity: 'specialist',
        entityId: specialistId,
        changes: {
          locationId,
          intervals: sorted.map((i) => ({ weekday: i.weekday, startMin: i.startMin, endMin: i.endMin })),
        },
      });
      return result;
    });
    await this.events.emit('location.availability_changed', { locationId });
    return saved.sort(byWeekdayAndStart).map(toIntervalDto);
  }

  async listExceptions(actor: Actor, query: ListExceptionsQuery): Promise<Page<ScheduleExceptionDto>> {
    const { take, skip } = pageOf(query);
    if (query.from && query.to && query.from > query.to)
      throw DomainError.invalid('from must not be after to');
    const specialistId = await this.readableSpecialist(actor, query.specialistId);
    if (query.locationId !== undefined) await this.requireLocation(this.locations.manager, query.locationId);
    const scope = await this.exceptionScope(actor, specialistId);
    const qb = this.exceptions
      .createQueryBuilder('e')
      .orderBy('e.date', 'ASC')
      .addOrderBy('e.location_id', 'ASC')
      .addOrderBy('e.id', 'ASC')
      .take(take)
      .skip(skip);
    if (scope) {
      qb.andWhere(
        new Brackets((w) => {
          w.where('e.specialist_id = :own', { own: scope.specialistId ?? -1 });
          if (scope.locationIds.length) {
            w.orWhere('(e.specialist_id IS NULL AND e.location_id IN (:...scopeLocations))', {
              scopeLocations: scope.locationIds,
            });
          }
        }),
      );
    }
    if (query.locationId !== undefined)
      qb.andWhere('e.location_id = :locationId', { locationId: query.locationId });
    if (query.from) qb.andWhere('e.date >= :from', { from: query.from });
    if (query.to) qb.andWhere('e.date <= :to', { to: query.to });
    const [rows, total] = await qb.getManyAndCount();
    return { items: rows.map(toExceptionDto), total, limit: take, offset: skip };
  }

  async createException(actor: Actor, dto: CreateScheduleExceptionDto): Promise<ScheduleExceptionDto> {
    authorize(actor, 'schedule', 'write');
    const specialistId = dto.specialistId ?? null;
    if (dto.kind === 'custom_hours') {
      if (dto.startMin === undefined || dto.endMin === undefined) {
        throw DomainError.invalid('startMin and endMin are required for custom_hours');
      }
      this.checkOrder([dto as { startMin: number; endMin: number }]);
    } else if (dto.startMin !== undefined || dto.endMin !== undefined) {
      throw DomainError.invalid('startMin and endMin are only allowed for custom_hours, not for a day_off');
    }
    const saved = await this.uow.run(async (em) => {
      if (specialistId === null) await this.requireLocation(em, dto.locationId);
      else await this.requireLink(em, specialistId, dto.locationId);
      await this.checkExceptionClash(em, { ...dto, specialistId });
      const row = await em.save(
        ScheduleExceptionEntity,
        em.create(ScheduleExceptionEntity, {
          locationId: dto.locationId,
          specialistId,
          date: dto.date,
          kind: dto.kind,
          startMin: dto.startMin ?? null,
          endMin: dto.endMin ?? null,
          reason: dto.reason ?? '',
        }),
      );
      await this.audit.record(em, actor, {
        action: 'schedule.exception.create',
        entity: 'schedule_exception',
        entityId: row.id,
        changes: dto,
      });
      return row;
    });
    await this.events.emit('location.availability_changed', { locationId: saved.locationId });
    return toExceptionDto(saved);
  }

  async removeException(actor: Actor, id: number): Promise<ScheduleExceptionDto> {
    authorize(actor, 'schedule', 'write');
    const removed = await this.uow.run(async (em) => {
      const row = await em.findOneBy(ScheduleExceptionEntity, { id });
      if (!row) throw DomainError.notFound('schedule exception', id);
      await em.delete(ScheduleExceptionEntity, { id });
      await this.audit.record(em, actor, {
        action: 'schedule.exception.delete',
        entity: 'schedule_exception',
        entityId: id,
        changes: toExceptionDto(row),
      });
      return row;
    });
    await this.events.emit('location.availability_changed', { locationId: removed.locationId });
    return toExceptionDto(removed);
  }

  /**
   * The specialist whose rows the caller may read: the requested one for an admin (404 if unknown),
   * always the caller's own for a specialist (another one's id is 404, so existence does not leak).
   * null: no specialist filter for an admin, or a specialist-role user without a profile.
   */
  private async readableSpecialist(actor: Actor, requested: number | undefined): Promise<number | null> {
    const scope = authorize(actor, 'schedule', 'read');
    if (scope === 'all') {
      if (requested !== undefined && !(await this.specialists.existsBy({ id: requested }))) {
        throw DomainError.notFound('specialist', requested);
      }
      return requested ?? null;
    }
    const own = await this.specialists.findOneBy({ userId: actor.userId });
    if (requested !== undefined && requested !== own?.id) throw DomainError.notFound('specialist', requested);
    return own?.id ?? null;
  }

  /** Row filter for exceptions; undefined means everything (an admin without a specialist filter). */
  private async exceptionScope(actor: Actor, specialistId: number | null): Promise<ReadScope | undefined> {
    const own = authorize(actor, 'schedule', 'read') === 'own';
    if (specialistId === null && !own) return undefined;
    const locationIds =
      specialistId === null ? [] : (await this.links.findBy({ specialistId })).map((l) => l.locationId);
    return { specialistId, locationIds };
  }

  private checkOrder(intervals: { startMin: number; endMin: number }[]): void {
    intervals.forEach((i, index) => {
      if (i.endMin <= i.startMin) {
        const where = intervals.length > 1 ? `intervals.${index}: ` : '';
        throw DomainError.invalid(
          `${where}endMin (${i.endMin}) must be greater than startMin (${i.startMin})`,
        );
      }
    });
  }

  private async requireLocation(em: EntityManager, locationId: number): Promise<void> {
    if (!(await em.existsBy(LocationEntity, { id: locationId })))
      throw DomainError.notFound('location', locationId);
  }

  private async requireLink(em: EntityManager, specialistId: number, locationId: number): Promise<void> {
    if (!(await em.existsBy(SpecialistEntity, { id: specialistId }))) {
      throw DomainError.notFound('specialist', specialistId);
    }
    await this.requireLocation(em, locationId);
    if (!(await em.existsBy(SpecialistLocationEntity, { specialistId, locationId }))) {
      throw DomainError.conflict(
        ErrorCode.NotAtLocation,
        `Specialist ${specialistId} does not work at location ${locationId}: add the location to the specialist first`,
      );
    }
  }

  /**
   * One date and scope holds either one day_off or non-overlapping custom_hours; a specialist's
   * custom hours must not overlap their custom hours at another location on that date.
   */
  private async checkExceptionClash(
    em: EntityManager,
    wanted: {
      locationId: number;
      specialistId: number | null;
      date: string;
      kind: string;
      startMin?: number;
      endMin?: number;
    },
  ): Promise<void> {
    const where =
      wanted.specialistId === null
        ? { specialistId: IsNull(), date: wanted.date, locationId: wanted.locationId }
        : { specialistId: wanted.specialistId, date: wanted.date };
    const existing = await em.find(ScheduleExceptionEntity, { where });
    const whom =
      wanted.specialistId === null ? `location ${wanted.locationId}` : `specialist ${wanted.specialistId}`;
    for (const e of existing) {
      const clash = exceptionClash(e, wanted);
      if (clash === 'day_off') {
        throw DomainError.conflict(
          ErrorCode.ExceptionClash,
          `${whom} already has a ${e.kind} exception on ${wanted.date} (id ${e.id}); delete it first`,
        );
      }
      if (clash === 'hours') {
        throw DomainError.conflict(
          ErrorCode.ExceptionClash,
          `custom hours ${hhmm(wanted.startMin!)}-${hhmm(wanted.endMin!)} overlap ${whom}'s custom hours ` +
            `${hhmm(e.startMin!)}-${hhmm(e.endMin!)} at location ${e.locationId} on ${wanted.date} (id ${e.id})`,
        );
      }
    }
  }
}
