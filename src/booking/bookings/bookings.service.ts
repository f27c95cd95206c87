import { Injectable, Logger } from '@nestjs/common';
import { InjectDataSource, InjectRepository } from '@nestjs/typeorm';
import { DataSource, EntityManager, IsNull, Repository } from 'typeorm';
import { authorize, authorizeObject } from '../../common/access-policy';
import { Actor, isStaff } from '../../common/actor';
import { DomainError, ErrorCode } from '../../common/errors';
import { Page, pageOf } from '../../common/pagination';
import { AuditTrail } from '../../infra/audit/audit-trail';
import { Clock } from '../../infra/clock/clock';
import { UnitOfWork } from '../../infra/database/unit-of-work';
import { localDateOf } from '../../common/local-date';
import { BookingLock, SlotChecks, StartCheck, StartCheckResult } from '../../slots/api';
import { BookingsApi, WriteOptions } from '../api/bookings.api';
import {
  BookingDto,
  BookingStatus,
  CancelBookingDto,
  CreateBookingDto,
  ListBookingsQuery,
  LIVE_STATUSES,
  NewClientDto,
  RescheduleBookingDto,
} from '../api/bookings.dto';
import type { BookingEventPayload, OutboxEventType } from '../api/outbox.api';
import { BookingClaimEntity, BookingEntity } from '../entities/booking.entity';
import { BusinessSettingsEntity } from '../entities/business-settings.entity';
import { LocationEntity } from '../entities/location.entity';
import { SpecialistEntity } from '../entities/specialist.entity';
import { UserEntity } from '../entities/user.entity';
import { insertRows, queryRows, rowBool } from '../../infra/database/sql';
import { addMinutes, assertTransition, initiatorOf, parseStart } from './booking-rules';
import { claimCells } from './booking-claims';
import { BOOKING_COLUMNS, bookingFromRow, bookingRow, toBookingDto } from './booking-rows';
import { bookingOfKey, rememberKey } from './idempotency-keys';
import { OutboxService } from './outbox.service';
import { UserRegistry } from '../users/user-registry';

const UNAVAILABLE: Record<Exclude<StartCheckResult, { ok: true }>['reason'], () => DomainError> = {
  booked: () => DomainError.conflict(ErrorCode.SlotTaken, 'This time is already booked with the specialist'),
  closed: () =>
    DomainError.conflict(ErrorCode.SlotUnavailable, 'The specialist does not work at this time', {
      reason: 'closed',
    }),
  not_offered: () =>
    DomainError.conflict(
      ErrorCode.SlotUnavailable,
      'The specialist does not offer this service at this location',
      { reason: 'not_offered' },
    ),
  too_soon: () => new DomainError(ErrorCode.TooSoon, 'This start is sooner than the minimum notice allows'),
  beyond_horizon: () => new DomainError(ErrorCode.BeyondHorizon, 'This start is beyond the booking horizon'),
  misaligned: () =>
    DomainError.invalid('startAt must be on the 15-minute grid', { fields: { startAt: ['misaligned'] } }),
};

interface BookingContext {
  settings: { autoConfirm: boolean; cancellationCutoffMin: number };
  location: { id: number; timeZone: string; active: boolean } | null;
  specialist: { id: number; userId: number; active: boolean } | null;
  serviceExists: boolean;
}

interface ChangeOptions {
  event: OutboxEventType;
  reason?: string | null;
  previous?: BookingEventPayload['previous'];
  fromStatus: BookingStatus | null;
}

/**
 * The booking lifecycle: create, confirm, cancel, move, finish. Double booking is stopped by the cell claims
 * of booking-claims.ts, written in the same transaction as the booking; the lock and the slots check only
 * make a conflict rarer and its error clearer.
 */
@Injectable()
export class BookingsService extends BookingsApi {
  private readonly logger = new Logger(BookingsService.name);

  constructor(
    @InjectRepository(BookingEntity) private readonly bookings: Repository<BookingEntity>,
    @InjectRepository(SpecialistEntity) private readonly specialists: Repository<SpecialistEntity>,
    @InjectRepository(LocationEntity) private readonly locations: Repository<LocationEntity>,
    @InjectRepository(UserEntity) private readonly users: Repository<UserEntity>,
    @InjectRepository(BusinessSettingsEntity) private readonly settings: Repository<BusinessSettingsEntity>,
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly uow: UnitOfWork,
    private readonly audit: AuditTrail,
    private readonly clock: Clock,
    private readonly slots: SlotChecks,
    private readonly lock: BookingLock,
    private readonly outbox: OutboxService,
    private readonly registry: UserRegistry,
  ) {
    super();
  }

  async list(actor: Actor, query: ListBookingsQuery): Promise<Page<BookingDto>> {
    const scope = authorize(actor, 'booking', 'read');
    const { take, skip } = pageOf(query);
    const where: string[] = [];
    const params: Record<string, unknown> = {};
    const filter = (condition: string, values: Record<string, unknown>) => {
      where.push(condition);
      Object.assign(params, values);
    };
    if (scope === 'own') {
      if (actor.role === 'specialist')
        filter('specialist_id = :own', { own: (await this.specialistIdOf(actor.userId)) ?? -1 });
      else filter('client_id = :own', { own: actor.userId });
    }
    if (query.from) filter('start_at >= :from', { from: new Date(query.from) });
    if (query.to) filter('start_at < :to', { to: new Date(query.to) });
    if (query.locationId) filter('location_id = :locationId', { locationId: query.locationId });
    if (query.specialistId) filter('specialist_id = :specialistId', { specialistId: query.specialistId });
    if (query.clientId) filter('client_id = :clientId', { clientId: query.clientId });
    if (query.status?.length) filter('status IN (:...statuses)', { statuses: query.status });
    // Plain SQL: the query builder's getManyAndCount cost more CPU than both queries (the bot lists on every "My bookings").
    const conditions = where.length ? `WHERE ${where.join(' AND ')}` : '';
    const [rows, [count]] = await Promise.all([
      queryRows(
        this.dataSource,
        `SELECT ${BOOKING_COLUMNS} FROM bookings ${conditions} ORDER BY start_at, id LIMIT :take OFFSET :skip`,
        { ...params, take, skip },
      ),
      queryRows<{ total: unknown }>(
        this.dataSource,
        `SELECT COUNT(*) AS total FROM bookings ${conditions}`,
        params,
      ),
    ]);
    return {
      items: rows.map((r) => toBookingDto(bookingFromRow(r))),
      total: Number(count.total),
      limit: take,
      offset: skip,
    };
  }

  async get(actor: Actor, id: number): Promise<BookingDto> {
    return toBookingDto(await this.visible(actor, id, 'read'));
  }

  create(actor: Actor, dto: CreateBookingDto, options?: WriteOptions): Promise<BookingDto> {
    return this.once(actor, options, (key) => this.createOnce(actor, dto, key));
  }

  private async createOnce(
    actor: Actor,
    dto: CreateBookingDto,
    key: string | undefined,
  ): Promise<BookingDto> {
    authorize(actor, 'booking', 'write');
    if (actor.role === 'specialist') throw DomainError.forbidden('A specialist does not create bookings');
    const staff = isStaff(actor);
    if (!staff && (dto.clientId !== undefined || dto.client !== undefined)) {
      throw DomainError.forbidden('Only an admin books for another client');
    }
    if (staff && (dto.clientId === undefined) === (dto.client === undefined)) {
      throw DomainError.invalid('An admin gives exactly one of clientId or client {name, phone}', {
        fields: { clientId: ['exactly one of clientId, client'] },
      });
    }
    const startAt = parseStart(dto.startAt);
    const ctx = await this.bookingContext(dto.locationId, dto.specialistId, dto.serviceId);
    if (ctx.location === null || (!ctx.location.active && !staff))
      throw DomainError.notFound('location', dto.locationId);
    if (ctx.specialist === null || (!ctx.specialist.active && !staff))
      throw DomainError.notFound('specialist', dto.specialistId);
    if (!ctx.serviceExists) throw DomainError.notFound('service', dto.serviceId);
    const { location, specialist, settings } = ctx;
    if (dto.clientId !== undefined) await this.requireClient(dto.clientId, specialist);
    else if (dto.client === undefined && specialist.userId === actor.userId)
      throw DomainError.invalid('A specialist cannot be booked with themselves');

    const booking = await this.lock.withLock(
      location.id,
      localDateOf(startAt, location.timeZone),
      async () => {
        const check = await this.checkStart({
          locationId: location.id,
          serviceId: dto.serviceId,
          specialistId: specialist.id,
          startAt,
        });
        return this.uow.run(async (em) => {
          const clientId = dto.client
            ? await this.clientByPhone(em, actor, dto.client, specialist)
            : (dto.clientId ?? actor.userId);
          const at = this.clock.now();
          const created = Object.assign(new BookingEntity(), {
            clientId,
            specialistId: specialist.id,
            locationId: location.id,
            serviceId: dto.serviceId,
            startAt,
            endAt: addMinutes(startAt, check.durationMin),
            durationMin: check.durationMin,
            price: check.price,
            status: settings.autoConfirm ? 'confirmed' : 'pending',
            createdByRole: initiatorOf(actor),
            createdByUserId: actor.userId || null,
            comment: dto.comment ?? '',
            cancelReason: null,
            createdAt: at,
            updatedAt: at,
          } satisfies Omit<BookingEntity, 'id'>);
          const [inserted] = await insertRows(em, 'bookings', [bookingRow(created)], 'id');
          created.id = Number(inserted.id);
          await claimCells(em, created);
          if (key !== undefined) await rememberKey(em, actor.userId, key, created.id, at);
          await this.recorded(em, actor, created, { event: 'booking_created', fromStatus: null });
          await this.audit.record(em, actor, {
            action: 'booking.create',
            entity: 'booking',
            entityId: created.id,
            changes: dto,
          });
          return created;
        });
      },
      // Invalidated before the lock is released: the next holder must not read the old grid.
      { invalidates: [location.id] },
    );
    return toBookingDto(booking);
  }

  confirm(actor: Actor, id: number, options?: WriteOptions): Promise<BookingDto> {
    return this.once(actor, options, async (key) => {
      const booking = await this.visible(actor, id, 'write');
      this.requireRole(actor, ['admin'], 'Only an admin confirms bookings');
      return this.transition(actor, booking, 'confirmed', { event: 'booking_confirmed', key });
    });
  }

  cancel(actor: Actor, id: number, dto: CancelBookingDto, options?: WriteOptions): Promise<BookingDto> {
    return this.once(actor, options, async (key) => {
      const booking = await this.visible(actor, id, 'write');
      assertTransition(booking.status, 'cancelled');
      if (actor.role === 'client') await this.requireBeforeCutoff(booking, 'cancel');
      return this.transition(actor, booking, 'cancelled', {
        event: 'booking_cancelled',
        reason: dto.reason || null,
        release: true,
        key,
      });
    });
  }

  markDone(actor: Actor, id: number, options?: WriteOptions): Promise<BookingDto> {
    return this.once(actor, options, (key) => this.finish(actor, id, 'done', key));
  }

  markNoShow(actor: Actor, id: number, options?: WriteOptions): Promise<BookingDto> {
    return this.once(actor, options, (key) => this.finish(actor, id, 'no_show', key));
  }

  reschedule(
    actor: Actor,
    id: number,
    dto: RescheduleBookingDto,
    options?: WriteOptions,
  ): Promise<BookingDto> {
    return this.once(actor, options, (key) => this.rescheduleOnce(actor, id, dto, key));
  }

  private async rescheduleOnce(
    actor: Actor,
    id: number,
    dto: RescheduleBookingDto,
    key: string | undefined,
  ): Promise<BookingDto> {
    const current = await this.visible(actor, id, 'write');
    this.requireRole(actor, ['admin', 'client'], 'A specialist does not move bookings');
    if (dto.startAt === undefined && dto.specialistId === undefined) {
      throw DomainError.invalid('Give a new startAt, a new specialistId or both', {
        fields: { startAt: ['startAt or specialistId required'] },
      });
    }
    if (!LIVE_STATUSES.includes(current.status)) {
      throw DomainError.conflict(ErrorCode.IllegalTransition, `A ${current.status} booking cannot be moved`, {
        from: current.status,
      });
    }
    if (actor.role === 'client') await this.requireBeforeCutoff(current, 'move');
    const startAt = dto.startAt !== undefined ? parseStart(dto.startAt) : current.startAt;
    const specialistId = dto.specialistId ?? current.specialistId;
    if (startAt.getTime() === current.startAt.getTime() && specialistId === current.specialistId) {
      throw DomainError.invalid('The booking is already at this time with this specialist');
    }
    const [location, specialist] = await Promise.all([
      this.locations.findOneBy({ id: current.locationId }),
      this.specialists.createQueryBuilder('s').where('s.id = :id', { id: specialistId }).getOne(),
    ]);
    if (!location) throw DomainError.notFound('location', current.locationId);
    if (!specialist || (!specialist.active && !isStaff(actor)))
      throw DomainError.notFound('specialist', specialistId);
    if (specialist.userId === current.clientId)
      throw DomainError.invalid('A specialist cannot be booked with themselves');

    const moved = await this.lock.withLock(
      location.id,
      localDateOf(startAt, location.timeZone),
      async () => {
        const check = await this.checkStart({
          locationId: location.id,
          serviceId: current.serviceId,
          specialistId,
          startAt,
          ignoreBookingId: id,
        });
        return this.uow.run(async (em) => {
          if (key !== undefined) await rememberKey(em, actor.userId, key, id, this.clock.now());
          const booking = await em.findOneBy(BookingEntity, { id });
          if (!booking) throw DomainError.notFound('booking', id);
          if (!LIVE_STATUSES.includes(booking.status)) {
            throw DomainError.conflict(
              ErrorCode.IllegalTransition,
              `A ${booking.status} booking cannot be moved`,
              { from: booking.status },
            );
          }
          const previous = {
            startAt: booking.startAt.toISOString(),
            endAt: booking.endAt.toISOString(),
            specialistId: booking.specialistId,
          };
          await em.delete(BookingClaimEntity, { bookingId: id });
          // The duration is the one the new slot was checked for; a move to another specialist takes their price.
          if (specialistId !== booking.specialistId) booking.price = check.price;
          booking.specialistId = specialistId;
          booking.startAt = startAt;
          booking.durationMin = check.durationMin;
          booking.endAt = addMinutes(startAt, check.durationMin);
          booking.updatedAt = this.clock.now();
          await em.save(BookingEntity, booking);
          await claimCells(em, booking);
          await this.recorded(em, actor, booking, {
            event: 'booking_rescheduled',
            fromStatus: booking.status,
            previous,
          });
          await this.audit.record(em, actor, {
            action: 'booking.reschedule',
            entity: 'booking',
            entityId: id,
            changes: { ...dto, previous },
          });
          return booking;
        });
      },
      { invalidates: [location.id] },
    );
    return toBookingDto(moved);
  }

  private async finish(
    actor: Actor,
    id: number,
    to: 'done' | 'no_show',
    key: string | undefined,
  ): Promise<BookingDto> {
    const booking = await this.visible(actor, id, 'write');
    this.requireRole(actor, ['admin', 'specialist'], 'Only an admin or the specialist records the outcome');
    assertTransition(booking.status, to);
    if (this.clock.now().getTime() < booking.startAt.getTime()) {
      throw DomainError.conflict(
        ErrorCode.NotStarted,
        `A booking can be marked ${to.replace('_', '-')} only once it has started`,
      );
    }
    return this.transition(actor, booking, to, {
      event: to === 'done' ? 'booking_marked_done' : 'booking_marked_no_show',
      release: to === 'no_show',
      key,
    });
  }

  /**
   * Runs a write at most once per actor and idempotency key: a repeat, or a twin running concurrently,
   * gets the booking as it is now. The key is recorded in the write's transaction, so it exists exactly
   * when the write committed.
   */
  private async once(
    actor: Actor,
    options: WriteOptions | undefined,
    write: (key: string | undefined) => Promise<BookingDto>,
  ): Promise<BookingDto> {
    const key = options?.idempotencyKey;
    if (key === undefined) return write(undefined);
    const earlier = await this.keyed(actor, key);
    if (earlier) return earlier;
    try {
      return await write(key);
    } catch (err) {
      // A twin with this key committed first: it took the slot, changed the status or holds the key.
      const twin = await this.keyed(actor, key).catch(() => null);
      if (twin) return twin;
      throw err;
    }
  }

  private async keyed(actor: Actor, key: string): Promise<BookingDto | null> {
    const bookingId = await bookingOfKey(this.dataSource, actor.userId, key);
    if (bookingId === null) return null;
    const booking = await this.bookings.findOneBy({ id: bookingId });
    return booking ? toBookingDto(booking) : null;
  }

  /** Applies a status change if the row still has the status it was read with (a concurrent change answers 409). */
  private async transition(
    actor: Actor,
    read: BookingEntity,
    to: BookingStatus,
    opts: { event: OutboxEventType; reason?: string | null; release?: boolean; key?: string },
  ): Promise<BookingDto> {
    assertTransition(read.status, to);
    const booking = await this.uow.run(async (em) => {
      // First, so that on PostgreSQL a concurrent twin waits here and then fails on the key.
      if (opts.key !== undefined) await rememberKey(em, actor.userId, opts.key, read.id, this.clock.now());
      const from = read.status;
      const patch: Partial<BookingEntity> = { status: to, updatedAt: this.clock.now() };
      if (to === 'cancelled') patch.cancelReason = opts.reason ?? null;
      const result = await em.update(BookingEntity, { id: read.id, status: from }, patch);
      if (!result.affected) {
        const now = await em.findOneBy(BookingEntity, { id: read.id });
        throw DomainError.conflict(
          ErrorCode.IllegalTransition,
          `A ${now?.status ?? 'missing'} booking cannot become ${to}`,
          {
            from: now?.status,
            to,
          },
        );
      }
      if (opts.release) await em.delete(BookingClaimEntity, { bookingId: read.id });
      const updated = await em.findOneByOrFail(BookingEntity, { id: read.id });
      await this.recorded(em, actor, updated, { event: opts.event, fromStatus: from, reason: opts.reason });
      await this.audit.record(em, actor, {
        action: `booking.${to}`,
        entity: 'booking',
        entityId: read.id,
        changes: { from, to, ...(opts.reason ? { reason: opts.reason } : {}) },
      });
      return updated;
    });
    if (opts.release) await this.availabilityChanged([booking.locationId]);
    return toBookingDto(booking);
  }

  /** The status history row and the outbox event of a change, in the caller's transaction. */
  private async recorded(
    em: EntityManager,
    actor: Actor,
    booking: BookingEntity,
    opts: ChangeOptions,
  ): Promise<void> {
    const initiator = { role: initiatorOf(actor), userId: actor.userId || null };
    if (opts.fromStatus !== booking.status) {
      await insertRows(em, 'booking_status_history', [
        {
          booking_id: booking.id,
          from_status: opts.fromStatus,
          to_status: booking.status,
          actor_role: initiator.role,
          actor_user_id: initiator.userId,
          reason: opts.reason ?? null,
          created_at: this.clock.now(),
        },
      ]);
    }
    const payload: BookingEventPayload = {
      booking: toBookingDto(booking),
      initiator,
      fromStatus: opts.fromStatus,
      toStatus: booking.status,
      ...(opts.reason !== undefined ? { reason: opts.reason } : {}),
      ...(opts.previous ? { previous: opts.previous } : {}),
    };
    await this.outbox.append(em, opts.event, payload);
  }

  private async checkStart(check: StartCheck): Promise<{ durationMin: number; price: number }> {
    const result = await this.slots.checkStart(check);
    if (!result.ok) throw UNAVAILABLE[result.reason]();
    return result;
  }

  /** The booking if the actor may see it (write: may act on it); otherwise 404, so existence does not leak. */
  private async visible(actor: Actor, id: number, operation: 'read' | 'write'): Promise<BookingEntity> {
    const notFound = () => DomainError.notFound('booking', id);
    const scope = authorize(actor, 'booking', operation);
    const [row] = await queryRows(this.dataSource, `SELECT ${BOOKING_COLUMNS} FROM bookings WHERE id = :id`, {
      id,
    });
    if (!row) throw notFound();
    const booking = bookingFromRow(row);
    if (scope === 'own')
      authorizeObject(actor, 'booking', operation, await this.owns(actor, booking), notFound);
    return booking;
  }

  private async owns(actor: Actor, booking: BookingEntity): Promise<boolean> {
    if (actor.role === 'client') return booking.clientId === actor.userId;
    if (actor.role === 'specialist')
      return booking.specialistId === (await this.specialistIdOf(actor.userId));
    return isStaff(actor);
  }

  private requireRole(actor: Actor, roles: Actor['role'][], message: string): void {
    if (actor.role !== 'system' && !roles.includes(actor.role)) throw DomainError.forbidden(message);
  }

  private async requireBeforeCutoff(booking: BookingEntity, what: 'cancel' | 'move'): Promise<void> {
    const { cancellationCutoffMin } = await this.businessSettings();
    const deadline = addMinutes(booking.startAt, -cancellationCutoffMin);
    if (this.clock.now().getTime() > deadline.getTime()) {
      throw DomainError.conflict(
        ErrorCode.CancellationCutoff,
        `A client can ${what} a booking only until ${cancellationCutoffMin} minutes before it starts`,
        { deadline: deadline.toISOString() },
      );
    }
  }

  /** Location, specialist, service existence and the settings in one round trip: this is the hot path of every booking. */
  private async bookingContext(
    locationId: number,
    specialistId: number,
    serviceId: number,
  ): Promise<BookingContext> {
    const [row] = await queryRows<Record<string, unknown>>(
      this.dataSource,
      `SELECT bs.auto_confirm AS "autoConfirm", bs.cancellation_cutoff_min AS "cutoffMin",
              l.id AS "locationId", l.time_zone AS "timeZone", l.active AS "locationActive",
              sp.id AS "specialistId", sp.user_id AS "specialistUserId", sp.active AS "specialistActive",
              sv.id AS "serviceId"
         FROM business_settings bs
         LEFT JOIN locations l ON l.id = :locationId
         LEFT JOIN specialists sp ON sp.id = :specialistId
         LEFT JOIN services sv ON sv.id = :serviceId
        WHERE bs.id = 1`,
      { locationId, specialistId, serviceId },
    );
    if (!row) throw new DomainError(ErrorCode.Internal, 'Business settings are missing');
    return {
      settings: { autoConfirm: rowBool(row.autoConfirm), cancellationCutoffMin: Number(row.cutoffMin) },
      location:
        row.locationId == null
          ? null
          : {
              id: Number(row.locationId),
              timeZone: String(row.timeZone),
              active: rowBool(row.locationActive),
            },
      specialist:
        row.specialistId == null
          ? null
          : {
              id: Number(row.specialistId),
              userId: Number(row.specialistUserId),
              active: rowBool(row.specialistActive),
            },
      serviceExists: row.serviceId != null,
    };
  }

  private async requireClient(userId: number, specialist: { userId: number }): Promise<void> {
    const user = await this.users.findOneBy({ id: userId });
    if (!user) throw DomainError.notFound('user', userId);
    if (user.blocked) throw DomainError.conflict(ErrorCode.UserBlocked, `User ${userId} is blocked`);
    if (user.id === specialist.userId)
      throw DomainError.invalid('A specialist cannot be booked with themselves');
  }

  /**
   * The user who proved this phone; else the client an admin entered with it (no Telegram, unproven),
   * else a new such client, created in the booking's transaction (no orphan when the booking fails).
   * Never an account that merely claims the phone.
   */
  private async clientByPhone(
    em: EntityManager,
    actor: Actor,
    client: NewClientDto,
    specialist: { userId: number },
  ): Promise<number> {
    const existing =
      (await em.findOneBy(UserEntity, { phone: client.phone, phoneVerified: true })) ??
      (await em.findOne(UserEntity, {
        where: { phone: client.phone, phoneVerified: false, tgId: IsNull(), role: 'client' },
        order: { id: 'ASC' },
      }));
    if (existing) {
      if (existing.blocked)
        throw DomainError.conflict(ErrorCode.UserBlocked, 'The user with this phone is blocked');
      if (existing.id === specialist.userId)
        throw DomainError.invalid('A specialist cannot be booked with themselves');
      return existing.id;
    }
    const user = await this.registry.add(
      em,
      actor,
      { name: client.name, phone: client.phone },
      { changes: client },
    );
    return user.id;
  }

  private async specialistIdOf(userId: number): Promise<number | null> {
    const row = await this.specialists
      .createQueryBuilder('s')
      .select('s.id', 'id')
      .where('s.user_id = :userId', { userId })
      .getRawOne<{ id: number }>();
    return row ? Number(row.id) : null;
  }

  private async businessSettings(): Promise<BusinessSettingsEntity> {
    const row = await this.settings.findOneBy({ id: 1 });
    if (!row) throw new DomainError(ErrorCode.Internal, 'Business settings are missing');
    return row;
  }

  /**
   * After commit: every cached grid of the locations is dropped before the caller gets its answer.
   * No 'location.availability_changed' event here: its only listener is this same invalidation, and
   * booking changes reach other modules through the outbox.
   */
  private async availabilityChanged(locationIds: number[]): Promise<void> {
    for (const locationId of new Set(locationIds)) {
      try {
        await this.slots.invalidateLocation(locationId);
      } catch (err) {
        // The change is committed; a failed cache bump must not turn it into an error for the caller.
        this.logger.warn(`invalidating slots of location ${locationId} failed: ${(err as Error).message}`);
      }
    }
  }
}
