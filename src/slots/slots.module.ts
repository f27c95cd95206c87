import { DynamicModule, Module, Type } from '@nestjs/common';
import { RedisService } from '../infra/redis/redis.service';
import { AvailabilityReader } from './api/availability.api';
import { BookingLock, BookingLockOptions, SlotChecks } from './api/slot-checks.api';
import { SlotsApi } from './api/slots.api';
import { GridCache } from './cache/grid-cache';
import { RedisBookingLock } from './lock/redis-booking-lock';
import { SlotChecksService } from './slot-checks.service';
import { SlotsController } from './slots.controller';
import { SlotsService } from './slots.service';

/**
 * The availability grid, its Redis cache and versioning, and the booking lock; other modules see SlotsApi (the REST
 * mirror), SlotChecks and BookingLock (the booking lifecycle's side). It reads the salon data through the
 * AvailabilityReader port it declares, so it depends on no other product module.
 */
@Module({})
export class SlotsModule {
  /** The engine wired to the module that owns the salon tables (BookingModule, which imports and re-exports it). */
  static withAvailability(reader: Type<AvailabilityReader>): DynamicModule {
    return {
      module: SlotsModule,
      controllers: [SlotsController],
      providers: [
        { provide: AvailabilityReader, useClass: reader },
        GridCache,
        SlotsService,
        SlotChecksService,
        { provide: SlotsApi, useExisting: SlotsService },
        { provide: SlotChecks, useExisting: SlotChecksService },
        { provide: BookingLockOptions, useValue: new BookingLockOptions() },
        {
          provide: BookingLock,
          inject: [RedisService, BookingLockOptions, SlotChecksService],
          useFactory: (redis: RedisService, options: BookingLockOptions, grids: SlotChecksService) =>
            new RedisBookingLock(redis, options, grids),
        },
      ],
      exports: [SlotsApi, SlotChecks, BookingLock, BookingLockOptions],
    };
  }
}
