import { forwardRef, Module } from '@nestjs/common';
import { BookingModule } from '../booking/booking.module';
import { RedisService } from '../infra/redis/redis.service';
import { BookingLock, BookingLockOptions, SlotsApi } from './api/slots.api';
import { GridCache } from './cache/grid-cache';
import { RedisBookingLock } from './lock/redis-booking-lock';
import { SlotsController } from './slots.controller';
import { SlotsService } from './slots.service';

/** The availability grid, its Redis cache and versioning, and the booking lock; other modules see SlotsApi and BookingLock. */
@Module({
  // BookingModule imports this module back for the booking lifecycle.
  imports: [forwardRef(() => BookingModule)],
  controllers: [SlotsController],
  providers: [
    GridCache,
    SlotsService,
    { provide: SlotsApi, useExisting: SlotsService },
    { provide: BookingLockOptions, useValue: new BookingLockOptions() },
    {
      provide: BookingLock,
      inject: [RedisService, BookingLockOptions, SlotsService],
      useFactory: (redis: RedisService, options: BookingLockOptions, slots: SlotsService) =>
        new RedisBookingLock(redis, options, slots),
    },
  ],
  exports: [SlotsApi, BookingLock, BookingLockOptions],
})
export class SlotsModule {}
