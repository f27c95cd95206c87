import { Injectable, Logger, OnApplicationBootstrap, OnModuleDestroy } from '@nestjs/common';
import { HttpAdapterHost } from '@nestjs/core';
import { InjectRepository } from '@nestjs/typeorm';
import { Between, FindOptionsWhere, In, LessThanOrEqual, Repository } from 'typeorm';
import { AppConfig } from '../../config/app-config';
import { Clock } from '../../infra/clock/clock';
import { UnitOfWork } from '../../infra/database/unit-of-work';
import { RedisService } from '../../infra/redis/redis.service';
import { LIVE_STATUSES } from '../api/bookings.dto';
import type { BookingEventPayload, OutboxEventType } from '../api/outbox.api';
import { BookingEntity } from '../entities/booking.entity';
import { toBookingDto } from './booking-rows';
import { IDEMPOTENCY_KEY_TTL_MS, purgeKeys } from './idempotency-keys';
import { OutboxService } from './outbox.service';

const EVERY_MS = 60_000;
const DAY_SECONDS = 24 * 3600;
const BATCH = 200;
const LIVE = In([...LIVE_STATUSES]);

/**
 * Every 60 s, for bookings still pending or confirmed:
 * - completion: one whose start + duration has passed gets one `booking_done` event in the
 *   outbox, which asks the admins whether the visit happened. `bkdone:sent:{id}` (24 h) holds it: a
 *   booking still unanswered after a day is asked about again.
 * - reminder: one starting within REMINDER_HOURS_BEFORE (24 h) gets one `booking_reminder` event,
 *   unless it was booked inside that window (the client has just chosen the time). `bkremind:sent:{id}`
 *   lasts until the visit is over.
 * Each key is taken with SET NX before the event is written, so of several instances one emits; if the
 * write fails the key is given back.
 * The same pass forgets idempotency keys older than IDEMPOTENCY_KEY_TTL_MS.
 */
@Injectable()
export class BookingAlarms implements OnApplicationBootstrap, OnModuleDestroy {
  private readonly logger = new Logger(BookingAlarms.name);
  private timer: NodeJS.Timeout | undefined;
  private running: Promise<unknown> | undefined;

  constructor(
    @InjectRepository(BookingEntity) private readonly bookings: Repository<BookingEntity>,
    private readonly uow: UnitOfWork,
    private readonly redis: RedisService,
    private readonly clock: Clock,
    private readonly adapterHost: HttpAdapterHost,
    private readonly config: AppConfig,
    private readonly outbox: OutboxService,
  ) {}

  onApplicationBootstrap(): void {
    // Scripts (init-admin) build the modules without an HTTP server: no background work.
    if (!this.adapterHost.httpAdapter) return;
    this.timer = setInterval(() => {
      this.checkCompletions()
        .then(() => this.checkReminders())
        .then(() => this.purgeIdempotencyKeys())
        .catch((err: Error) => this.logger.warn(`booking alarms failed: ${err.message}`));
    }, EVERY_MS);
    this.timer.unref();
  }

  /** One completion pass; resolves with how many bookings the admins were asked about. */
  checkCompletions(): Promise<number> {
    return this.single(() =>
      this.each({ status: LIVE, endAt: LessThanOrEqual(this.clock.now()) }, (booking) =>
        this.emitOnce(booking, 'booking_done', `bkdone:sent:${booking.id}`, DAY_SECONDS),
      ),
    );
  }

  /** One reminder pass; resolves with how many clients were reminded. */
  checkReminders(): Promise<number> {
    const hours = this.config.reminderHoursBefore;
    if (hours === 0) return Promise.resolve(0);
    const now = this.clock.now();
    const leadMs = hours * 3600_000;
    return this.single(() =>
      this.each(
        { status: LIVE, startAt: Between(now, new Date(now.getTime() + leadMs)) },
        async (booking) => {
          if (booking.createdAt.getTime() > booking.startAt.getTime() - leadMs) return false;
          const ttl = Math.ceil((booking.endAt.getTime() - now.getTime()) / 1000) + DAY_SECONDS;
          return this.emitOnce(booking, 'booking_reminder', `bkremind:sent:${booking.id}`, ttl);
        },
      ),
    );
  }

  /** Forgets the idempotency keys of writes older than IDEMPOTENCY_KEY_TTL_MS; resolves with how many. */
  purgeIdempotencyKeys(): Promise<number> {
    const before = new Date(this.clock.now().getTime() - IDEMPOTENCY_KEY_TTL_MS);
    return this.uow.run((em) => purgeKeys(em, before));
  }

  async onModuleDestroy(): Promise<void> {
    clearInterval(this.timer);
    await this.running?.catch(() => undefined);
  }

  /** One pass at a time per process (the keys keep instances apart). */
  private async single(pass: () => Promise<number>): Promise<number> {
    while (this.running) await this.running.catch(() => undefined);
    const run = pass();
    this.running = run;
    try {
      return await run;
    } finally {
      if (this.running === run) this.running = undefined;
    }
  }

  private async each(
    where: FindOptionsWhere<BookingEntity>,
    emit: (booking: BookingEntity) => Promise<boolean>,
  ): Promise<number> {
    let emitted = 0;
    for (let skip = 0; ; skip += BATCH) {
      const page = await this.bookings.find({ where, order: { id: 'ASC' }, take: BATCH, skip });
      for (const booking of page) if (await emit(booking)) emitted++;
      if (page.length < BATCH) return emitted;
    }
  }

  private async emitOnce(
    booking: BookingEntity,
    type: OutboxEventType,
    key: string,
    ttlSeconds: number,
  ): Promise<boolean> {
    const taken = await this.redis.client.set(key, '1', 'EX', ttlSeconds, 'NX');
    if (!taken) return false;
    const payload: BookingEventPayload = {
      booking: toBookingDto(booking),
      initiator: { role: 'system', userId: null },
      fromStatus: booking.status,
      toStatus: booking.status,
    };
    try {
      await this.uow.run((em) => this.outbox.append(em, type, payload));
      return true;
    } catch (err) {
      await this.redis.client.del(key).catch(() => undefined);
      throw err;
    }
  }
}
