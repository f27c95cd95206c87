import { Injectable, Logger, OnApplicationBootstrap, OnModuleDestroy } from '@nestjs/common';
import { HttpAdapterHost } from '@nestjs/core';
import { InjectRepository } from '@nestjs/typeorm';
import { In, LessThanOrEqual, Repository } from 'typeorm';
import { Clock } from '../../infra/clock/clock';
import { insertRows } from '../../infra/database/sql';
import { UnitOfWork } from '../../infra/database/unit-of-work';
import { RedisService } from '../../infra/redis/redis.service';
import type { BookingEventPayload } from '../api/outbox.api';
import { BookingEntity } from '../entities/booking.entity';
import { toBookingDto } from './bookings.service';

const EVERY_MS = 60_000;
const SENT_TTL_SECONDS = 24 * 3600;
const BATCH = 200;
const sentKey = (bookingId: number) => `bkdone:sent:${bookingId}`;

/**
 * Every 60 s: bookings still pending or confirmed whose start + duration has passed get one
 * `booking_done` event in the outbox, which asks the admins whether the visit happened (SPEC §4).
 * Once per booking: `bkdone:sent:{id}` (24 h) is taken with SET NX before the event is written, by
 * whichever instance gets there first; if the write fails the key is given back. A booking still
 * unanswered after 24 h is asked about again.
 */
@Injectable()
export class CompletionChecker implements OnApplicationBootstrap, OnModuleDestroy {
  private readonly logger = new Logger(CompletionChecker.name);
  private timer: NodeJS.Timeout | undefined;
  private running: Promise<number> | undefined;

  constructor(
    @InjectRepository(BookingEntity) private readonly bookings: Repository<BookingEntity>,
    private readonly uow: UnitOfWork,
    private readonly redis: RedisService,
    private readonly clock: Clock,
    private readonly adapterHost: HttpAdapterHost,
  ) {}

  onApplicationBootstrap(): void {
    // Scripts (init-admin) build the modules without an HTTP server: no background work.
    if (!this.adapterHost.httpAdapter) return;
    this.timer = setInterval(() => {
      this.check().catch((err: Error) => this.logger.warn(`completion check failed: ${err.message}`));
    }, EVERY_MS);
    this.timer.unref();
  }

  async onModuleDestroy(): Promise<void> {
    clearInterval(this.timer);
    await this.running?.catch(() => undefined);
  }

  /** One pass; resolves with how many bookings were asked about. */
  check(): Promise<number> {
    this.running ??= this.pass().finally(() => (this.running = undefined));
    return this.running;
  }

  private async pass(): Promise<number> {
    const now = this.clock.now();
    let asked = 0;
    for (let skip = 0; ; skip += BATCH) {
      const over = await this.bookings.find({
        where: { status: In(['pending', 'confirmed']), endAt: LessThanOrEqual(now) },
        order: { id: 'ASC' },
        take: BATCH,
        skip,
      });
      for (const booking of over) if (await this.ask(booking)) asked++;
      if (over.length < BATCH) return asked;
    }
  }

  private async ask(booking: BookingEntity): Promise<boolean> {
    const key = sentKey(booking.id);
    const taken = await this.redis.client.set(key, '1', 'EX', SENT_TTL_SECONDS, 'NX');
    if (!taken) return false;
    const payload: BookingEventPayload = {
      booking: toBookingDto(booking),
      initiator: { role: 'system', userId: null },
      fromStatus: booking.status,
      toStatus: booking.status,
    };
    try {
      await this.uow.run((em) =>
        insertRows(em, 'outbox_events', [
          {
            type: 'booking_done',
            aggregate_id: booking.id,
            payload: JSON.stringify(payload),
            created_at: this.clock.now(),
            relayed_at: null,
          },
        ]),
      );
      return true;
    } catch (err) {
      await this.redis.client.del(key).catch(() => undefined);
      throw err;
    }
  }
}
